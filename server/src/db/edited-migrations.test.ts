// Two migrations were edited after they had run: 0010 (needs.created_by lost its NOT NULL) and
// 0013 (the partial index cadre_household_links_in_service_idx was dropped). A database migrated
// with their first texts must end, after the migrations that follow, in the schema a fresh one has.
// test/migrations-as-first-run holds those first texts, as git history has them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../config.ts';
import type { DbClient, Db } from './index.ts';
import { readMigrations } from './migrate.ts';

const FIRST_TEXTS = path.join(PROJECT_ROOT, 'test/migrations-as-first-run');
const SCRATCH = 'migrated_before_edits';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

// Objects that belong to an extension (PostGIS's spatial_ref_sys, its functions) are not ours.
const OURS = (oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oid} AND d.deptype = 'e')`;

// case_events' month partitions (0041) follow the calendar and the history a database holds.
const NOT_MONTH = (name: string) => `${name} !~ '^case_events_month_'`;

/** What a schema holds, as text with the schema's name left out, so that two schemas compare. */
async function catalog(client: DbClient, schema: string) {
  const q = async (sql: string) =>
    (await client.query<{ line: string }>(sql, [schema])).rows
      .map((r) => r.line.replace(new RegExp(`\\b(?:public|${SCRATCH})\\.`, 'g'), ''))
      .sort();
  return {
    columns: await q(
      `SELECT concat_ws(' ', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                        CASE WHEN a.attnotnull THEN 'NOT NULL' END, NULLIF(a.attgenerated, ''), pg_get_expr(ad.adbin, ad.adrelid)) AS line
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> 'schema_migrations' AND ${OURS('c.oid')}
          AND ${NOT_MONTH('c.relname')}`,
    ),
    indexes: await q(
      `SELECT pg_get_indexdef(i.oid) AS line FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = $1 AND t.relname <> 'schema_migrations' AND ${OURS('t.oid')} AND ${NOT_MONTH('t.relname')}`,
    ),
    constraints: await q(
      `SELECT concat_ws(' ', t.relname, k.conname, pg_get_constraintdef(k.oid)) AS line
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relname <> 'schema_migrations' AND ${OURS('t.oid')} AND ${NOT_MONTH('t.relname')}`,
    ),
    triggers: await q(
      `SELECT concat_ws(' ', c.relname, pg_get_triggerdef(g.oid)) AS line
         FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT g.tgisinternal AND ${NOT_MONTH('c.relname')}`,
    ),
    functions: await q(
      `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS line
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND ${OURS('p.oid')}`,
    ),
  };
}

describe('migrations edited after they had run', () => {
  it('differ from their first texts only as git history says', () => {
    const now = readMigrations();
    const first = (name: string) => fs.readFileSync(path.join(FIRST_TEXTS, name), 'utf8');
    expect(first('0010_needs.sql')).toContain('created_by integer NOT NULL REFERENCES users (id)');
    expect(now[9].sql).toContain('created_by integer REFERENCES users (id)');
    expect(first('0013_link_kinds.sql')).toContain('CREATE INDEX cadre_household_links_in_service_idx');
    expect(now[12].sql).not.toContain('cadre_household_links_in_service_idx');
  });

  it('leave a database migrated with their first texts in the schema of a fresh one after the migrations that follow', async () => {
    const migrations = readMigrations().map((m) =>
      fs.existsSync(path.join(FIRST_TEXTS, m.name)) ? { ...m, sql: fs.readFileSync(path.join(FIRST_TEXTS, m.name), 'utf8') } : m,
    );
    expect(migrations.filter((m) => m.sql !== readMigrations()[m.id - 1].sql).map((m) => m.name)).toEqual(['0010_needs.sql', '0013_link_kinds.sql']);
    // Every migration again, into a schema of its own (PostGIS stays in public, on the search path),
    // in one transaction that is rolled back: the test database keeps nothing of it.
    await db.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(`CREATE SCHEMA ${SCRATCH}`);
        await client.query(`SET LOCAL search_path = ${SCRATCH}, public`);
        for (const m of migrations) {
          try {
            await client.query(m.sql);
          } catch (err) {
            throw new Error(`${m.name}: ${(err as Error).message}`, { cause: err });
          }
        }
        const fresh = await catalog(client, 'public');
        const old = await catalog(client, SCRATCH);
        expect(fresh.columns).toContain('needs created_by integer');
        expect(old.columns.length).toBeGreaterThan(100);
        expect(old).toEqual(fresh);
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });
});
