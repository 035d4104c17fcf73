// Validates a plan in PostGIS, the authority both backends share: the community's blocks are
// valid and tile it, every block is assigned once, and every grid of the plan is one connected
// polygon inside the community, large enough and holding households, with no overlap and no gap.
// PostgreSQL 15 / PostGIS 3.3 lacks ST_Coverage*, so the checks use ST_Union, ST_Difference,
// ST_Intersection and ST_NumGeometries with a 1 m² tolerance for rounding.
//
// The block checks depend only on the blocks' and the community's geometry: they run again only
// when its fingerprint changed since they last passed (community_block_checks, sql 0012).
//
// The queries take no bind parameters: PGlite answers an extended-protocol query that aggregates
// with ST_Union with a PortalSuspended (see dataset/coverage.ts). The plan id travels as a
// transaction-local setting instead (usePlan), so no SQL is ever built from input.
import type pg from 'pg';
import type { PlanError } from '@grid-atlas/contract';

export const TOLERANCE_M2 = 1;
/** Smallest grid a plan may create (m²): a street block or two. */
export const MIN_GRID_AREA_M2 = 5_000;

/** The plan the following parameterless queries work on, for the rest of the transaction. */
export async function usePlan(client: pg.ClientBase, planId: number): Promise<void> {
  await client.query(`SELECT set_config('grid_atlas.plan', $1, true), set_config('jit', 'off', true)`, [String(planId)]);
}

export const PLAN = `current_setting('grid_atlas.plan')::int`;
const area = (expr: string) => `ST_Area((${expr})::geography)`;
const gj = (expr: string) => `ST_AsGeoJSON(${expr}, 7)::json`;

/** The plan's assignments with each grid's key ("123" or "new:4") and number. */
export const PLAN_KEYS = `
  SELECT a.block_id, a.grid_id, a.new_number,
         coalesce(a.grid_id::text, 'new:' || a.new_number) AS key,
         coalesce(g.number, a.new_number) AS number
    FROM plan_assignments a
    JOIN plans p ON p.id = a.plan_id
    LEFT JOIN grids g ON g.id = a.grid_id AND g.community_id = p.community_id
   WHERE a.plan_id = ${PLAN}`;

/** One row per grid of the plan: its dissolved polygon and figures. */
export const PLAN_GRIDS = `
  SELECT k.key, min(k.grid_id) AS grid_id, min(k.number) AS number, ST_Union(b.geom) AS geom,
         count(DISTINCT b.id)::int AS blocks,
         (SELECT count(*) FROM households h WHERE h.block_id = ANY (array_agg(b.id)))::int AS households,
         (SELECT count(*) FROM households h WHERE h.block_id = ANY (array_agg(b.id)) AND h.in_difficulty)::int AS in_difficulty
    FROM (${PLAN_KEYS}) k JOIN blocks b ON b.id = k.block_id
   GROUP BY k.key`;

/**
 * The temporary table validatePlan leaves behind for the rest of the transaction: PLAN_GRIDS's
 * rows (key, grid_id, number, geom, blocks, households, in_difficulty), so an apply takes the
 * grids' polygons from the dissolve it has just validated instead of dissolving again.
 */
export const PLAN_GRIDS_TABLE = 'plan_grids';

const label = (n: number | null) => (n == null ? '' : `第${n}网格`);

type Row = Record<string, any>;

/** Every problem of the plan (empty when it may be applied). Call usePlan first. */
export async function validatePlan(client: pg.ClientBase): Promise<PlanError[]> {
  const errors: PlanError[] = [];
  const q = async (sql: string) => (await client.query<Row>(sql)).rows;

  // the plan must still name exactly the community's blocks (an import re-derives them)
  for (const r of await q(`
      SELECT count(*)::int AS n, ${gj('ST_Union(b.geom)')} AS geometry
        FROM plans p JOIN blocks b ON b.community_id = p.community_id
       WHERE p.id = ${PLAN} AND NOT EXISTS (SELECT 1 FROM plan_assignments a WHERE a.plan_id = p.id AND a.block_id = b.id)
      HAVING count(*) > 0`)) {
    errors.push({ code: 'blocks_changed', message: `方案未包含社区的 ${r.n} 个街区，街区已变化 (the plan misses ${r.n} of the community's blocks; they have changed)`, geometry: r.geometry });
  }
  for (const r of await q(`
      SELECT a.grid_id FROM plan_assignments a JOIN plans p ON p.id = a.plan_id
       WHERE a.plan_id = ${PLAN} AND a.grid_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = a.grid_id AND g.community_id = p.community_id)
       GROUP BY a.grid_id ORDER BY a.grid_id`)) {
    errors.push({ code: 'unknown_grid', message: `网格 ${r.grid_id} 已不属于本社区 (grid ${r.grid_id} is no longer in this community)`, geometry: null });
  }
  for (const r of await q(`
      SELECT DISTINCT a.new_number AS number FROM plan_assignments a JOIN plans p ON p.id = a.plan_id
        JOIN grids g ON g.community_id = p.community_id AND g.number = a.new_number
       WHERE a.plan_id = ${PLAN} ORDER BY 1`)) {
    errors.push({ code: 'number_taken', grid: r.number, message: `编号 ${r.number} 已被现有网格使用 (number ${r.number} belongs to an existing grid)`, geometry: null });
  }

  // the blocks themselves: checked again only when they (or the community's outline) changed
  // since they last passed, which the fingerprint of their exact geometry tells
  const { fingerprint, community } = (await q(`
      SELECT c.id AS community, md5(string_agg(b.id || ':' || md5(ST_AsEWKB(b.geom)), ',' ORDER BY b.id) || md5(ST_AsEWKB(c.geom))) AS fingerprint
        FROM plans p JOIN communities c ON c.id = p.community_id JOIN blocks b ON b.community_id = c.id
       WHERE p.id = ${PLAN} GROUP BY c.id, c.geom`))[0] ?? {};
  const passed = fingerprint != null && (await client.query(
    'SELECT 1 FROM community_block_checks WHERE community_id = $1 AND fingerprint = $2', [community, fingerprint])).rowCount;
  if (!passed) {
    const blockErrors = await checkBlocks(q);
    errors.push(...blockErrors);
    if (blockErrors.some((e) => e.code === 'invalid_block')) return errors; // the overlays below need valid input
    if (!blockErrors.length && fingerprint != null) {
      await client.query(
        `INSERT INTO community_block_checks (community_id, fingerprint) VALUES ($1, $2)
         ON CONFLICT (community_id) DO UPDATE SET fingerprint = excluded.fingerprint, checked_at = now()`, [community, fingerprint]);
    }
  }

  // the grids the plan draws: dissolved once (the dissolve is the costly part), kept for the
  // checks below and for the apply that follows in the same transaction (PLAN_GRIDS_TABLE)
  await client.query(`DROP TABLE IF EXISTS pg_temp.${PLAN_GRIDS_TABLE}`);
  await client.query(`CREATE TEMP TABLE ${PLAN_GRIDS_TABLE} ON COMMIT DROP AS ${PLAN_GRIDS}`);
  const grids = await q(`
      SELECT pg.key, pg.number, pg.households, ST_NumGeometries(pg.geom) AS parts,
             ${area('pg.geom')} AS m2, ${area('ST_Difference(pg.geom, c.geom)')} AS outside_m2,
             ${gj('pg.geom')} AS geometry, ${gj('ST_Difference(pg.geom, c.geom)')} AS outside
        FROM ${PLAN_GRIDS_TABLE} pg, plans p JOIN communities c ON c.id = p.community_id
       WHERE p.id = ${PLAN}
       ORDER BY pg.number`);
  for (const g of grids) {
    const n = g.number as number;
    if (g.parts > 1) {
      errors.push({ code: 'multi_part', grid: n, message: `${label(n)}不连通，分成 ${g.parts} 块 (grid ${n} is split into ${g.parts} parts)`, geometry: g.geometry });
    }
    if (g.outside_m2 > TOLERANCE_M2) {
      errors.push({ code: 'outside', grid: n, message: `${label(n)}超出社区 ${g.outside_m2.toFixed(1)} m² (grid ${n} extends outside the community)`, geometry: g.outside });
    }
    if (g.m2 < MIN_GRID_AREA_M2) {
      errors.push({ code: 'too_small', grid: n, message: `${label(n)}面积 ${Math.round(g.m2)} m²，小于最小面积 ${MIN_GRID_AREA_M2} m² (grid ${n} is smaller than the minimum area)`, geometry: g.geometry });
    }
    if (g.households === 0) {
      errors.push({ code: 'empty_grid', grid: n, message: `${label(n)}没有住户 (grid ${n} holds no household)`, geometry: g.geometry });
    }
  }
  for (const r of await q(`
      WITH pg AS (SELECT * FROM ${PLAN_GRIDS_TABLE})
      SELECT a.number AS a, b.number AS b, round(${area('ST_Intersection(a.geom, b.geom)')}::numeric, 1) AS m2,
             ${gj('ST_Intersection(a.geom, b.geom)')} AS geometry
        FROM pg a JOIN pg b ON a.key < b.key AND a.geom && b.geom
       WHERE ST_Intersects(a.geom, b.geom) AND ${area('ST_Intersection(a.geom, b.geom)')} > ${TOLERANCE_M2}`)) {
    errors.push({ code: 'overlap', grid: r.a, message: `${label(r.a)}与${label(r.b)}重叠 ${r.m2} m² (grids ${r.a} and ${r.b} overlap)`, geometry: r.geometry });
  }
  for (const r of await q(`
      SELECT round(${area('d.geom')}::numeric, 1) AS m2, ${gj('d.geom')} AS geometry
        FROM (SELECT ST_Difference(c.geom, (SELECT ST_Union(geom) FROM ${PLAN_GRIDS_TABLE})) AS geom
                FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = ${PLAN}) d
       WHERE ${area('d.geom')} > ${TOLERANCE_M2}`)) {
    errors.push({ code: 'gap', message: `社区有 ${r.m2} m² 不属于任何网格 (${r.m2} m² of the community lies in no grid)`, geometry: r.geometry });
  }
  return errors;
}

/** The community's blocks: valid, inside the community, not overlapping, leaving no gap. */
async function checkBlocks(q: (sql: string) => Promise<Row[]>): Promise<PlanError[]> {
  const errors: PlanError[] = [];
  for (const r of await q(`
      SELECT b.id, ST_IsValidReason(b.geom) AS reason, ${gj('b.geom')} AS geometry
        FROM plans p JOIN blocks b ON b.community_id = p.community_id
       WHERE p.id = ${PLAN} AND NOT ST_IsValid(b.geom) ORDER BY b.id`)) {
    errors.push({ code: 'invalid_block', block: r.id, message: `街区 ${r.id} 的多边形无效：${r.reason} (block ${r.id} is invalid)`, geometry: r.geometry });
  }
  if (errors.length) return errors; // the overlays below need valid input

  for (const r of await q(`
      SELECT b.id, round(${area('ST_Difference(b.geom, c.geom)')}::numeric, 1) AS m2, ${gj('ST_Difference(b.geom, c.geom)')} AS geometry
        FROM plans p JOIN communities c ON c.id = p.community_id JOIN blocks b ON b.community_id = c.id
       WHERE p.id = ${PLAN} AND NOT ST_CoveredBy(b.geom, c.geom) AND ${area('ST_Difference(b.geom, c.geom)')} > ${TOLERANCE_M2}
       ORDER BY b.id`)) {
    errors.push({ code: 'block_outside', block: r.id, message: `街区 ${r.id} 超出社区 ${r.m2} m² (block ${r.id} extends ${r.m2} m² outside the community)`, geometry: r.geometry });
  }
  for (const r of await q(`
      SELECT a.id AS a, b.id AS b, round(${area('ST_Intersection(a.geom, b.geom)')}::numeric, 1) AS m2, ${gj('ST_Intersection(a.geom, b.geom)')} AS geometry
        FROM plans p JOIN blocks a ON a.community_id = p.community_id
        JOIN blocks b ON b.community_id = p.community_id AND a.id < b.id AND a.geom && b.geom
       WHERE p.id = ${PLAN} AND ST_Intersects(a.geom, b.geom) AND ${area('ST_Intersection(a.geom, b.geom)')} > ${TOLERANCE_M2}
       ORDER BY a.id, b.id`)) {
    errors.push({ code: 'block_overlap', block: r.a, message: `街区 ${r.a} 与 ${r.b} 重叠 ${r.m2} m² (blocks ${r.a} and ${r.b} overlap)`, geometry: r.geometry });
  }
  for (const r of await q(`
      SELECT round(${area('d.geom')}::numeric, 1) AS m2, ${gj('d.geom')} AS geometry
        FROM (SELECT ST_Difference(c.geom, ST_Union(b.geom)) AS geom
                FROM plans p JOIN communities c ON c.id = p.community_id JOIN blocks b ON b.community_id = c.id
               WHERE p.id = ${PLAN} GROUP BY c.id, c.geom) d
       WHERE ${area('d.geom')} > ${TOLERANCE_M2}`)) {
    errors.push({ code: 'block_gap', message: `街区未覆盖社区的 ${r.m2} m² (the blocks leave ${r.m2} m² of the community uncovered)`, geometry: r.geometry });
  }

  return errors;
}
