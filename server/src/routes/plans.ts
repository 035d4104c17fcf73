// Blocks and grid plans (网格调整方案): a planner paints a community's blocks into grids as a
// draft, validates it, applies it (one transaction, optimistic check of the community's layout
// version) and may revert the latest apply; a planner also cuts blocks with a drawn line
// (plans/split.ts) and redraws the shared edge of two blocks (plans/edge.ts). Subdistrict admins and community secretaries view and
// draft plans for their own area; city leaders view; everyone else gets 403. Scope is part of
// every query (ScopeParams), so another area's community or plan is a 404.
import { Hono, type Context, type TypedResponse } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  applyPlansBody, createPlanBody, noParams, importFeature, importFileFields, importPlanBody, redrawEdgeBody, splitBlocksBody, type ApplyPlansResponse, type ApplyResponse,
  type BlockCollection, type ImportFileInfo, type ImportFileReport, type ImportProblem, type PlanDetail, type PlanError, type PlanExport, type PlanList, type PlanSummary, type RedrawEdgeResponse,
  type RevertPreview, type RevertResponse, type SplitBlocksResponse, type ValidateResponse,
} from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { requireRole } from '../auth/authorize.ts';
import type { Role } from '@grid-atlas/contract';
import { inScope, scopeParams, type User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import { encode, sendJson, VersionedCache } from '../http/cached-body.ts';
import { clientIp } from '../http/client-ip.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest, describeZodError, notFound } from '../http/errors.ts';
import { idParam } from '@grid-atlas/contract';
import { polygonProblems } from '@grid-atlas/geodata';
import { jsonBody, validQuery } from '../http/validate.ts';
import { GeoFileError, readGeoFile, type RawFeature } from '../geofile/read.ts';
import { writeGpkg } from '../geofile/gpkg.ts';
import { applyPlan, applyPlans, PlanInvalid, previewRevert, revertPlan, type Actor } from '../plans/apply.ts';
import { splitBlocks, SplitInvalid } from '../plans/split.ts';
import { EdgeInvalid, redrawEdge } from '../plans/edge.ts';
import { PLAN, PLAN_GRIDS, PLAN_KEYS, TOLERANCE_M2, usePlan, validatePlan } from '../plans/validate.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';
const VIEW: Role[] = ['planner', 'city_leader', 'subdistrict_admin', 'community_secretary'];
const DRAFT: Role[] = ['planner', 'subdistrict_admin', 'community_secretary'];
const APPLY: Role[] = ['planner'];

const COMMUNITY_SCOPE = (p: number) => inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' });

/** The community, if it exists and lies in the user's area; 404 otherwise. */
async function visibleCommunity(db: Db, id: number, u: User): Promise<{ id: number; layout_version: number }> {
  const { rows } = await db.query<{ id: number; layout_version: number }>(`SELECT c.id, c.layout_version FROM communities c WHERE c.id = $1 AND ${COMMUNITY_SCOPE(2)}`, [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`社区 ${id} 不存在 (no community with id ${id})`);
  return rows[0];
}

async function visiblePlan(db: Db, id: number, u: User): Promise<{ id: number; community_id: number; status: string }> {
  const { rows } = await db.query<{ id: number; community_id: number; status: string }>(
    `SELECT p.id, p.community_id, p.status FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = $1 AND ${COMMUNITY_SCOPE(2)}`,
    [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`方案 ${id} 不存在 (no plan with id ${id})`);
  return rows[0];
}

/** The plans, if every one exists and lies in the user's area; 404 naming the others. */
async function visiblePlans(db: Db, ids: number[], u: User): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT p.id FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = ANY ($1::int[]) AND ${COMMUNITY_SCOPE(2)}`,
    [ids, ...scopeParams(u)]);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw notFound(`方案 ${missing.join('、')} 不存在 (no plan with id ${missing.join(', ')})`);
}

// The 1 MB body limit of the two draft routes is set with every other route's, in http/body-limit.ts.

const planIdParam = z.object({ id: idParam }).strict();
const planId = (c: Context) => {
  const r = planIdParam.safeParse(c.req.param());
  if (!r.success) throw badRequest(describeZodError(r.error));
  return r.data.id;
};

const actor = (c: Context<AppEnv>): Actor => ({ userId: c.get('user').id, actor: c.get('user').username, ip: clientIp(c, false) });

interface Assignment { block: number; grid_id: number | null; new_number: number | null }

/** Checks that the assignments name every block of the community exactly once, then saves a draft. */
export async function createDraft(client: import('pg').ClientBase, community: { id: number; layout_version: number }, title: string,
  list: Assignment[], who: Actor): Promise<number> {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const a of list) (seen.has(a.block) ? twice : seen).add(a.block);
  if (twice.size) throw badRequest(`街区重复分配 (blocks assigned more than once): ${[...twice].slice(0, 20).join(', ')}`);
  const blocks = (await client.query<{ id: number }>('SELECT id FROM blocks WHERE community_id = $1', [community.id])).rows.map((r) => r.id);
  const own = new Set(blocks);
  const unknown = [...seen].filter((b) => !own.has(b));
  if (unknown.length) throw badRequest(`街区不存在或不属于本社区 (unknown blocks, or blocks of another community): ${unknown.slice(0, 20).join(', ')}`);
  const missing = blocks.filter((b) => !seen.has(b));
  if (missing.length) throw badRequest(`有 ${missing.length} 个街区未分配，每个街区须分配一次 (every block must be assigned once; missing): ${missing.slice(0, 20).join(', ')}`);
  const grids = (await client.query<{ id: number; number: number }>('SELECT id, number FROM grids WHERE community_id = $1', [community.id])).rows;
  const gridIds = new Set(grids.map((g) => g.id));
  const badGrids = [...new Set(list.filter((a) => a.grid_id != null && !gridIds.has(a.grid_id)).map((a) => a.grid_id))];
  if (badGrids.length) throw badRequest(`网格不存在或不属于本社区 (unknown grids, or grids of another community): ${badGrids.join(', ')}`);
  const numbers = new Set(grids.map((g) => g.number));
  const taken = [...new Set(list.filter((a) => a.new_number != null && numbers.has(a.new_number)).map((a) => a.new_number))];
  if (taken.length) throw badRequest(`新网格编号已被现有网格使用 (new grid numbers already used by existing grids): ${taken.join(', ')}`);

  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO plans (community_id, title, author_id, author, base_version) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [community.id, title, who.userId, who.actor, community.layout_version]);
  const id = rows[0].id;
  await client.query(
    `INSERT INTO plan_assignments (plan_id, block_id, grid_id, new_number)
     SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
    [id, list.map((a) => a.block), list.map((a) => a.grid_id), list.map((a) => a.new_number)]);
  await audit(client, { ...who, action: 'create', entity: 'plan', entityId: id, after: { community: community.id, title, assignments: list.length } });
  return id;
}

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
async function loadSummary(db: Db, id: number): Promise<PlanSummary> {
  return planSummary((await db.query<PlanSummaryRow>(`${SUMMARY} WHERE p.id = $1`, [id])).rows[0]);
}

const SUMMARY = `
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
const DETAIL_GRIDS = `
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

class ImportInvalid extends HTTPException {
  constructor(readonly errors: PlanError[], message = `导入的网格有 ${errors.length} 个问题 (the imported grids have ${errors.length} problem(s))`) {
    super(400, { message });
  }
}

/**
 * Overlays of the imported polygons snap to this grid (degrees, ~0.1 mm): GEOS's fixed-precision
 * overlay never fails on nearly coincident edges, as a polygon exported at 7 decimals has with
 * the blocks it was dissolved from. The floating-point overlay can, and inside the embedded
 * database such a failure silently ended the query early (rows, even a count's only row, missing
 * without an error): blocks went unassigned.
 */
const GRID_SIZE = 1e-9;

/** The import's message for invalid geometry: the first problem (it names its feature), and how many more. */
const invalidGeometry = (errors: PlanError[]) =>
  errors[0].message + (errors.length > 1 ? `；另有 ${errors.length - 1} 处 (and ${errors.length - 1} more)` : '');

/** Imported polygons → block assignments by largest overlap; every problem found is a 400. */
async function importAssignments(client: import('pg').ClientBase, communityId: number, body: z.infer<typeof importPlanBody>): Promise<Assignment[]> {
  const f = body.geojson.features;
  // rings PostGIS cannot judge (unclosed, too short): named here, before the database
  const broken = f.flatMap((x, i) => polygonProblems(x.geometry).map((p): PlanError => ({
    code: 'invalid_geometry', grid: x.properties.number,
    message: `第 ${i + 1} 个要素（第${x.properties.number}网格）几何无效 (invalid geometry in feature ${i + 1}, grid ${x.properties.number}: ${p.message})`,
    geometry: { type: 'Point', coordinates: [p.at[0], p.at[1]] },
  })));
  if (broken.length) {
    throw new ImportInvalid(broken, invalidGeometry(broken));
  }
  const grids = (await client.query<{ id: number }>('SELECT id FROM grids WHERE community_id = $1', [communityId])).rows;
  const own = new Set(grids.map((g) => g.id));
  const unknown = f.map((x) => x.properties.grid_id).filter((g): g is number => g != null && !own.has(g));
  if (unknown.length) throw badRequest(`网格不存在或不属于本社区 (unknown grids, or grids of another community): ${unknown.join(', ')}`);
  await client.query(`SELECT set_config('grid_atlas.community', $1, true), set_config('jit', 'off', true)`, [String(communityId)]);
  await client.query(`CREATE TEMP TABLE plan_import (k int PRIMARY KEY, grid_id int, number int NOT NULL, geom geometry NOT NULL) ON COMMIT DROP`);
  try {
    await client.query('SAVEPOINT geojson');
    await client.query(
      `INSERT INTO plan_import SELECT k, grid_id, number, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)
         FROM unnest($1::int[], $2::int[], $3::int[], $4::text[]) AS t (k, grid_id, number, g)`,
      [f.map((_, i) => i), f.map((x) => x.properties.grid_id ?? null), f.map((x) => x.properties.number), f.map((x) => JSON.stringify(x.geometry))]);
    await client.query('RELEASE SAVEPOINT geojson');
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT geojson');
    throw badRequest(`几何无法读取 (the geometry cannot be read): ${(err as Error).message}`);
  }
  const COMMUNITY = `current_setting('grid_atlas.community')::int`;
  const errors: PlanError[] = [];
  const q = async (sql: string) => (await client.query(sql)).rows;
  for (const r of await q(`SELECT k, number, ST_IsValidReason(geom) AS reason, ST_AsGeoJSON(coalesce((ST_IsValidDetail(geom)).location, geom), 7)::json AS geometry
                             FROM plan_import WHERE NOT ST_IsValid(geom) ORDER BY k`)) {
    errors.push({ code: 'invalid_geometry', grid: r.number, message: `第 ${r.k + 1} 个要素（第${r.number}网格）几何无效 (invalid geometry in feature ${r.k + 1}, grid ${r.number}: ${r.reason})`, geometry: r.geometry });
  }
  if (errors.length) throw new ImportInvalid(errors, invalidGeometry(errors));
  for (const r of await q(`SELECT i.number, round(ST_Area(d.geom::geography)::numeric, 1) AS m2, ST_AsGeoJSON(d.geom, 7)::json AS geometry
                             FROM plan_import i CROSS JOIN communities c CROSS JOIN LATERAL (SELECT ST_Difference(i.geom, c.geom, ${GRID_SIZE}) AS geom) d
                            WHERE c.id = ${COMMUNITY} AND ST_Area(d.geom::geography) > ${TOLERANCE_M2} ORDER BY i.k`)) {
    errors.push({ code: 'outside', grid: r.number, message: `第${r.number}网格超出社区 ${r.m2} m² (grid ${r.number} extends outside the community)`, geometry: r.geometry });
  }
  for (const r of await q(`SELECT a.number AS a, b.number AS b, round(ST_Area(x.geom::geography)::numeric, 1) AS m2, ST_AsGeoJSON(x.geom, 7)::json AS geometry
                             FROM plan_import a JOIN plan_import b ON a.k < b.k AND ST_Intersects(a.geom, b.geom)
                             CROSS JOIN LATERAL (SELECT ST_Intersection(a.geom, b.geom, ${GRID_SIZE}) AS geom) x
                            WHERE ST_Area(x.geom::geography) > ${TOLERANCE_M2} ORDER BY a.k, b.k`)) {
    errors.push({ code: 'overlap', grid: r.a, message: `第${r.a}网格与第${r.b}网格重叠 ${r.m2} m² (grids ${r.a} and ${r.b} overlap)`, geometry: r.geometry });
  }
  // each block to the imported polygon it overlaps most (one row per block, from a per-block
  // lookup, so a block in no polygon still has its row); counted against the blocks, as a guard
  // against a query cut short
  const best = await q(`SELECT b.id AS block, m.grid_id, m.number, coalesce(m.m2, 0) AS m2
                          FROM blocks b LEFT JOIN LATERAL (
                                 SELECT i.grid_id, i.number, ST_Area(ST_Intersection(b.geom, i.geom, ${GRID_SIZE})::geography) AS m2
                                   FROM plan_import i WHERE ST_Intersects(b.geom, i.geom)
                                  ORDER BY 3 DESC, i.k LIMIT 1) m ON true
                         WHERE b.community_id = ${COMMUNITY} ORDER BY b.id`);
  const blocks = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM blocks WHERE community_id = $1', [communityId])).rows[0].n;
  if (best.length !== blocks) throw new Error(`plan import: ${best.length} block matches for ${blocks} blocks of community ${communityId}`);
  const lost = best.filter((r) => r.number == null || r.m2 <= TOLERANCE_M2).map((r) => Number(r.block));
  if (lost.length) {
    // ids read from the database, inlined: an ST_Union aggregate must not take bind parameters on
    // the embedded database (see plans/validate.ts)
    const g = (await client.query(`SELECT ST_AsGeoJSON(ST_Union(geom), 7)::json AS g FROM blocks WHERE id IN (${lost.join(',')})`)).rows[0].g;
    errors.push({ code: 'gap', message: `有 ${lost.length} 个街区不在任何导入的网格内 (${lost.length} block(s) lie in no imported grid)`, geometry: g });
  }
  if (errors.length) throw new ImportInvalid(errors);
  return best.map((r) => ({ block: r.block, grid_id: r.grid_id ?? null, new_number: r.grid_id == null ? r.number : null }));
}

/** The multipart form of an import: its text fields (validated) and its one file. */
async function importForm(c: Context): Promise<{ fields: z.infer<typeof importFileFields>; file: File }> {
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch (err) {
    if (err instanceof HTTPException) throw err;
    throw badRequest('无法解析表单 (the form could not be read)');
  }
  const { file, ...rest } = form;
  if (file === undefined) throw badRequest('请选择要导入的文件 (the form has no file field)');
  if (Array.isArray(file)) throw badRequest('每次只能导入一个文件 (send one file)');
  if (typeof file === 'string') throw badRequest('file 字段应为上传的文件 (the file field must be a file)');
  for (const [k, v] of Object.entries(rest)) {
    if (typeof v !== 'string') throw badRequest(`字段 ${k} 应为文本 (field ${k} must be a single text value)`);
  }
  const parsed = importFileFields.safeParse(rest);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error));
  return { fields: parsed.data, file };
}

// Attribute names (lower case) a file may give a grid's number and existing id under: ours as
// /geojson writes them, and the Chinese names planners' tables use.
const NUMBER_KEYS = ['number', '编号', '网格编号', '网格号', 'grid_no', 'gridno'];
const GRID_ID_KEYS = ['grid_id', 'gridid', '网格id'];

const pick = (props: Record<string, unknown>, keys: string[]) => {
  for (const [k, v] of Object.entries(props)) if (keys.includes(k.trim().toLowerCase())) return v;
  return undefined;
};
const asInt = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*[0-9]+(\.0*)?\s*$/.test(v)) return Number(v);
  return null;
};

/**
 * The features of a file as the import's GeoJSON features ({ grid_id, number } and a polygon),
 * or the problems, each naming its feature (第 N 个要素) and grid where it has one.
 */
function planFeatures(raw: RawFeature[]): { features: z.infer<typeof importFeature>[]; errors: ImportProblem[] } {
  const features: z.infer<typeof importFeature>[] = [];
  const errors: ImportProblem[] = [];
  if (raw.length === 0) errors.push({ code: 'invalid_file', message: '文件中没有要素 (the file holds no features)' });
  if (raw.length > 999) errors.push({ code: 'invalid_file', message: `要素过多：${raw.length} 个，一个方案最多 999 个网格 (at most 999 grids)` });
  raw.forEach((f, i) => {
    const n = asInt(pick(f.properties, NUMBER_KEYS));
    const idValue = pick(f.properties, GRID_ID_KEYS);
    const gridId = idValue === null || idValue === undefined || idValue === '' || idValue === 0 ? null : asInt(idValue);
    const who = `第 ${i + 1} 个要素${n !== null ? `（第${n}网格）` : ''}`;
    if (n === null) {
      errors.push({ code: 'invalid_feature', message: `${who}缺少网格编号：应有 number（或“网格编号”）字段，1–999 的整数 (feature ${i + 1}: no grid number)` });
      return;
    }
    if (idValue !== null && idValue !== undefined && idValue !== '' && idValue !== 0 && gridId === null) {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}的 grid_id “${String(idValue)}” 不是整数 (feature ${i + 1}: grid_id is not an integer)` });
      return;
    }
    if (!f.geometry) {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}没有几何 (feature ${i + 1} has no geometry)` });
      return;
    }
    if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}是 ${f.geometry.type}，网格应为面 Polygon/MultiPolygon (feature ${i + 1} is a ${f.geometry.type}, not a polygon)` });
      return;
    }
    const parsed = importFeature.safeParse({ type: 'Feature', properties: { grid_id: gridId, number: n }, geometry: f.geometry });
    if (!parsed.success) {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}：${describeZodError(parsed.error)}` });
      return;
    }
    features.push(parsed.data);
  });
  const seen = new Map<number, number>();
  features.forEach((f, i) => {
    const k = f.properties.number;
    if (seen.has(k)) errors.push({ code: 'invalid_feature', grid: k, message: `网格编号 ${k} 重复：第 ${seen.get(k)! + 1} 与第 ${i + 1} 个要素 (grid number ${k} appears twice)` });
    else seen.set(k, i);
  });
  return { features, errors };
}

/** Thrown to roll a dry run back once its report is made. */
class DryRun {
  constructor(readonly report: ImportFileReport) {}
}

const IMPORT_REPORT_SQL = `SELECT count(*)::int AS n FROM plan_assignments a JOIN blocks b ON b.id = a.block_id
                            WHERE a.plan_id = $1 AND a.grid_id IS DISTINCT FROM b.grid_id`;

/** The GeoPackage export's attribute columns, as /geojson names them. */
const GPKG_COLUMNS = [
  { name: 'key', type: 'TEXT' }, { name: 'grid_id', type: 'INTEGER' }, { name: 'number', type: 'INTEGER' }, { name: 'code', type: 'TEXT' },
  { name: 'name', type: 'TEXT' }, { name: 'community_id', type: 'INTEGER' }, { name: 'blocks', type: 'INTEGER' }, { name: 'households', type: 'INTEGER' },
  { name: 'in_difficulty', type: 'INTEGER' }, { name: 'area_km2', type: 'REAL' },
] as const;

export function planRoutes(db: Db) {
  const cache = new VersionedCache();
  return new Hono<AppEnv>()
    .get('/blocks', requireRole(...VIEW), validQuery(z.object({ community: idParam }).strict()), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      await visibleCommunity(db, q.community, u);
      return sendJson<BlockCollection>(c, await cache.get(`blocks:${q.community}`, c.get('dataVersion'), async () => {
        const { rows } = await db.query<{ body: string }>(BLOCKS_SQL, [q.community]);
        return encode(rows[0].body, GEOJSON);
      }));
    })
    .get('/plans', requireRole(...VIEW), validQuery(z.object({ community: idParam.optional() }).strict()), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      if (q.community !== undefined) await visibleCommunity(db, q.community, u);
      const { rows } = await db.query<PlanSummaryRow>(
        `${SUMMARY} WHERE ($1::int IS NULL OR p.community_id = $1) AND ${COMMUNITY_SCOPE(2)} ORDER BY p.id DESC LIMIT 500`,
        [q.community ?? null, ...scopeParams(u)]);
      return c.json<PlanList>({ plans: rows.map(planSummary) });
    })
    .post('/plans', requireRole(...DRAFT), jsonBody(createPlanBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      const community = await visibleCommunity(db, body.community, u);
      const list: Assignment[] = body.assignments.map((a) => typeof a.grid === 'number'
        ? { block: a.block, grid_id: a.grid, new_number: null }
        : { block: a.block, grid_id: null, new_number: Number(a.grid.slice(4)) });
      const id = await db.withTransaction((client) => createDraft(client, community, body.title ?? '', list, actor(c)));
      return c.json<PlanSummary, 201>(await loadSummary(db, id), 201);
    })
    .post('/plans/import', requireRole(...DRAFT), jsonBody(importPlanBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      const community = await visibleCommunity(db, body.community, u);
      try {
        const id = await db.withTransaction(async (client) => {
          const list = await importAssignments(client, community.id, body);
          return createDraft(client, community, body.title ?? '导入的方案', list, actor(c));
        });
        return c.json<PlanSummary, 201>(await loadSummary(db, id), 201);
      } catch (err) {
        if (err instanceof ImportInvalid) return c.json({ error: err.message, errors: err.errors }, 400);
        throw err;
      }
    })
    // A file (GeoJSON, zipped Shapefile, GeoPackage) → a draft: read and reprojected to WGS84,
    // then the JSON import's checks and the draft, in one transaction; a dry run reports what
    // the draft would change and rolls it back.
    .post('/plans/import-file', requireRole(...DRAFT), async (c) => {
      const u = c.get('user');
      const { fields, file } = await importForm(c);
      const community = await visibleCommunity(db, fields.community, u);
      let read;
      try {
        read = await readGeoFile(new Uint8Array(await file.arrayBuffer()), file.name, fields.crs);
      } catch (err) {
        if (err instanceof GeoFileError) throw badRequest(err.message);
        throw err;
      }
      const info: ImportFileInfo = { name: file.name, format: read.format, bytes: file.size, layer: read.layer, features: read.features.length, crs: read.crs, warnings: read.warnings };
      const empty = { grids: [], removed_grids: [], blocks_moving: 0, households_moving: 0, plan: null };
      const refuse = (errors: ImportProblem[]) => {
        const report: ImportFileReport = { dry_run: fields.dry_run, ok: false, file: info, errors, ...empty };
        // a dry run reports the problems; saving a file that has them is a 400 with the same report
        return fields.dry_run ? c.json(report, 200) : c.json({ error: errors[0].message + (errors.length > 1 ? `；另有 ${errors.length - 1} 处 (and ${errors.length - 1} more)` : ''), ...report }, 400);
      };
      const { features, errors } = planFeatures(read.features);
      if (errors.length) return refuse(errors);
      const body = { community: community.id, title: fields.title, geojson: { type: 'FeatureCollection' as const, features } };
      try {
        const report = await db.withTransaction(async (client) => {
          const list = await importAssignments(client, community.id, body);
          const title = fields.title || `导入的方案：${file.name}`.slice(0, 200);
          const id = await createDraft(client, community, title, list, actor(c));
          await usePlan(client, id);
          const detail = JSON.parse((await client.query<{ body: string }>(DETAIL_GRIDS)).rows[0].body);
          const blocksMoving = (await client.query<{ n: number }>(IMPORT_REPORT_SQL, [id])).rows[0].n;
          const summary = (await client.query<Record<string, any>>(`${SUMMARY} WHERE p.id = $1`, [id])).rows[0];
          const r: ImportFileReport = {
            dry_run: fields.dry_run, ok: true, file: info, errors: [],
            grids: detail.grids.map((g: any) => ({ key: g.key, grid_id: g.grid_id, number: g.number, name: g.name, blocks: g.blocks, households: g.households,
              households_in: Number(g.households_in), households_out: Number(g.households_out) })),
            removed_grids: detail.removed_grids, blocks_moving: blocksMoving, households_moving: Number(detail.households_moving),
            plan: fields.dry_run ? null : { ...summary, created_at: new Date(summary.created_at).toISOString() } as ImportFileReport['plan'],
          };
          if (fields.dry_run) throw new DryRun(r);
          return r;
        });
        return c.json(report, 201);
      } catch (err) {
        if (err instanceof DryRun) return c.json(err.report, 200);
        if (err instanceof ImportInvalid) return refuse(err.errors);
        // createDraft's refusals (a new grid's number taken by an existing grid, say)
        if (err instanceof HTTPException && err.status === 400) return refuse([{ code: 'invalid_plan', message: err.message }]);
        throw err;
      }
    })
    .get('/plans/:id', requireRole(...VIEW), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const summary = await loadSummary(db, plan.id);
      const detail = await db.withTransaction(async (client) => {
        await usePlan(client, plan.id);
        return (await client.query<{ body: string }>(DETAIL_GRIDS)).rows[0].body;
      });
      // DETAIL_GRIDS builds the rest of the detail as JSON in SQL
      const grids = JSON.parse(detail) as Omit<PlanDetail, keyof PlanSummary>;
      return c.json<PlanDetail>({ ...summary, ...grids });
    })
    .get('/plans/:id/geojson', requireRole(...VIEW), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const body = await db.withTransaction(async (client) => {
        await usePlan(client, plan.id);
        return (await client.query<{ body: string }>(GEOJSON_SQL)).rows[0].body;
      });
      c.header('Content-Disposition', `attachment; filename="plan-${plan.id}.geojson"`);
      c.header('Content-Type', GEOJSON);
      // GEOJSON_SQL writes the contract's PlanExport
      const res: Response = c.body(body);
      return res as Response & TypedResponse<PlanExport, 200, 'json'>;
    })
    // The same grids as /geojson, as a GeoPackage (one MultiPolygon table in EPSG:4326) for QGIS and ArcGIS.
    .get('/plans/:id/gpkg', requireRole(...VIEW), validQuery(noParams), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const fc = JSON.parse(await db.withTransaction(async (client) => {
        await usePlan(client, plan.id);
        return (await client.query<{ body: string }>(GEOJSON_SQL)).rows[0].body;
      }));
      const bytes = await writeGpkg('grids', [...GPKG_COLUMNS], fc.features,
        `${fc.plan.community_name} · ${fc.plan.title} (plan ${plan.id}, ${fc.plan.status})`);
      c.header('Content-Disposition', `attachment; filename="plan-${plan.id}.gpkg"`);
      c.header('Content-Type', 'application/geopackage+sqlite3');
      return c.body(bytes as Uint8Array<ArrayBuffer>);
    })
    .post('/plans/:id/validate', requireRole(...VIEW), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const errors = await db.withTransaction(async (client) => {
        return validatePlan(client, plan.id);
      });
      return c.json<ValidateResponse>({ ok: errors.length === 0, errors });
    })
    .post('/plans/apply', requireRole(...APPLY), jsonBody(applyPlansBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      await visiblePlans(db, body.plans, u);
      try {
        return c.json<ApplyPlansResponse>({ applied: await db.withTransaction((client) => applyPlans(client, body.plans, actor(c))) });
      } catch (err) {
        if (err instanceof PlanInvalid) return c.json({ error: err.message, errors: err.errors }, 422);
        throw err;
      }
    })
    .post('/plans/:id/apply', requireRole(...APPLY), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      try {
        return c.json<ApplyResponse>(await db.withTransaction((client) => applyPlan(client, plan.id, actor(c))));
      } catch (err) {
        if (err instanceof PlanInvalid) return c.json({ error: err.message, errors: err.errors }, 422);
        throw err;
      }
    })
    .post('/blocks/split', requireRole(...APPLY), jsonBody(splitBlocksBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      await visibleCommunity(db, body.community, u);
      try {
        return c.json<SplitBlocksResponse>(await db.withTransaction((client) => splitBlocks(client, body, actor(c))));
      } catch (err) {
        if (err instanceof SplitInvalid) return c.json({ error: err.message, errors: err.errors }, 400);
        throw err;
      }
    })
    .post('/blocks/edge', requireRole(...APPLY), jsonBody(redrawEdgeBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      await visibleCommunity(db, body.community, u);
      try {
        return c.json<RedrawEdgeResponse>(await db.withTransaction((client) => redrawEdge(client, body, actor(c))));
      } catch (err) {
        if (err instanceof SplitInvalid || err instanceof EdgeInvalid) return c.json({ error: err.message, errors: err.errors }, 400);
        throw err;
      }
    })
    // What the revert would do, for the confirmation (plans/apply.ts previewRevert: the revert
    // itself, rolled back); a revert that would be refused is the same 409 here.
    .get('/plans/:id/revert-preview', requireRole(...APPLY), validQuery(noParams), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      return c.json<RevertPreview>(await db.withTransaction((client) => previewRevert(client, plan.id, actor(c))));
    })
    .post('/plans/:id/revert', requireRole(...APPLY), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      return c.json<RevertResponse>(await db.withTransaction((client) => revertPlan(client, plan.id, actor(c))));
    });
}
