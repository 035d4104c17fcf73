// Applies the numbered plain-SQL migrations in sql/migrations in order. Each file runs in
// its own transaction and is recorded first, so a second migrator racing this one fails on
// the primary key instead of applying a file twice; an advisory lock makes the usual case
// (two processes starting at once) simply wait for the first.
//
// A migration that has run is history: the sha256 of its text is recorded with it, and a file that
// no longer matches what a database recorded stops the start, naming the file, instead of leaving
// that database silently different from a fresh one. A change is a new migration.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from './index.ts';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'sql/migrations');
const LOCK_KEY = 7_281_359; // arbitrary, stable: "grid atlas migrations"

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file, i) => {
    const id = Number(file.slice(0, 4));
    if (id !== i + 1) throw new Error(`migration ${file} is out of sequence: expected number ${i + 1}`);
    return { id, name: file, sql: fs.readFileSync(path.join(dir, file), 'utf8') };
  });
}

/**
 * The sha256 of a migration's text. Line endings are made \n first, so that a checkout that turns
 * them into \r\n (git's autocrlf) still matches what a database recorded.
 */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Returns the names of the migrations it applied (empty when already up to date). */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  return db.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        checksum text
      )`);
      // Databases migrated before checksums were recorded get the column, and their rows the
      // checksums of the files as they stand. Of those files, 0010 and 0013 were edited after
      // they had run; 0022 brings a database migrated with their first texts to the fresh state,
      // so the texts recorded are the ones a fresh database runs.
      await client.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
      const { rows } = await client.query<{ id: number; name: string; checksum: string | null }>(
        'SELECT id, name, checksum FROM schema_migrations',
      );
      const recorded = new Map(rows.map((r) => [r.id, r]));
      for (const m of migrations) {
        const r = recorded.get(m.id);
        if (!r) continue;
        const sum = migrationChecksum(m.sql);
        if (r.name !== m.name) {
          throw new Error(
            `迁移 ${m.name} 与数据库记录的 ${r.name} 不符 (migration number ${m.id} is ${m.name} here, ` +
              `but this database ran ${r.name}); a migration that has run must not be renamed or replaced.`,
          );
        }
        if (r.checksum === null) {
          await client.query('UPDATE schema_migrations SET checksum = $2 WHERE id = $1 AND checksum IS NULL', [m.id, sum]);
        } else if (r.checksum !== sum) {
          throw new Error(
            `迁移 ${m.name} 在应用后被修改过 (migration ${m.name} was changed after it ran on this database: ` +
              `its sha256 was ${r.checksum}, the file's is now ${sum}); restore the file and put the change in a new migration.`,
          );
        }
      }
      const done = new Set(recorded.keys());
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query('INSERT INTO schema_migrations (id, name, checksum) VALUES ($1, $2, $3)', [
            m.id,
            m.name,
            migrationChecksum(m.sql),
          ]);
          await client.query(m.sql);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.name);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    }
  });
}
