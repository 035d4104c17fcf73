// Planner statistics exist after seeding (PGlite has no autovacuum to gather them), and a
// table that was never analysed is found and analysed at start-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from './index.ts';
import { analyzeNeverAnalyzed } from './statistics.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

const reltuples = async (table: string) =>
  (await db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass`, [table])).rows[0].n;

describe('planner statistics', () => {
  it('seeding leaves every populated table analysed', async () => {
    for (const t of ['households', 'cadres', 'cadre_household_links', 'grids', 'blocks']) {
      expect(await reltuples(t), t).toBeGreaterThan(0);
    }
    // Roughly the real household count (a table never analysed reads -1). Not exact: earlier files
    // apply and revert plans, whose updated rows PostgreSQL's autovacuum counts in its own estimate.
    const real = (await db.query<{ n: number }>('SELECT count(*) AS n FROM households')).rows[0].n;
    expect(Math.abs((await reltuples('households')) - real) / real).toBeLessThan(0.5);
  });

  it('finds a table that was never analysed and analyses it', async () => {
    const table = `stats_probe_${process.pid}_${Date.now()}`;
    await db.query(`CREATE TABLE ${table} AS SELECT g AS id FROM generate_series(1, 500) g`);
    try {
      expect(await reltuples(table)).toBeLessThan(0);
      expect(await analyzeNeverAnalyzed(db)).toContain(table);
      expect(await reltuples(table)).toBe(500);
      expect(await analyzeNeverAnalyzed(db)).not.toContain(table);
    } finally {
      await db.query(`DROP TABLE ${table}`);
    }
  });
});

describe('grouped geometry aggregates', () => {
  it('answer one row per group once the tables have statistics (PGlite hashes them to nothing)', async () => {
    const { rows } = await db.query<{ id: number; empty: boolean }>(
      `SELECT p.id, ST_IsEmpty(ST_Union(ch.geom)) AS empty FROM communities p JOIN grids ch ON ch.community_id = p.id GROUP BY p.id`);
    expect(rows.length).toBe((await db.query<{ n: number }>('SELECT count(*) AS n FROM communities')).rows[0].n);
    expect(rows.every((r) => !r.empty)).toBe(true);
    if (db.kind === 'embedded') expect((await db.query<{ enable_hashagg: string }>('SHOW enable_hashagg')).rows[0].enable_hashagg).toBe('off');
  });
});
