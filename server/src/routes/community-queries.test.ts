// The register and the roster answer exactly as the straightforward queries they replaced,
// while doing work bounded by the page (register) and without per-grid subqueries (roster).
// Plans are read with EXPLAIN ANALYZE: counting loops, never timing them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { inScope } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import { CADRE_GRID_SQL } from './cadre-grid.ts';
import { RECORDS_SQL, ROSTER_SQL } from './community.ts';

let db: Db;
let community: number, grid: number, subdistrict: number;
beforeAll(async () => {
  db = await openTestDb();
  const c = (await db.query<{ id: number; subdistrict_id: number }>(`SELECT id, subdistrict_id FROM communities WHERE code = '422801001001'`)).rows[0];
  community = c.id;
  subdistrict = c.subdistrict_id;
  grid = (await db.query<{ id: number }>('SELECT min(id) AS id FROM grids WHERE community_id = $1', [community])).rows[0].id;
});
afterAll(() => db?.close());

const SCOPE = inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' });
// The queries before issue 7, kept here as the reference for what the answers must be.
const OLD_RECORDS_SQL = `
  SELECT h.id, h.head_name, h.phone, h.address, h.building, h.size, h.in_difficulty,
         g.id AS grid_id, g.name AS grid_name, cm.id AS community_id,
         ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
         coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'link', l.kind) ORDER BY c.kind, c.id)
                     FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id WHERE l.household_id = h.id), '[]') AS cadres,
         count(*) OVER () AS total
    FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id
   WHERE ${SCOPE} AND ($5::int IS NULL OR cm.id = $5) AND ($6::int IS NULL OR g.id = $6)
     AND ($7::text IS NULL OR h.head_name LIKE $7 OR h.address LIKE $7 OR h.phone LIKE $7)
     AND ($8::boolean IS NULL OR h.in_difficulty = $8)
     AND ($9::boolean IS NULL OR $9 = NOT EXISTS (
           SELECT 1 FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id WHERE l.household_id = h.id AND c.kind = 'in_service'))
   ORDER BY g.number, h.id LIMIT $10 OFFSET $11`;
const OLD_ROSTER_SQL = `
  SELECT g.id, g.code, g.number, g.name,
         (SELECT json_agg(json_build_object('id', w.id, 'name', w.name, 'phone', w.phone) ORDER BY w.id)
            FROM cadres w WHERE w.kind = 'grid_worker' AND w.grid_id = g.id) AS grid_workers,
         (SELECT count(*) FROM households h WHERE h.grid_id = g.id) AS households,
         (SELECT count(*) FROM households h WHERE h.grid_id = g.id AND h.in_difficulty) AS in_difficulty,
         -- 联系干部: each linked cadre once, in the grid holding most of their households (cadre-grid.ts).
         (SELECT count(*) FROM (${CADRE_GRID_SQL}) cg WHERE cg.grid_id = g.id) AS linked_cadres,
         (SELECT count(DISTINCT l.cadre_id) FROM cadre_household_links l JOIN households h ON h.id = l.household_id
            JOIN cadres c ON c.id = l.cadre_id WHERE h.grid_id = g.id AND c.kind = 'in_service') AS in_service_members,
         (SELECT count(*) FROM households h WHERE h.grid_id = g.id AND NOT EXISTS (
            SELECT 1 FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id WHERE l.household_id = h.id AND c.kind = 'in_service')) AS without_in_service_link
    FROM grids g JOIN communities cm ON cm.id = g.community_id
   WHERE ${SCOPE} AND ($5::int IS NULL OR cm.id = $5)
   ORDER BY cm.code, g.number`;

const secretaryScope = () => [false, null, community, null];
const strip = (rows: any[]) => rows.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r);

describe('household register', () => {
  it.each([
    ['first page', [null, null, null, null, null, 100, 0]],
    ['a later page', [null, null, null, null, null, 50, 300]],
    ['one grid, unlinked only', [null, 'GRID', null, null, true, 20, 5]],
    ['the whole scope, unlinked only, a deep page', [null, null, null, null, true, 50, 200]],
    ['the whole scope, linked only', [null, null, null, null, false, 50, 0]],
    ['a search, in difficulty', [null, null, '%路%', true, null, 30, 0]],
  ])('%s: the same rows and total as before', async (_name, filters) => {
    const params = [...secretaryScope(), ...filters.map((f) => (f === 'GRID' ? grid : f))];
    const before = (await db.query(OLD_RECORDS_SQL, params)).rows;
    const after = (await db.query(RECORDS_SQL, params)).rows;
    expect(strip(after)).toEqual(strip(before));
    expect(after[0].total).toBe(before[0].total);
  });

  it('past the end still reports the total', async () => {
    const rows = (await db.query(RECORDS_SQL, [false, subdistrict, null, null, null, null, null, null, null, 100, 9_999_999])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBeNull();
    expect(rows[0].total).toBeGreaterThan(10_000);
  });

  it('builds cadre lists for the page only, however deep the page', async () => {
    const params = [false, subdistrict, null, null, null, null, null, null, null, 100, 7000];
    const { rows } = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${RECORDS_SQL}`, params);
    const plan = (typeof rows[0]['QUERY PLAN'] === 'string' ? JSON.parse(rows[0]['QUERY PLAN']) : rows[0]['QUERY PLAN'])[0].Plan;
    // The json_agg of cadres is a SubPlan: it may run once per row of the page, not per household.
    const subplanLoops: number[] = [];
    const walk = (node: any) => {
      if (node['Parent Relationship'] === 'SubPlan' && node['Node Type'] === 'Aggregate') subplanLoops.push(node['Actual Loops']);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(plan);
    expect(subplanLoops.length).toBeGreaterThan(0);
    expect(Math.max(...subplanLoops)).toBeLessThanOrEqual(100);
  });
});

describe('roster', () => {
  it.each([
    ['a community', () => [false, null, community, null, null]],
    ['a subdistrict, filtered to one community', () => [false, subdistrict, null, null, community]],
  ])('%s: the same figures as before', async (_name, params) => {
    const before = (await db.query(OLD_ROSTER_SQL, params())).rows;
    const after = (await db.query(ROSTER_SQL, params())).rows;
    expect(after.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
  });

  it('has no per-grid subqueries', async () => {
    const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${ROSTER_SQL}`, [false, subdistrict, null, null, null]);
    const text = JSON.stringify(rows[0]['QUERY PLAN']);
    expect(text).not.toMatch(/SubPlan/);
  });
});
