// Planner statistics. On PostgreSQL the autovacuum daemon gathers them in the background;
// PGlite runs no background workers, so an embedded database never had any. Without them the
// planner guesses every table's size and picks plans such as scanning all 21,660 cadres once
// per household on a register page (2.5 s for 100 rows instead of a few milliseconds). So we
// ANALYZE after every bulk write (seeding, the case history, a boundary import) and, at
// start-up, every table that was never analysed — on both backends, since a freshly seeded
// PostgreSQL database serves requests before autovacuum gets round to it.
import type { Queryable } from './index.ts';

/** ANALYZE the named tables of the public schema, or all of them. */
export async function analyzeTables(db: Queryable, tables?: readonly string[]): Promise<void> {
  if (!tables) {
    await db.query('ANALYZE');
    return;
  }
  // Names are checked against the catalog and quoted by the server, never spliced in raw.
  const { rows } = await db.query<{ name: string }>(
    `SELECT format('%I', c.relname) AS name FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY ($1::text[])
      ORDER BY c.relname`, [tables]);
  if (rows.length) await db.query(`ANALYZE ${rows.map((r) => r.name).join(', ')}`);
}

/**
 * ANALYZE the tables that hold rows but were never analysed (pg_class.reltuples is -1 until
 * the first ANALYZE or VACUUM); returns their names. Cheap when there are none.
 */
export async function analyzeNeverAnalyzed(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.reltuples < 0
      ORDER BY c.relname`);
  const names = rows.map((r) => r.relname);
  await analyzeTables(db, names);
  return names;
}
