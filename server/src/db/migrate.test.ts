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
});
