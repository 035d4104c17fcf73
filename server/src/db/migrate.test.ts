import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from './index.ts';
import { migrate, readMigrations } from './migrate.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

describe('migrations', () => {
  it('are numbered in sequence and each says why it exists', () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(3);
    migrations.forEach((m, i) => {
      expect(m.id).toBe(i + 1);
      expect(m.sql.trimStart().startsWith('--')).toBe(true);
    });
  });

  it('are recorded, and running them again is a no-op', async () => {
    const before = (await db.query('SELECT id, applied_at FROM schema_migrations ORDER BY id')).rows;
    expect(before.map((r) => r.id)).toEqual(readMigrations().map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
    expect(await Promise.all([migrate(db), migrate(db)])).toEqual([[], []]);
    const after = (await db.query('SELECT id, applied_at FROM schema_migrations ORDER BY id')).rows;
    expect(after).toEqual(before);
  });

  it('roll back a failing migration completely', async () => {
    const bad = [...readMigrations(), { id: 999, name: '0999_broken.sql', sql: 'CREATE TABLE should_not_exist (id int); SELECT nonsense_function();' }];
    await expect(migrate(db, bad)).rejects.toThrow(/0999_broken\.sql/);
    const { rows } = await db.query(`SELECT to_regclass('should_not_exist') AS t, (SELECT count(*) FROM schema_migrations WHERE id = 999) AS n`);
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });

  it('record the sha256 of each file they ran', async () => {
    const { rows } = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY id');
    expect(rows).toEqual(readMigrations().map((m) => ({ name: m.name, checksum: createHash('sha256').update(m.sql).digest('hex') })));
  });

  it('refuse to run when a migration that has run was edited since, naming the file, and apply nothing', async () => {
    const edited = readMigrations().map((m) => (m.id === 10 ? { ...m, sql: m.sql.replace('created_by integer', 'created_by integer NOT NULL') } : m));
    expect(edited.find((m) => m.id === 10)!.sql).not.toBe(readMigrations()[9].sql);
    const next = { id: edited.length + 1, name: `${String(edited.length + 1).padStart(4, '0')}_after.sql`, sql: '-- x\nCREATE TABLE should_not_exist (id int);' };
    await expect(migrate(db, [...edited, next])).rejects.toThrow(/0010_needs\.sql/);
    const { rows } = await db.query(`SELECT to_regclass('should_not_exist') AS t`);
    expect(rows[0].t).toBe(null);
  });

  it('refuse to run when the recorded checksum differs from the file, naming the file', async () => {
    const { rows } = await db.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE id = 13');
    await db.query(`UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE id = 13`);
    try {
      await expect(migrate(db)).rejects.toThrow(/0013_link_kinds\.sql/);
    } finally {
      await db.query('UPDATE schema_migrations SET checksum = $1 WHERE id = 13', [rows[0].checksum]);
    }
    expect(await migrate(db)).toEqual([]);
  });

  it('fill in the checksums of a database migrated before checksums were recorded, from the files', async () => {
    const before = (await db.query('SELECT id, name, checksum FROM schema_migrations ORDER BY id')).rows;
    await db.query('UPDATE schema_migrations SET checksum = NULL');
    expect(await migrate(db)).toEqual([]);
    expect((await db.query('SELECT id, name, checksum FROM schema_migrations ORDER BY id')).rows).toEqual(before);
  });
});
