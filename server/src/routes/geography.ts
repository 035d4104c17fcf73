// Subdistricts, communities and grids as GeoJSON FeatureCollections with per-feature
// statistics. The whole response is built in SQL (json_agg) and cached per data version.
import { Hono } from 'hono';
import { z } from 'zod';
import { loadCityOutline } from '@grid-atlas/geodata';
import { inScope, scopeParams, type ScopeParams } from '../auth/roles.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { encode, send, VersionedCache } from '../http/cached-body.ts';
import { notFound } from '../http/errors.ts';
import { idParam, parseQuery } from '../http/query.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';

// Household and in-difficulty counts per grid, and the distinct cadres linked to each
// grid's households. Coarser levels aggregate the same rows by their own key, because
// a cadre linked to two grids counts once for the community.
const STATS_BY = (key: string) => `
  SELECT ${key} AS key,
         count(DISTINCT h.id)::int AS households,
         count(DISTINCT h.id) FILTER (WHERE h.in_difficulty)::int AS in_difficulty,
         count(DISTINCT l.cadre_id)::int AS cadres
    FROM households h
    JOIN grids g ON g.id = h.grid_id
    JOIN communities c ON c.id = g.community_id
    LEFT JOIN cadre_household_links l ON l.household_id = h.id
   GROUP BY ${key}`;

const featureCollection = (rowsSql: string) => `
  SELECT json_build_object(
           'type', 'FeatureCollection',
           'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json)
         )::text AS body
    FROM (${rowsSql}) f`;

const SUBDISTRICTS_SQL = featureCollection(`
  SELECT s.id, json_build_object(
           'type', 'Feature', 'id', s.id,
           'geometry', ST_AsGeoJSON(s.geom, 6)::json,
           'properties', json_build_object(
             'id', s.id, 'code', s.code, 'name', s.name, 'synthetic', s.synthetic,
             'households', coalesce(st.households, 0), 'in_difficulty', coalesce(st.in_difficulty, 0),
             'cadres', coalesce(st.cadres, 0),
             'communities', (SELECT count(*) FROM communities c WHERE c.subdistrict_id = s.id),
             'grids', (SELECT count(*) FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = s.id),
             'area_km2', round((ST_Area(s.geom::geography) / 1e6)::numeric, 3))) AS feature
    FROM subdistricts s
    LEFT JOIN (${STATS_BY('c.subdistrict_id')}) st ON st.key = s.id
   WHERE ${inScope(1, { subdistrict: 's.id', community: 'NULL', grid: 'NULL' })}`);

const COMMUNITIES_SQL = featureCollection(`
  SELECT c.id, json_build_object(
           'type', 'Feature', 'id', c.id,
           'geometry', ST_AsGeoJSON(c.geom, 6)::json,
           'properties', json_build_object(
             'id', c.id, 'code', c.code, 'name', c.name, 'full_name', c.full_name, 'synthetic', c.synthetic,
             'subdistrict_id', s.id, 'subdistrict_name', s.name,
             'households', coalesce(st.households, 0), 'in_difficulty', coalesce(st.in_difficulty, 0),
             'cadres', coalesce(st.cadres, 0),
             'grids', (SELECT count(*) FROM grids g WHERE g.community_id = c.id),
             'area_km2', round((ST_Area(c.geom::geography) / 1e6)::numeric, 3))) AS feature
    FROM communities c
    JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN (${STATS_BY('c.id')}) st ON st.key = c.id
   WHERE ($1::int IS NULL OR c.subdistrict_id = $1)
     AND ($2::int IS NULL OR c.id = $2)
     AND ${inScope(3, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' })}`);

const GRIDS_SQL = featureCollection(`
  SELECT g.id, json_build_object(
           'type', 'Feature', 'id', g.id,
           'geometry', ST_AsGeoJSON(g.geom, 6)::json,
           'properties', json_build_object(
             'id', g.id, 'code', g.code, 'number', g.number, 'name', g.name, 'synthetic', g.synthetic,
             'community_id', c.id, 'community_name', c.name,
             'subdistrict_id', s.id, 'subdistrict_name', s.name,
             'households', coalesce(st.households, 0), 'in_difficulty', coalesce(st.in_difficulty, 0),
             'cadres', coalesce(st.cadres, 0),
             'area_km2', round((ST_Area(g.geom::geography) / 1e6)::numeric, 3))) AS feature
    FROM grids g
    JOIN communities c ON c.id = g.community_id
    JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN (${STATS_BY('g.id')}) st ON st.key = g.id
   WHERE ($1::int IS NULL OR c.subdistrict_id = $1)
     AND ($2::int IS NULL OR c.id = $2)
     AND ${inScope(3, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' })}`);

const subdistrictQuery = z.object({}).strict();
const communityQuery = z.object({ subdistrict: idParam.optional() }).strict();
const gridQuery = z.object({ subdistrict: idParam.optional(), community: idParam.optional() }).strict();

// A unit is "visible" when the user's scope contains it or lies inside it: a secretary may
// filter grids by their own community, or by the subdistrict around it.
const VISIBLE_SQL = {
  subdistrict: `SELECT 1 FROM subdistricts s WHERE s.id = $1 AND ($2::boolean OR s.id = $3::int
                  OR EXISTS (SELECT 1 FROM communities c WHERE c.subdistrict_id = s.id AND c.id = $4::int)
                  OR EXISTS (SELECT 1 FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = s.id AND g.id = $5::int))`,
  community: `SELECT 1 FROM communities c WHERE c.id = $1 AND ($2::boolean OR c.subdistrict_id = $3::int OR c.id = $4::int
                  OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $5::int))`,
} as const;
const ZH = { subdistrict: '街道', community: '社区' } as const;

/**
 * A filter naming a unit that does not exist, or that the user may not see, is a 404 (not
 * an empty list that looks like "no data", and not a 403 that would confirm it exists).
 */
async function assertVisible(db: Db, kind: keyof typeof VISIBLE_SQL, id: number | undefined, scope: ScopeParams) {
  if (id === undefined) return;
  const { rowCount } = await db.query(VISIBLE_SQL[kind], [id, ...scope]);
  if (!rowCount) throw notFound(`${ZH[kind]} ${id} 不存在 (no ${kind} with id ${id})`);
}

export function geographyRoutes(db: Db) {
  const cache = new VersionedCache();
  // Keyed by filter and scope: users of one scope share an entry.
  const collection = (version: number, name: string, sql: string, filters: (number | null)[], scope: ScopeParams) => {
    return cache.get(`${name}:${filters.join(',')}:${scope.join(',')}`, version, async () => {
      const { rows } = await db.query<{ body: string }>(sql, [...filters, ...scope]);
      return encode(rows[0].body, GEOJSON);
    });
  };
  let outline: ReturnType<typeof encode> | undefined;

  return new Hono<AppEnv>()
    .get('/subdistricts', async (c) => {
      parseQuery(c, subdistrictQuery);
      return send(c, await collection(c.get('dataVersion'), 'subdistricts', SUBDISTRICTS_SQL, [], scopeParams(c.get('user'))));
    })
    .get('/communities', async (c) => {
      const q = parseQuery(c, communityQuery);
      const scope = scopeParams(c.get('user'));
      await assertVisible(db, 'subdistrict', q.subdistrict, scope);
      return send(c, await collection(c.get('dataVersion'), 'communities', COMMUNITIES_SQL, [q.subdistrict ?? null, null], scope));
    })
    .get('/grids', async (c) => {
      const q = parseQuery(c, gridQuery);
      const scope = scopeParams(c.get('user'));
      await assertVisible(db, 'subdistrict', q.subdistrict, scope);
      await assertVisible(db, 'community', q.community, scope);
      return send(c, await collection(c.get('dataVersion'), 'grids', GRIDS_SQL, [q.subdistrict ?? null, q.community ?? null], scope));
    })
    .get('/city-outline', (c) => {
      outline ??= encode(JSON.stringify({ type: 'FeatureCollection', features: [loadCityOutline()] }), GEOJSON);
      return send(c, outline);
    });
}
