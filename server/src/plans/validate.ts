// Validates plans in PostGIS, the authority both backends share: the community's blocks are
// valid and tile it, every block is assigned once, and every grid of the plan is one connected
// polygon inside the community, large enough and holding households, with no overlap and no gap.
// PostgreSQL 15 / PostGIS 3.3 lacks ST_Coverage*, so the checks use ST_Union, ST_Difference,
// ST_Intersection (in fixed precision: db/overlay.ts) and ST_NumGeometries with a 1 m² tolerance
// for rounding.
//
// Every query works on a SET of plans at once (one per community: a city-wide redraw applies
// the drafts of all 33 communities together), so checking thirty plans costs the same dozen
// round trips as checking one.
//
// The block checks depend only on the blocks' and the community's geometry: they run again only
// when its fingerprint changed since they last passed (community_block_checks, sql 0012).
//
// The queries take no bind parameters: PGlite answers an extended-protocol query that aggregates
// with ST_Union with a PortalSuspended (see dataset/coverage.ts). The plan ids travel as
// transaction-local settings instead (usePlans), so no SQL is ever built from input.
import type pg from 'pg';
import type { PlanError } from '@grid-atlas/contract';
import { difference, intersection, unionAgg } from '../db/overlay.ts';

export const TOLERANCE_M2 = 1;
/** Smallest grid a plan may create (m²): a street block or two. */
export const MIN_GRID_AREA_M2 = 5_000;

/**
 * The plans the following parameterless queries work on, for the rest of the transaction:
 * PLANS names them all, PLAN the first (the queries that show one plan).
 */
export async function usePlans(client: pg.ClientBase, planIds: readonly number[]): Promise<void> {
  await client.query(`SELECT set_config('grid_atlas.plans', $1, true), set_config('grid_atlas.plan', $2, true), set_config('jit', 'off', true)`,
    [`{${planIds.map((id) => Math.trunc(id)).join(',')}}`, String(planIds[0] ?? 0)]);
}

/** The one plan the following parameterless queries work on, for the rest of the transaction. */
export const usePlan = (client: pg.ClientBase, planId: number) => usePlans(client, [planId]);

// Each setting is read through a scalar subquery, which PostgreSQL evaluates once per statement
// (an InitPlan). Written bare, `x = ANY (current_setting(…)::int[])` parsed the list again for
// every row it tested: a city-wide apply at GRID_ATLAS_SCALE=10 (49,174 blocks, 330 plans) spent
// over a second of each of its largest statements parsing, and grew with blocks × plans. (The
// outer cast keeps `= ANY ((SELECT …))` an array, not the rows of a subquery.)
export const PLAN = `(SELECT current_setting('grid_atlas.plan')::int)`;
export const PLANS = `(SELECT current_setting('grid_atlas.plans')::int[])::int[]`;
/** The plans whose blocks are being checked (a subset of PLANS). */
const CHECKED = `(SELECT current_setting('grid_atlas.check')::int[])::int[]`;
const area = (expr: string) => `ST_Area((${expr})::geography)`;
const gj = (expr: string) => `ST_AsGeoJSON(${expr}, 7)::json`;

/**
 * The plans' assignments with each grid's key ("123" or "new:4", unique within a plan) and number.
 * Each assignment finds its plan by the plan's key (OFFSET 0 keeps the lookup from being flattened
 * into a join): joined, the planner probed the plans with the whole PLANS list for every
 * assignment and filtered by the join, blocks × plans rows (8 million for a city-wide redraw of
 * GRID_ATLAS_SCALE=10's 330 communities, 22 s of its apply).
 */
export const PLAN_KEYS = `
  SELECT a.plan_id, p.community_id, a.block_id, a.grid_id, a.new_number,
         coalesce(a.grid_id::text, 'new:' || a.new_number) AS key,
         coalesce(CASE WHEN g.community_id = p.community_id THEN g.number END, a.new_number) AS number
    FROM plan_assignments a
    CROSS JOIN LATERAL (SELECT pl.community_id FROM plans pl WHERE pl.id = a.plan_id OFFSET 0) p
    LEFT JOIN grids g ON g.id = a.grid_id
   WHERE a.plan_id = ANY (${PLANS})`;

/**
 * Plans whose blocks are known to tile their community (validatePlans sets it): a grid of theirs
 * that keeps exactly its blocks keeps its polygon, which is the dissolve of those blocks (an
 * apply, a cut and an edge redraw all store the dissolve; an import derives the blocks from the
 * polygon). Unset elsewhere, so every grid is dissolved (a custom setting once set in a
 * session reads '' after its transaction, hence the nullif).
 */
const TRUSTED = `(SELECT nullif(current_setting('grid_atlas.trusted', true), '')::int[])`;

/**
 * One row per grid of each plan: its polygon, whether it keeps exactly its current blocks
 * (`kept`), and its figures. The dissolve (the costly part) runs only for the grids that change,
 * without the holes under a square metre that block edges meeting imperfectly leave (without_specks).
 * With `figures`, its households and those in difficulty are counted (what a planner reads);
 * without, `households` only says whether it has any (what validation needs: a probe instead of
 * a count of the city's 95,402).
 */
export function planGrids(figures: boolean): string {
  return `
  WITH k AS (
    SELECT k.plan_id, k.community_id, k.key, min(k.grid_id) AS grid_id, min(k.number) AS number, array_agg(b.id) AS blocks,
           min(k.grid_id) IS NOT NULL AND bool_and(b.grid_id IS NOT DISTINCT FROM k.grid_id)
             AND count(*) = (SELECT count(*) FROM blocks x WHERE x.grid_id = min(k.grid_id)) AS kept
      FROM (${PLAN_KEYS}) k JOIN blocks b ON b.id = k.block_id
     GROUP BY k.plan_id, k.community_id, k.key)
  SELECT k.plan_id, k.community_id, k.key, k.grid_id, k.number,
         k.kept AND k.plan_id = ANY (coalesce(${TRUSTED}, '{}')) AS kept,
         CASE WHEN k.kept AND k.plan_id = ANY (coalesce(${TRUSTED}, '{}')) THEN (SELECT g.geom FROM grids g WHERE g.id = k.grid_id)
              ELSE (SELECT without_specks(${unionAgg('b.geom')}) FROM blocks b WHERE b.id = ANY (k.blocks)) END AS geom,
         cardinality(k.blocks) AS blocks, ${figures ? 'hh.households, hh.in_difficulty' : 'hh.households'}
    FROM k, LATERAL (${figures
      ? 'SELECT count(*)::int AS households, (count(*) FILTER (WHERE h.in_difficulty))::int AS in_difficulty FROM households h WHERE h.block_id = ANY (k.blocks)'
      : 'SELECT count(*)::int AS households FROM (SELECT 1 FROM households h WHERE h.block_id = ANY (k.blocks) LIMIT 1) h'}) hh`;
}

/** planGrids with the figures a planner reads. */
export const PLAN_GRIDS = planGrids(true);

/**
 * The temporary table validatePlans leaves behind for the rest of the transaction: planGrids(false)'s
 * rows (plan_id, community_id, key, grid_id, number, kept, geom, blocks, households: 0 or 1),
 * so an apply takes the grids' polygons from the dissolve it has just validated instead of
 * dissolving again.
 */
export const PLAN_GRIDS_TABLE = 'plan_grids';

const label = (n: number | null) => (n == null ? '' : `第${n}网格`);

type Row = Record<string, any>;

/** Every problem of one plan (empty when it may be applied). */
export async function validatePlan(client: pg.ClientBase, planId: number): Promise<PlanError[]> {
  return (await validatePlans(client, [planId])).get(planId)!;
}

/**
 * Every problem of each plan (an empty list when it may be applied), checked together. Leaves
 * PLANS naming the plans and PLAN_GRIDS_TABLE their dissolved grids.
 */
export async function validatePlans(client: pg.ClientBase, planIds: readonly number[]): Promise<Map<number, PlanError[]>> {
  const errors = new Map<number, PlanError[]>(planIds.map((id) => [id, []]));
  const add = (plan: number, e: PlanError) => errors.get(plan)!.push(e);
  const q = async (sql: string) => (await client.query<Row>(sql)).rows;
  await usePlans(client, planIds);

  // Each plan must still name exactly its community's blocks (an import re-derives them, a cut
  // replaces one) and no other community's, to grids of its community, with new numbers no
  // existing grid holds: counted for all plans in one statement; the blocks at fault are read
  // (with their outline) only for a plan whose counts disagree.
  const counts = await q(`
      SELECT p.id AS plan,
             (SELECT count(*) FROM blocks b WHERE b.community_id = p.community_id)::int AS blocks,
             (SELECT count(*) FROM plan_assignments a JOIN blocks b ON b.id = a.block_id
               WHERE a.plan_id = p.id AND b.community_id = p.community_id)::int AS own,
             (SELECT count(*) FROM plan_assignments a WHERE a.plan_id = p.id)::int AS assigned,
             (SELECT coalesce(array_agg(DISTINCT a.grid_id ORDER BY a.grid_id), '{}') FROM plan_assignments a
               WHERE a.plan_id = p.id AND a.grid_id IS NOT NULL
                 AND (SELECT g.community_id FROM grids g WHERE g.id = a.grid_id) IS DISTINCT FROM p.community_id) AS unknown_grids,
             (SELECT coalesce(array_agg(DISTINCT a.new_number ORDER BY a.new_number), '{}') FROM plan_assignments a
                JOIN grids g ON g.community_id = p.community_id AND g.number = a.new_number
               WHERE a.plan_id = p.id AND a.new_number IS NOT NULL) AS taken
        FROM plans p WHERE p.id = ANY (${PLANS}) ORDER BY p.id`);
  if (counts.some((c) => c.own !== c.blocks || c.own !== c.assigned)) {
    for (const r of await q(`
        SELECT p.id AS plan, false AS foreign, count(*)::int AS n, ${gj(unionAgg('b.geom'))} AS geometry
          FROM plans p JOIN blocks b ON b.community_id = p.community_id
         WHERE p.id = ANY (${PLANS}) AND NOT EXISTS (SELECT 1 FROM plan_assignments a WHERE a.plan_id = p.id AND a.block_id = b.id)
         GROUP BY p.id
        UNION ALL
        SELECT p.id, true, count(*)::int, ${gj(unionAgg('b.geom'))}
          FROM plans p JOIN plan_assignments a ON a.plan_id = p.id JOIN blocks b ON b.id = a.block_id
         WHERE p.id = ANY (${PLANS}) AND b.community_id <> p.community_id
         GROUP BY p.id`)) {
      add(r.plan, r.foreign
        ? { code: 'blocks_changed', message: `方案包含其他社区的 ${r.n} 个街区 (the plan assigns ${r.n} blocks of another community)`, geometry: r.geometry }
        : { code: 'blocks_changed', message: `方案未包含社区的 ${r.n} 个街区，街区已变化 (the plan misses ${r.n} of the community's blocks; they have changed)`, geometry: r.geometry });
    }
  }
  for (const c of counts) {
    for (const grid of c.unknown_grids as number[]) {
      add(c.plan, { code: 'unknown_grid', message: `网格 ${grid} 已不属于本社区 (grid ${grid} is no longer in this community)`, geometry: null });
    }
    for (const number of c.taken as number[]) {
      add(c.plan, { code: 'number_taken', grid: number, message: `编号 ${number} 已被现有网格使用 (number ${number} belongs to an existing grid)`, geometry: null });
    }
  }

  // the blocks themselves: checked again only when they (or the community's outline) changed
  // since they last passed, which the fingerprint of their exact geometry tells
  const prints = await q(`
      WITH f AS (
        SELECT c.id AS community, md5(string_agg(b.id || ':' || md5(ST_AsEWKB(b.geom)), ',' ORDER BY b.id) || md5(ST_AsEWKB(c.geom))) AS fingerprint
          FROM communities c JOIN blocks b ON b.community_id = c.id
         WHERE c.id IN (SELECT community_id FROM plans WHERE id = ANY (${PLANS}))
         GROUP BY c.id, c.geom)
      SELECT p.id AS plan, f.community, f.fingerprint,
             EXISTS (SELECT 1 FROM community_block_checks k WHERE k.community_id = f.community AND k.fingerprint = f.fingerprint) AS passed
        FROM plans p JOIN f ON f.community = p.community_id
       WHERE p.id = ANY (${PLANS})`);
  const unchecked = prints.filter((r) => !r.passed);
  const blockFaults = new Set<number>();
  let rest = planIds;
  if (unchecked.length) {
    const blockErrors = await checkBlocks(client, unchecked.map((r) => r.plan));
    for (const [plan, e] of blockErrors) {
      add(plan, e);
      blockFaults.add(plan);
    }
    const passed = unchecked.filter((r) => !blockFaults.has(r.plan));
    if (passed.length) {
      await client.query(
        `INSERT INTO community_block_checks (community_id, fingerprint)
         SELECT DISTINCT ON (community) community, fingerprint FROM unnest($1::int[], $2::text[]) AS x (community, fingerprint)
         ON CONFLICT (community_id) DO UPDATE SET fingerprint = excluded.fingerprint, checked_at = now()`,
        [passed.map((r) => r.community), passed.map((r) => r.fingerprint)]);
    }
    // the overlays below need valid input: a plan with an invalid block is checked no further
    const invalid = new Set(blockErrors.filter(([, e]) => e.code === 'invalid_block').map(([plan]) => plan));
    rest = planIds.filter((id) => !invalid.has(id));
    if (!rest.length) return errors;
  }
  // Blocks that tile the community, each in exactly one grid of the plan: the plan's grids are
  // unions of disjoint blocks, so they cannot overlap, leave the community or leave a gap. The
  // overlays that look for those run only for a plan whose blocks are not known to tile (they
  // then say which grids a fault touches).
  const trusted = prints.filter((r) => !blockFaults.has(r.plan) && !errors.get(r.plan)!.some((e) => e.code === 'blocks_changed')).map((r) => r.plan);
  const untrusted = rest.filter((id) => !trusted.includes(id));
  await client.query(`SELECT set_config('grid_atlas.plans', $1, true), set_config('grid_atlas.trusted', $2, true)`,
    [`{${rest.join(',')}}`, `{${trusted.join(',')}}`]);

  // the grids the plans draw (dissolved where they change), kept for the checks below and for
  // the apply that follows in the same transaction (PLAN_GRIDS_TABLE)
  await client.query(`DROP TABLE IF EXISTS pg_temp.${PLAN_GRIDS_TABLE}`);
  await client.query(`CREATE TEMP TABLE ${PLAN_GRIDS_TABLE} ON COMMIT DROP AS ${planGrids(false)}`);
  // geometry travels only with a fault (the city's 359 grids as GeoJSON cost more than the checks)
  const grids = await q(`
      WITH g AS (
        SELECT pg.plan_id, pg.key, pg.number, pg.households, pg.geom, ST_NumGeometries(pg.geom) AS parts,
               -- the area on the spheroid (0.2 ms a grid) only near the minimum: below a lower
               -- bound (planar degrees² × the metres a degree spans at the grid's edge farthest
               -- from the equator) 10 % over the minimum; NULL for a grid clearly larger
               CASE WHEN ST_Area(pg.geom) * 110574 * 111320 * cos(radians(greatest(abs(ST_YMin(pg.geom)), abs(ST_YMax(pg.geom)))))
                         < ${1.1 * MIN_GRID_AREA_M2} THEN ${area('pg.geom')} END AS m2,
               CASE WHEN pg.plan_id = ANY (coalesce(${TRUSTED}, '{}')) THEN NULL ELSE ${difference('pg.geom', 'c.geom')} END AS outside
          FROM ${PLAN_GRIDS_TABLE} pg JOIN communities c ON c.id = pg.community_id)
      SELECT g.plan_id AS plan, g.key, g.number, g.households, g.parts, g.m2, coalesce(${area('g.outside')}, 0) AS outside_m2,
             CASE WHEN g.parts > 1 OR g.m2 < ${MIN_GRID_AREA_M2} OR g.households = 0 THEN ${gj('g.geom')} END AS geometry,
             CASE WHEN ${area('g.outside')} > ${TOLERANCE_M2} THEN ${gj('g.outside')} END AS outside
        FROM g
       ORDER BY g.plan_id, g.number`);
  for (const g of grids) {
    const n = g.number as number;
    if (g.parts > 1) {
      add(g.plan, { code: 'multi_part', grid: n, message: `${label(n)}不连通，分成 ${g.parts} 块 (grid ${n} is split into ${g.parts} parts)`, geometry: g.geometry });
    }
    if (g.outside_m2 > TOLERANCE_M2) {
      add(g.plan, { code: 'outside', grid: n, message: `${label(n)}超出社区 ${g.outside_m2.toFixed(1)} m² (grid ${n} extends outside the community)`, geometry: g.outside });
    }
    if (g.m2 != null && g.m2 < MIN_GRID_AREA_M2) {
      add(g.plan, { code: 'too_small', grid: n, message: `${label(n)}面积 ${Math.round(g.m2)} m²，小于最小面积 ${MIN_GRID_AREA_M2} m² (grid ${n} is smaller than the minimum area)`, geometry: g.geometry });
    }
    if (g.households === 0) {
      add(g.plan, { code: 'empty_grid', grid: n, message: `${label(n)}没有住户 (grid ${n} holds no household)`, geometry: g.geometry });
    }
  }
  if (untrusted.length) {
    for (const r of await q(`
        WITH pg AS (SELECT * FROM ${PLAN_GRIDS_TABLE} WHERE NOT (plan_id = ANY (coalesce(${TRUSTED}, '{}'))))
        SELECT a.plan_id AS plan, a.number AS a, b.number AS b, round(${area(intersection('a.geom', 'b.geom'))}::numeric, 1) AS m2,
               ${gj(intersection('a.geom', 'b.geom'))} AS geometry
          FROM pg a JOIN pg b ON a.plan_id = b.plan_id AND a.key < b.key AND a.geom && b.geom
         WHERE ST_Intersects(a.geom, b.geom) AND ${area(intersection('a.geom', 'b.geom'))} > ${TOLERANCE_M2}
         ORDER BY a.plan_id`)) {
      add(r.plan, { code: 'overlap', grid: r.a, message: `${label(r.a)}与${label(r.b)}重叠 ${r.m2} m² (grids ${r.a} and ${r.b} overlap)`, geometry: r.geometry });
    }
    for (const r of await q(`
        SELECT d.plan, round(${area('d.geom')}::numeric, 1) AS m2, ${gj('d.geom')} AS geometry
          FROM (SELECT p.id AS plan, ${difference('c.geom', `(SELECT ${unionAgg('t.geom')} FROM ${PLAN_GRIDS_TABLE} t WHERE t.plan_id = p.id)`)} AS geom
                  FROM plans p JOIN communities c ON c.id = p.community_id
                 WHERE p.id = ANY (${PLANS}) AND NOT (p.id = ANY (coalesce(${TRUSTED}, '{}')))) d
         WHERE ${area('d.geom')} > ${TOLERANCE_M2}
         ORDER BY d.plan`)) {
      add(r.plan, { code: 'gap', message: `社区有 ${r.m2} m² 不属于任何网格 (${r.m2} m² of the community lies in no grid)`, geometry: r.geometry });
    }
  }
  if (rest.length !== planIds.length) await usePlans(client, planIds);
  return errors;
}

/** The blocks of the given plans' communities: valid, inside the community, not overlapping, leaving no gap. */
async function checkBlocks(client: pg.ClientBase, plans: number[]): Promise<[plan: number, error: PlanError][]> {
  const errors: [number, PlanError][] = [];
  const q = async (sql: string) => (await client.query<Row>(sql)).rows;
  const check = (ids: number[]) => client.query(`SELECT set_config('grid_atlas.check', $1, true)`, [`{${ids.join(',')}}`]);
  await check(plans);
  for (const r of await q(`
      SELECT p.id AS plan, b.id, ST_IsValidReason(b.geom) AS reason, ${gj('b.geom')} AS geometry
        FROM plans p JOIN blocks b ON b.community_id = p.community_id
       WHERE p.id = ANY (${CHECKED}) AND NOT ST_IsValid(b.geom) ORDER BY p.id, b.id`)) {
    errors.push([r.plan, { code: 'invalid_block', block: r.id, message: `街区 ${r.id} 的多边形无效：${r.reason} (block ${r.id} is invalid)`, geometry: r.geometry }]);
  }
  // the overlays below need valid input: only the plans whose blocks are all valid go on
  if (errors.length) {
    const valid = plans.filter((id) => !errors.some(([plan]) => plan === id));
    if (!valid.length) return errors;
    await check(valid);
  }

  for (const r of await q(`
      SELECT p.id AS plan, b.id, round(${area(difference('b.geom', 'c.geom'))}::numeric, 1) AS m2, ${gj(difference('b.geom', 'c.geom'))} AS geometry
        FROM plans p JOIN communities c ON c.id = p.community_id JOIN blocks b ON b.community_id = c.id
       WHERE p.id = ANY (${CHECKED}) AND NOT ST_CoveredBy(b.geom, c.geom) AND ${area(difference('b.geom', 'c.geom'))} > ${TOLERANCE_M2}
       ORDER BY p.id, b.id`)) {
    errors.push([r.plan, { code: 'block_outside', block: r.id, message: `街区 ${r.id} 超出社区 ${r.m2} m² (block ${r.id} extends ${r.m2} m² outside the community)`, geometry: r.geometry }]);
  }
  for (const r of await q(`
      SELECT p.id AS plan, a.id AS a, b.id AS b, round(${area(intersection('a.geom', 'b.geom'))}::numeric, 1) AS m2, ${gj(intersection('a.geom', 'b.geom'))} AS geometry
        FROM plans p JOIN blocks a ON a.community_id = p.community_id
        JOIN blocks b ON b.community_id = p.community_id AND a.id < b.id AND a.geom && b.geom
       WHERE p.id = ANY (${CHECKED}) AND ST_Intersects(a.geom, b.geom) AND ${area(intersection('a.geom', 'b.geom'))} > ${TOLERANCE_M2}
       ORDER BY p.id, a.id, b.id`)) {
    errors.push([r.plan, { code: 'block_overlap', block: r.a, message: `街区 ${r.a} 与 ${r.b} 重叠 ${r.m2} m² (blocks ${r.a} and ${r.b} overlap)`, geometry: r.geometry }]);
  }
  for (const r of await q(`
      SELECT d.plan, round(${area('d.geom')}::numeric, 1) AS m2, ${gj('d.geom')} AS geometry
        FROM (SELECT p.id AS plan, ${difference('c.geom', unionAgg('b.geom'))} AS geom
                FROM plans p JOIN communities c ON c.id = p.community_id JOIN blocks b ON b.community_id = c.id
               WHERE p.id = ANY (${CHECKED}) GROUP BY p.id, c.geom) d
       WHERE ${area('d.geom')} > ${TOLERANCE_M2}
       ORDER BY d.plan`)) {
    errors.push([r.plan, { code: 'block_gap', message: `街区未覆盖社区的 ${r.m2} m² (the blocks leave ${r.m2} m² of the community uncovered)`, geometry: r.geometry }]);
  }
  return errors;
}
