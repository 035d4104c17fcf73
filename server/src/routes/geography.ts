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
// cadre-grid.ts: each once, so the grids' figures add up to their community's and so on). Coarser
// levels aggregate the same rows by their own key.
const STATS_BY = (key: string) => `
  SELECT hh.key, hh.households, hh.in_difficulty, coalesce(cd.cadres, 0) AS cadres
    FROM (SELECT ${key} AS key,
                 count(*)::int AS households,
                 count(*) FILTER (WHERE h.in_difficulty)::int AS in_difficulty
            FROM households h
            JOIN grids g ON g.id = h.grid_id
            JOIN communities c ON c.id = g.community_id
           GROUP BY ${key}) hh
    LEFT JOIN (SELECT ${key} AS key, count(*)::int AS cadres
                 FROM (${CADRE_GRID_SQL}) cg
                 JOIN grids g ON g.id = cg.grid_id
                 JOIN communities c ON c.id = g.community_id
                GROUP BY ${key}) cd ON cd.key = hh.key`;

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
    LEFT JOIN (${STATS_BY('c.subdistrict_id')}) st ON st.key = s.id
   WHERE ${inScope(1, { subdistrict: 's.id', community: 'NULL', grid: 'NULL' })}`);

const COMMUNITIES_SQL = featureCollection(`${featureRows('c', `'id', c.id, 'code', c.code, 'name', c.name, 'full_name', c.full_name, 'synthetic', c.synthetic,
             'subdistrict_id', s.id, 'subdistrict_name', s.name`, `
             'grids', (SELECT count(*) FROM grids g WHERE g.community_id = c.id),`)}
    FROM communities c
    JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN (${STATS_BY('c.id')}) st ON st.key = c.id
   WHERE ($1::int IS NULL OR c.subdistrict_id = $1)
     AND ($2::int IS NULL OR c.id = $2)
     AND ${inScope(3, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' })}`);

const GRIDS_SQL = featureCollection(`${featureRows('g', `'id', g.id, 'code', g.code, 'number', g.number, 'name', g.name, 'synthetic', g.synthetic,
             'community_id', c.id, 'community_name', c.name,
             'subdistrict_id', s.id, 'subdistrict_name', s.name`)}
    FROM grids g
    JOIN communities c ON c.id = g.community_id
    JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN (${STATS_BY('g.id')}) st ON st.key = g.id
   WHERE ($1::int IS NULL OR c.subdistrict_id = $1)
     AND ($2::int IS NULL OR c.id = $2)
     AND ${inScope(3, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' })}`);

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
