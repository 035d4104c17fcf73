// What the plan routes show: the blocks of a community, the plans' summaries, a plan's
// per-grid figures and diff, and its grids as GeoJSON, each built as JSON in SQL.
import type { PlanDetail, PlanSummary } from '@grid-atlas/contract';
import { communityInScope, scopeParams, type User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import { PLAN, PLAN_GRIDS, PLAN_KEYS, usePlan } from './validate.ts';

/** A plan as SUMMARY selects it: its timestamps as the driver reads them. */
type PlanSummaryRow = Omit<PlanSummary, 'created_at' | 'applied_at' | 'reverted_at'> & { created_at: Date; applied_at: Date | null; reverted_at: Date | null };

/** The summary as the answer carries it (timestamps as JSON writes a Date). */
const planSummary = (r: PlanSummaryRow): PlanSummary => ({
  ...r,
  created_at: r.created_at.toISOString(),
  applied_at: r.applied_at && r.applied_at.toISOString(),
  reverted_at: r.reverted_at && r.reverted_at.toISOString(),
});

/** The summary of one plan (that exists). */
export async function loadSummary(db: Db, id: number): Promise<PlanSummary> {
  return planSummary((await db.query<PlanSummaryRow>(`${SUMMARY} WHERE p.id = $1`, [id])).rows[0]);
}

export const SUMMARY = `
  SELECT p.id, p.community_id, c.name AS community_name, p.status, p.title, p.author, p.created_at, p.applied_at,
         p.reverted_at, p.base_version, (p.base_version = c.layout_version) AS current
    FROM plans p JOIN communities c ON c.id = p.community_id`;

const BLOCKS_SQL = `
  SELECT json_build_object('type', 'FeatureCollection',
           -- the layout these blocks are (a cut names it; a foreign member, as RFC 7946 allows)
           'layout_version', (SELECT layout_version FROM communities WHERE id = $1),
           'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json))::text AS body
    FROM (SELECT b.id, json_build_object(
                   'type', 'Feature', 'id', b.id, 'geometry', ST_AsGeoJSON(b.geom, 7)::json,
                   'properties', json_build_object(
                     'id', b.id, 'code', b.code, 'community_id', b.community_id, 'grid_id', b.grid_id,
                     'households', (SELECT count(*) FROM households h WHERE h.block_id = b.id),
                     'in_difficulty', (SELECT count(*) FROM households h WHERE h.block_id = b.id AND h.in_difficulty),
                     'cadres', (SELECT count(DISTINCT l.cadre_id) FROM households h JOIN cadre_household_links l ON l.household_id = h.id WHERE h.block_id = b.id),
                     'area_m2', round(ST_Area(b.geom::geography)::numeric, 1))) AS feature
            FROM blocks b WHERE b.community_id = $1) f`;

// Per-grid figures and the diff from the current grids (parameterless: see plans/validate.ts).
export const DETAIL_GRIDS = `
  WITH pg AS MATERIALIZED (${PLAN_GRIDS}),
       mv AS MATERIALIZED (SELECT h.grid_id AS "from", k.key AS "to", count(*)::int AS n
                             FROM households h JOIN (${PLAN_KEYS}) k ON k.block_id = h.block_id
                            WHERE k.grid_id IS DISTINCT FROM h.grid_id GROUP BY 1, 2)
  SELECT json_build_object(
    'grids', (SELECT coalesce(json_agg(json_build_object(
                'key', pg.key, 'grid_id', pg.grid_id, 'number', pg.number,
                'name', coalesce(g.name, c.name || '第' || pg.number || '网格'),
                'blocks', pg.blocks, 'households', pg.households, 'in_difficulty', pg.in_difficulty,
                'area_km2', round((ST_Area(pg.geom::geography) / 1e6)::numeric, 4),
                'households_in', coalesce((SELECT sum(n) FROM mv WHERE mv."to" = pg.key), 0),
                'households_out', coalesce((SELECT sum(n) FROM mv WHERE mv."from" = pg.grid_id), 0)) ORDER BY pg.number), '[]')
                FROM pg LEFT JOIN grids g ON g.id = pg.grid_id),
    'removed_grids', (SELECT coalesce(json_agg(json_build_object('grid_id', g.id, 'number', g.number, 'name', g.name,
                        'households', (SELECT count(*) FROM households h WHERE h.grid_id = g.id)) ORDER BY g.number), '[]')
                        FROM grids g WHERE g.community_id = c.id AND NOT EXISTS (SELECT 1 FROM pg WHERE pg.grid_id = g.id)),
    'moves', (SELECT coalesce(json_agg(json_build_object('from', "from", 'to', "to", 'households', n) ORDER BY "from", "to"), '[]') FROM mv),
    'households_moving', (SELECT coalesce(sum(n), 0) FROM mv),
    'assignments', (SELECT coalesce(json_agg(json_build_object('block', k.block_id, 'grid', k.key) ORDER BY k.block_id), '[]') FROM (${PLAN_KEYS}) k)
  )::text AS body
  FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = ${PLAN}`;

const GEOJSON_SQL = `
  SELECT json_build_object('type', 'FeatureCollection',
           'plan', json_build_object('id', p.id, 'title', p.title, 'status', p.status, 'community_id', c.id,
                                     'community_code', c.code, 'community_name', c.name, 'base_version', p.base_version),
           'features', coalesce(json_agg(json_build_object(
             'type', 'Feature', 'id', pg.key,
             -- Rounded to the 7 decimals written (~1 cm) by ST_ReducePrecision, which keeps the
             -- polygon valid: printing a grid whose outline passes within a centimetre of itself
             -- (as edge redraws leave) at 7 decimals made it self-intersect, and its own export
             -- could not be imported back.
             'geometry', ST_AsGeoJSON(ST_ReducePrecision(pg.geom, 1e-7), 7)::json,
             'properties', json_build_object(
               'key', pg.key, 'grid_id', pg.grid_id, 'number', pg.number,
               'code', c.code || lpad(pg.number::text, 3, '0'),
               'name', coalesce(g.name, c.name || '第' || pg.number || '网格'),
               'community_id', c.id, 'blocks', pg.blocks, 'households', pg.households, 'in_difficulty', pg.in_difficulty,
               'area_km2', round((ST_Area(pg.geom::geography) / 1e6)::numeric, 4))) ORDER BY pg.number), '[]'::json))::text AS body
    FROM (${PLAN_GRIDS}) pg
    LEFT JOIN grids g ON g.id = pg.grid_id
    CROSS JOIN plans p JOIN communities c ON c.id = p.community_id
   WHERE p.id = ${PLAN}
   GROUP BY p.id, c.id`;

/** The blocks of a community as a FeatureCollection (JSON text), with each block's figures. */
export async function blocksGeoJson(db: Db, communityId: number): Promise<string> {
  const { rows } = await db.query<{ body: string }>(BLOCKS_SQL, [communityId]);
  return rows[0].body;
}

/** The latest 500 plans the user sees, of one community or all. */
export async function listPlans(db: Db, communityId: number | null, u: User): Promise<PlanSummary[]> {
  const { rows } = await db.query<PlanSummaryRow>(
    `${SUMMARY} WHERE ($1::int IS NULL OR p.community_id = $1) AND ${communityInScope(2)} ORDER BY p.id DESC LIMIT 500`,
    [communityId, ...scopeParams(u)]);
  return rows.map(planSummary);
}

/** A plan (that exists) with its per-grid figures and the diff from the current grids. */
export async function planDetail(db: Db, id: number): Promise<PlanDetail> {
  const summary = await loadSummary(db, id);
  const detail = await db.withTransaction(async (client) => {
    await usePlan(client, id);
    return (await client.query<{ body: string }>(DETAIL_GRIDS)).rows[0].body;
  });
  // DETAIL_GRIDS builds the rest of the detail as JSON in SQL
  const grids = JSON.parse(detail) as Omit<PlanDetail, keyof PlanSummary>;
  return { ...summary, ...grids };
}

/** A plan's grids (dissolved blocks) as the contract's PlanExport, a FeatureCollection (JSON text). */
export async function planGeoJson(db: Db, id: number): Promise<string> {
  return db.withTransaction(async (client) => {
    await usePlan(client, id);
    return (await client.query<{ body: string }>(GEOJSON_SQL)).rows[0].body;
  });
}
