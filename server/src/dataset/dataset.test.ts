// An independent check of the seeded Enshi dataset, done in PostGIS rather than with the
// generator's own code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';
import { checkCoverage } from './coverage.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

const one = async (sql: string) => (await db.query<any>(sql)).rows[0];

describe('the seeded Enshi dataset', () => {
  it('has valid polygons that tile each level with no gaps or overlaps', async () => {
    expect(await checkCoverage(db)).toEqual([]);
    const single = await one(`SELECT count(*) FILTER (WHERE ST_NumGeometries(geom) <> 1) AS multi, count(*) AS n FROM grids`);
    expect(single).toEqual({ multi: 0, n: 359 });
  });

  it('lies in the urban core, inside the real city outline', async () => {
    const box = await one(`SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
                             FROM (SELECT ST_Extent(geom)::geometry AS e FROM subdistricts) t`);
    expect(box.x0).toBeGreaterThanOrEqual(109.43);
    expect(box.x1).toBeLessThanOrEqual(109.52);
    expect(box.y0).toBeGreaterThanOrEqual(30.24);
    expect(box.y1).toBeLessThanOrEqual(30.33);
  });

  it('places every household inside its own grid', async () => {
    const r = await one(`SELECT count(*) AS n,
                                count(*) FILTER (WHERE h.grid_id IS NULL) AS unassigned,
                                count(*) FILTER (WHERE NOT ST_Covers(g.geom, h.geom)) AS outside
                           FROM households h LEFT JOIN grids g ON g.id = h.grid_id`);
    expect(r).toEqual({ n: 95_402, unassigned: 0, outside: 0 });
  });

  it('reproduces the city figures: difficulty, party members, branches, departments', async () => {
    expect(await one(`SELECT count(*) FILTER (WHERE in_difficulty) AS n FROM households`)).toEqual({ n: 5_134 });
    const kinds = Object.fromEntries((await db.query<any>(`SELECT kind, count(*) AS n FROM cadres GROUP BY kind`)).rows.map((r) => [r.kind, r.n]));
    expect(kinds).toMatchObject({ in_service: 7_289, sunk: 14_000, grid_worker: 359 });
    expect(await one(`SELECT count(*) AS n FROM cadres WHERE kind = 'sunk' AND branch_id IS NULL`)).toEqual({ n: 0 });
    const dept = await one(`SELECT count(*) AS n, min(r) AS min_resources FROM (SELECT d.id, count(r.id) AS r FROM departments d LEFT JOIN department_resources r ON r.department_id = d.id GROUP BY d.id) t`);
    expect(dept.n).toBe(24);
    expect(dept.min_resources).toBeGreaterThanOrEqual(1);
  });

  it('links every in-service member to 1 family in difficulty and 5–10 neighbours (双定三联)', async () => {
    const r = await one(`
      SELECT count(*) AS members,
             count(*) FILTER (WHERE difficulty = 1) AS one_family,
             count(*) FILTER (WHERE neighbours BETWEEN 5 AND 10) AS neighbours_ok
        FROM (SELECT c.id,
                     count(*) FILTER (WHERE l.kind = 'difficulty') AS difficulty,
                     count(*) FILTER (WHERE l.kind = 'neighbour') AS neighbours
                FROM cadres c LEFT JOIN cadre_household_links l ON l.cadre_id = c.id
               WHERE c.kind = 'in_service' GROUP BY c.id) t`);
    expect(r).toEqual({ members: 7_289, one_family: 7_289, neighbours_ok: 7_289 });
    const wrong = await one(`
      SELECT count(*) FILTER (WHERE l.kind = 'difficulty' AND NOT h.in_difficulty) AS difficulty_not_flagged,
             count(*) FILTER (WHERE l.kind = 'neighbour' AND h.in_difficulty) AS neighbour_flagged
        FROM cadre_household_links l JOIN households h ON h.id = l.household_id`);
    expect(wrong).toEqual({ difficulty_not_flagged: 0, neighbour_flagged: 0 });
    expect(await one(`SELECT count(*) AS n FROM households h WHERE h.in_difficulty
                        AND NOT EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND l.kind = 'difficulty')`))
      .toEqual({ n: 0 });
  });

  it('links all 95,402 households to at least one cadre', async () => {
    expect(await one(`SELECT count(*) AS n FROM households h
                       WHERE NOT EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id)`)).toEqual({ n: 0 });
  });

  it('has the imbalance planners are asked to fix', async () => {
    const r = await one(`SELECT count(*) FILTER (WHERE n > 500) AS over, count(*) FILTER (WHERE n < 120) AS under
                           FROM (SELECT grid_id, count(*) AS n FROM households GROUP BY grid_id) t`);
    expect(r.over).toBeGreaterThan(0);
    expect(r.under).toBeGreaterThan(0);
  });

  it('keeps every reference and the in-service flag that the seed wrote with triggers off', async () => {
    expect(await one(`
      SELECT (SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = h.grid_id)
                                                   OR NOT EXISTS (SELECT 1 FROM blocks b WHERE b.id = h.block_id)) AS households,
             (SELECT count(*) FROM cadres c WHERE (c.grid_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = c.grid_id))
                                               OR (c.branch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM area_branches b WHERE b.id = c.branch_id))) AS cadres,
             (SELECT count(*) FROM cadre_household_links l WHERE NOT EXISTS (SELECT 1 FROM cadres c WHERE c.id = l.cadre_id AND c.kind = l.cadre_kind)
                                                              OR NOT EXISTS (SELECT 1 FROM households h WHERE h.id = l.household_id)) AS links,
             (SELECT count(*) FROM households h WHERE h.in_service_linked <> EXISTS (
                SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND l.kind <> 'branch')) AS flags`))
      .toEqual({ households: 0, cadres: 0, links: 0, flags: 0 });
  });

  it('divides every grid into blocks that tile it, each household in one block of its own grid', async () => {
    const per = await one(`SELECT count(*) AS grids, min(n) AS min, max(n) AS max, sum(n) AS blocks
                             FROM (SELECT g.id, count(b.id) AS n FROM grids g LEFT JOIN blocks b ON b.grid_id = g.id GROUP BY g.id) t`);
    expect(per.grids).toBe(359);
    expect(per.min).toBeGreaterThanOrEqual(1);
    expect(per.max).toBeLessThanOrEqual(80);
    expect(per.blocks / per.grids).toBeGreaterThan(3);
    // no block crosses its community, and each grid's blocks dissolve back into the grid (1 m²)
    const tiling = await one(`
      SELECT count(*) FILTER (WHERE NOT ST_IsValid(b.geom)) AS invalid,
             count(*) FILTER (WHERE b.community_id <> g.community_id) AS wrong_community
        FROM blocks b JOIN grids g ON g.id = b.grid_id`);
    expect(tiling).toEqual({ invalid: 0, wrong_community: 0 });
    const diff = await one(`
      SELECT max(ST_Area(ST_SymDifference(g.geom, u.geom)::geography)) AS m2
        FROM grids g JOIN (SELECT grid_id, ST_Union(geom) AS geom FROM blocks GROUP BY grid_id) u ON u.grid_id = g.id`);
    expect(diff.m2).toBeLessThan(1);
    // overlaps between blocks are checked per community by validatePlan (routes/plans.test.ts)
    const h = await one(`SELECT count(*) AS n, count(*) FILTER (WHERE h.block_id IS NULL) AS no_block,
                                count(*) FILTER (WHERE b.grid_id <> h.grid_id) AS other_grid,
                                count(*) FILTER (WHERE NOT ST_Covers(b.geom, h.geom)) AS outside_block
                           FROM households h LEFT JOIN blocks b ON b.id = h.block_id`);
    expect(h).toEqual({ n: 95_402, no_block: 0, other_grid: 0, outside_block: 0 });
  });

  it('finds overlaps and gaps when a grid is moved (the check can fail)', async () => {
    await db.withClient(async (client) => {
      await client.query<any>('BEGIN');
      try {
        await client.query<any>(`UPDATE grids SET geom = ST_Translate(geom, 0.0005, 0) WHERE id = (SELECT min(id) FROM grids)`);
        const problems = await checkCoverage(client);
        expect(problems.some((p) => p.includes('overlap'))).toBe(true);
        expect(problems.some((p) => p.includes('gap'))).toBe(true);
      } finally {
        await client.query<any>('ROLLBACK');
      }
    });
  });
});
