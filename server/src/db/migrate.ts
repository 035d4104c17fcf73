// Applies the numbered plain-SQL migrations in sql/migrations in order. Each file runs in
// its own transaction and is recorded first, so a second migrator racing this one fails on
// the primary key instead of applying a file twice; an advisory lock makes the usual case
// (two processes starting at once) simply wait for the first.
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

/** Returns the names of the migrations it applied (empty when already up to date). */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  return db.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
      const done = new Set(rows.map((r) => r.id));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
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
