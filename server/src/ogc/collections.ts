// The feature collections of the OGC API and their SQL. Each collection reads one table (alias
// x) with what it joins, restricted in SQL by the same scope rules as the /api routes that show
// the same rows: the geography's area scope (auth/scope.ts) for the administrative levels, blocks
// and plan drafts, and the cases' own wider rule (caseInScope in auth/scope.ts) for cases. Nothing personal is
// served: no household, no case address, no reporter's phone.
import type { OgcCollectionId, Role } from '@grid-atlas/contract';
import { caseInScope, caseScopeParams, inScope, scopeParams, type User } from '../auth/scope.ts';
import type { Queryable } from '../db/index.ts';
import { unionAgg } from '../db/overlay.ts';

/** Who views blocks and grid plans (the same roles as GET /api/blocks and /api/plans). */
const PLAN_VIEWERS: Role[] = ['planner', 'city_leader', 'subdistrict_admin', 'community_secretary'];

export interface CollectionDef {
  id: OgcCollectionId;
  title: string;
  description: string;
  /** Roles that may read it; every signed-in role when absent. */
  roles?: Role[];
  /** The parameters of `where`, in order, for a user. */
  scope: (u: User) => unknown[];
  /** FROM clause: the collection's table as x, and its joins. */
  from: string;
  /** The scope condition, given the number of the first scope parameter. */
  where: (p: number) => string;
  geom: string;
  /** The feature's time (the datetime filter's subject); null for collections without one. */
  time: string | null;
  /** json_build_object(...) of the feature's properties. */
  properties: string;
}

const AREA_KM2 = (geom: string) => `round((ST_Area(${geom}::geography) / 1e6)::numeric, 3)`;
const areaScope = (u: User) => scopeParams(u);

export const COLLECTIONS: CollectionDef[] = [
  {
    id: 'subdistricts', title: '街道', description: '街道（乡镇）边界 (subdistrict boundaries)',
    scope: areaScope,
    from: 'subdistricts x',
    where: (p) => inScope(p, { subdistrict: 'x.id', community: 'NULL', grid: 'NULL' }),
    geom: 'x.geom', time: null,
    properties: `json_build_object('code', x.code, 'name', x.name, 'synthetic', x.synthetic,
      'communities', (SELECT count(*)::int FROM communities c WHERE c.subdistrict_id = x.id),
      'households', (SELECT count(*)::int FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = x.id),
      'area_km2', ${AREA_KM2('x.geom')})`,
  },
  {
    id: 'communities', title: '社区', description: '社区（村）边界 (community boundaries)',
    scope: areaScope,
    from: 'communities x JOIN subdistricts s ON s.id = x.subdistrict_id',
    where: (p) => inScope(p, { subdistrict: 'x.subdistrict_id', community: 'x.id', grid: 'NULL' }),
    geom: 'x.geom', time: null,
    properties: `json_build_object('code', x.code, 'name', x.name, 'full_name', x.full_name, 'synthetic', x.synthetic,
      'subdistrict_id', s.id, 'subdistrict_name', s.name,
      'grids', (SELECT count(*)::int FROM grids g WHERE g.community_id = x.id),
      'households', (SELECT count(*)::int FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = x.id),
      'area_km2', ${AREA_KM2('x.geom')})`,
  },
  {
    id: 'grids', title: '网格', description: '网格边界 (grid boundaries)',
    scope: areaScope,
    from: 'grids x JOIN communities c ON c.id = x.community_id JOIN subdistricts s ON s.id = c.subdistrict_id',
    where: (p) => inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'x.id' }),
    geom: 'x.geom', time: null,
    properties: `json_build_object('code', x.code, 'number', x.number, 'name', x.name, 'synthetic', x.synthetic,
      'community_id', c.id, 'community_name', c.name, 'subdistrict_id', s.id, 'subdistrict_name', s.name,
      'households', (SELECT count(*)::int FROM households h WHERE h.grid_id = x.id),
      'in_difficulty', (SELECT count(*)::int FROM households h WHERE h.grid_id = x.id AND h.in_difficulty),
      'area_km2', ${AREA_KM2('x.geom')})`,
  },
  {
    id: 'blocks', title: '街区', description: '街区：网格调整的最小单元 (blocks, the units a grid plan assigns)',
    roles: PLAN_VIEWERS,
    scope: areaScope,
    from: 'blocks x JOIN communities c ON c.id = x.community_id JOIN grids g ON g.id = x.grid_id',
    where: (p) => inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' }),
    geom: 'x.geom', time: null,
    properties: `json_build_object('code', x.code, 'community_id', c.id, 'community_name', c.name,
      'grid_id', g.id, 'grid_number', g.number,
      'households', (SELECT count(*)::int FROM households h WHERE h.block_id = x.id))`,
  },
  {
    id: 'cases', title: '案件', description: '事件案件（不含地址和报案人电话）(cases, without addresses or reporters\' phones)',
    scope: caseScopeParams,
    from: 'cases x JOIN case_categories cat ON cat.code = x.category_code',
    where: (p) => caseInScope(p, 'x'),
    geom: 'x.geom', time: 'x.created_at',
    properties: `json_build_object('number', x.number, 'category', x.category_code, 'category_name', cat.name,
      'priority', x.priority, 'status', x.status, 'level', x.level, 'description', x.description,
      'grid_id', x.grid_id, 'community_id', x.community_id, 'subdistrict_id', x.subdistrict_id,
      'created_at', x.created_at, 'updated_at', x.updated_at, 'deadline', x.deadline,
      'resolved_at', x.resolved_at, 'closed_at', x.closed_at)`,
  },
  {
    id: 'plan-drafts', title: '网格调整方案草稿',
    description: '未应用的网格调整方案；几何为方案改划到其他网格的街区 (grid plan drafts; the geometry is the blocks a draft moves to another grid, null when it moves none)',
    roles: PLAN_VIEWERS,
    scope: areaScope,
    from: `plans x JOIN communities c ON c.id = x.community_id
      CROSS JOIN LATERAL (SELECT ST_Multi(${unionAgg('b.geom')}) AS geom, count(*)::int AS blocks
                            FROM plan_assignments a JOIN blocks b ON b.id = a.block_id
                           WHERE a.plan_id = x.id AND a.grid_id IS DISTINCT FROM b.grid_id) moved`,
    where: (p) => `x.status = 'draft' AND ${inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' })}`,
    geom: 'moved.geom', time: 'x.created_at',
    properties: `json_build_object('title', x.title, 'status', x.status, 'community_id', c.id, 'community_name', c.name,
      'author', x.author, 'created_at', x.created_at, 'base_version', x.base_version,
      'current', x.base_version = c.layout_version, 'blocks_moved', moved.blocks)`,
  },
];

export const collectionById = (id: string) => COLLECTIONS.find((c) => c.id === id);
export const mayRead = (def: CollectionDef, u: User) => !def.roles || def.roles.includes(u.role);

const feature = (def: CollectionDef) =>
  `json_build_object('type', 'Feature', 'id', x.id, 'geometry', ST_AsGeoJSON(${def.geom}, 6)::json, 'properties', ${def.properties})`;

export interface Extent {
  bbox: [number, number, number, number] | null;
  interval: [string | null, string | null] | null;
}

/** The spatial extent, and the temporal one where the collection has a time, of the rows the user sees. */
export async function extentOf(db: Queryable, def: CollectionDef, u: User): Promise<Extent> {
  const scope = def.scope(u);
  const { rows } = await db.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number; tmin: Date | null; tmax: Date | null }>(
    `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, tmin, tmax
       FROM (SELECT ST_Extent(${def.geom}) AS e, ${def.time ? `min(${def.time})` : 'NULL::timestamptz'} AS tmin,
                    ${def.time ? `max(${def.time})` : 'NULL::timestamptz'} AS tmax
               FROM ${def.from} WHERE ${def.where(1)}) q`, scope);
  const r = rows[0];
  const round = (v: number, up: boolean) => (up ? Math.ceil(v * 1e6) : Math.floor(v * 1e6)) / 1e6;
  return {
    bbox: r.xmin == null ? null : [round(r.xmin, false), round(r.ymin, false), round(r.xmax, true), round(r.ymax, true)],
    interval: def.time ? [r.tmin ? new Date(r.tmin).toISOString() : null, r.tmax ? new Date(r.tmax).toISOString() : null] : null,
  };
}

export interface ItemsFilter {
  bbox?: [number, number, number, number];
  datetime?: { start: string | null; end: string | null };
  limit: number;
  offset: number;
}

/**
 * One page of the features the user sees that match the filter, as GeoJSON text, and how many
 * match in all. A collection without a time matches no datetime filter (its features have no
 * temporal geometry to intersect it).
 */
export async function items(db: Queryable, def: CollectionDef, u: User, f: ItemsFilter): Promise<{ matched: number; returned: number; features: string }> {
  const scope = def.scope(u);
  const b = scope.length + 1;
  const t = b + 4;
  const l = t + 2;
  const time = def.time ?? 'NULL::timestamptz';
  const sql = `
    WITH m AS (
      SELECT x.id FROM ${def.from}
       WHERE ${def.where(1)}
         AND ($${b}::float8 IS NULL OR ST_Intersects(${def.geom}, ST_MakeEnvelope($${b}::float8, $${b + 1}::float8, $${b + 2}::float8, $${b + 3}::float8, 4326)))
         AND ($${t}::timestamptz IS NULL OR ${time} >= $${t}::timestamptz)
         AND ($${t + 1}::timestamptz IS NULL OR ${time} <= $${t + 1}::timestamptz)
         AND ($${t}::timestamptz IS NULL AND $${t + 1}::timestamptz IS NULL OR ${time} IS NOT NULL)
    ), page AS (SELECT id FROM m ORDER BY id LIMIT $${l} OFFSET $${l + 1})
    SELECT (SELECT count(*)::int FROM m) AS matched, (SELECT count(*)::int FROM page) AS returned,
           (SELECT coalesce(json_agg(${feature(def)} ORDER BY x.id), '[]'::json)
              FROM ${def.from} WHERE x.id IN (SELECT id FROM page))::text AS features`;
  const bbox = f.bbox ?? [null, null, null, null];
  const { rows } = await db.query<{ matched: number; returned: number; features: string }>(sql, [
    ...scope, ...bbox, f.datetime?.start ?? null, f.datetime?.end ?? null, f.limit, f.offset,
  ]);
  return rows[0];
}

/** One feature the user sees, as GeoJSON text; null when there is none with that id in their scope. */
export async function item(db: Queryable, def: CollectionDef, u: User, id: number): Promise<string | null> {
  const scope = def.scope(u);
  const { rows } = await db.query<{ feature: string }>(
    `SELECT ${feature(def)}::text AS feature FROM ${def.from} WHERE x.id = $${scope.length + 1} AND ${def.where(1)}`, [...scope, id]);
  return rows[0]?.feature ?? null;
}
