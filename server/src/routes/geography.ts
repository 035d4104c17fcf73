// Subdistricts, communities and grids as GeoJSON FeatureCollections with per-feature
// statistics. The whole response is built in SQL (json_agg) and cached per data version.
import { Hono } from 'hono';
import {
  communitiesQuery, gridsQuery, subdistrictsQuery,
  type CityOutline, type CommunityCollection, type GridCollection, type SubdistrictCollection,
} from '@grid-atlas/contract';
import { loadCityOutline } from '@grid-atlas/geodata';
import { assertVisible, inScope, scopeParams, type ScopeParams } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { encode, sendJson, VersionedCache } from '../http/cached-body.ts';
import { validQuery } from '../http/validate.ts';
import { CADRE_GRID_SQL } from './cadre-grid.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';

// Household and in-difficulty counts per grid, and the contact cadres counted in each (see
// cadre-grid.ts: each once, so the grids' figures add up to their community's and so on). Worked
// out once per version of the data for the three levels and every filter and scope (the cadres'
// grids are a sort of every link: seconds at a prefecture's scale), and handed to each level's
// query as arrays, which it sums by its own key.
const GRID_STATS_SQL = `
  SELECT hh.grid_id, hh.households, hh.in_difficulty, coalesce(cd.cadres, 0)::int AS cadres
    FROM (SELECT h.grid_id, count(*)::int AS households, count(*) FILTER (WHERE h.in_difficulty)::int AS in_difficulty
            FROM households h
           WHERE h.grid_id IS NOT NULL
           GROUP BY h.grid_id) hh
    LEFT JOIN (SELECT cg.grid_id, count(*)::int AS cadres FROM (${CADRE_GRID_SQL}) cg GROUP BY cg.grid_id) cd
      ON cd.grid_id = hh.grid_id`;

/** The per-grid figures as parallel arrays: grid ids, households, in difficulty, cadres. */
type GridStats = [number[], number[], number[], number[]];

// One level's figures: the per-grid arrays at $p..$p+3, summed by `key` (a column of g or c).
const STATS_BY = (key: string, p: number) => `
  SELECT ${key} AS key, sum(gs.households)::int AS households, sum(gs.in_difficulty)::int AS in_difficulty,
         sum(gs.cadres)::int AS cadres
    FROM unnest($${p}::int[], $${p + 1}::int[], $${p + 2}::int[], $${p + 3}::int[]) AS gs (grid_id, households, in_difficulty, cadres)
    JOIN grids g ON g.id = gs.grid_id
    JOIN communities c ON c.id = g.community_id
   GROUP BY ${key}`;

const featureCollection = (rowsSql: string) => `
  SELECT json_build_object(
           'type', 'FeatureCollection',
           'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json)
         )::text AS body
    FROM (${rowsSql}) f`;

// One level's rows of (id, feature): the feature of the row aliased `a`, with its own properties
// first, then the figures every level carries from the statistics joined as `st`, the counts of
// what lies below it (`below`, where it has any), and its area. The three levels built this alike.
const featureRows = (a: string, own: string, below = '') => `
  SELECT ${a}.id, json_build_object(
           'type', 'Feature', 'id', ${a}.id,
           'geometry', ST_AsGeoJSON(${a}.geom, 6)::json,
           'properties', json_build_object(
             ${own},
             'households', coalesce(st.households, 0), 'in_difficulty', coalesce(st.in_difficulty, 0),
             'cadres', coalesce(st.cadres, 0),${below}
             'area_km2', round((ST_Area(${a}.geom::geography) / 1e6)::numeric, 3))) AS feature`;

const SUBDISTRICTS_SQL = featureCollection(`${featureRows('s', `'id', s.id, 'code', s.code, 'name', s.name, 'synthetic', s.synthetic`, `
             'communities', (SELECT count(*) FROM communities c WHERE c.subdistrict_id = s.id),
             'grids', (SELECT count(*) FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = s.id),`)}
    FROM subdistricts s
    LEFT JOIN (${STATS_BY('c.subdistrict_id', 5)}) st ON st.key = s.id
   WHERE ${inScope(1, { subdistrict: 's.id', community: 'NULL', grid: 'NULL' })}`);

const COMMUNITIES_SQL = featureCollection(`${featureRows('c', `'id', c.id, 'code', c.code, 'name', c.name, 'full_name', c.full_name, 'synthetic', c.synthetic,
             'subdistrict_id', s.id, 'subdistrict_name', s.name`, `
             'grids', (SELECT count(*) FROM grids g WHERE g.community_id = c.id),`)}
    FROM communities c
    JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN (${STATS_BY('c.id', 7)}) st ON st.key = c.id
   WHERE ($1::int IS NULL OR c.subdistrict_id = $1)
     AND ($2::int IS NULL OR c.id = $2)
     AND ${inScope(3, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' })}`);

const GRIDS_SQL = featureCollection(`${featureRows('g', `'id', g.id, 'code', g.code, 'number', g.number, 'name', g.name, 'synthetic', g.synthetic,
             'community_id', c.id, 'community_name', c.name,
             'subdistrict_id', s.id, 'subdistrict_name', s.name`)}
    FROM grids g
    JOIN communities c ON c.id = g.community_id
    JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN (${STATS_BY('g.id', 7)}) st ON st.key = g.id
   WHERE ($1::int IS NULL OR c.subdistrict_id = $1)
     AND ($2::int IS NULL OR c.id = $2)
     AND ${inScope(3, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' })}`);

export function geographyRoutes(db: Db) {
  const cache = new VersionedCache();
  const stats = new VersionedCache<GridStats>(1);
  const gridStats = (version: number) => stats.get('grids', version, async () => {
    const { rows } = await db.query<{ grid_id: number; households: number; in_difficulty: number; cadres: number }>(GRID_STATS_SQL);
    return [rows.map((r) => r.grid_id), rows.map((r) => r.households), rows.map((r) => r.in_difficulty), rows.map((r) => r.cadres)] as GridStats;
  });
  // Keyed by filter and scope: users of one scope share an entry.
  const collection = (version: number, name: string, sql: string, filters: (number | null)[], scope: ScopeParams) => {
    return cache.get(`${name}:${filters.join(',')}:${scope.join(',')}`, version, async () => {
      const { rows } = await db.query<{ body: string }>(sql, [...filters, ...scope, ...(await gridStats(version))]);
      return encode(rows[0].body, GEOJSON);
    });
  };
  let outline: ReturnType<typeof encode> | undefined;

  return new Hono<AppEnv>()
    .get('/subdistricts', validQuery(subdistrictsQuery), async (c) => {
      const body = await collection(c.get('dataVersion'), 'subdistricts', SUBDISTRICTS_SQL, [], scopeParams(c.get('user')));
      return sendJson<SubdistrictCollection>(c, body);
    })
    .get('/communities', validQuery(communitiesQuery), async (c) => {
      const q = c.req.valid('query');
      const user = c.get('user');
      await assertVisible(db, user, 'subdistrict', q.subdistrict);
      const body = await collection(c.get('dataVersion'), 'communities', COMMUNITIES_SQL, [q.subdistrict ?? null, null], scopeParams(user));
      return sendJson<CommunityCollection>(c, body);
    })
    .get('/grids', validQuery(gridsQuery), async (c) => {
      const q = c.req.valid('query');
      const user = c.get('user');
      await assertVisible(db, user, 'subdistrict', q.subdistrict);
      await assertVisible(db, user, 'community', q.community);
      const body = await collection(c.get('dataVersion'), 'grids', GRIDS_SQL, [q.subdistrict ?? null, q.community ?? null], scopeParams(user));
      return sendJson<GridCollection>(c, body);
    })
    .get('/city-outline', (c) => {
      outline ??= encode(JSON.stringify({ type: 'FeatureCollection', features: [loadCityOutline()] }), GEOJSON);
      return sendJson<CityOutline>(c, outline);
    });
}
