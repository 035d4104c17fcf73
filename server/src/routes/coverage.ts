// GET /api/coverage?kind=in_service|sunk|grid_worker|any: households and covered households per
// grid for one kind of cadre. A household is covered by party members (in-service or sunk) when one
// of that kind is linked to it, and by grid workers when its grid has a worker: a grid worker serves
// every household of their grid, so the data holds no per-household link for them. `any` counts a
// household reached either way. No personal data; built in SQL and cached per data version and scope.
import { Hono } from 'hono';
import { coverageQuery, HEAT_CELL_DEG, type CoverageResponse } from '@grid-atlas/contract';
import { inScope, scopeParams } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { encode, sendJson, VersionedCache } from '../http/cached-body.ts';
import { validQuery } from '../http/validate.ts';

// Whether household h is covered by a cadre of kind $1 (h.grid_id is its grid).
const COVERED = `(
  ($1::text IN ('in_service', 'sunk', 'any') AND EXISTS (
     SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND ($1 = 'any' OR l.cadre_kind = $1)))
  OR ($1::text IN ('grid_worker', 'any') AND EXISTS (
     SELECT 1 FROM cadres w WHERE w.grid_id = h.grid_id AND w.kind = 'grid_worker')))`;

const COVERAGE_SQL = `
  SELECT json_build_object('kind', $1::text, 'grids', coalesce(json_agg(r ORDER BY r.grid_id), '[]'::json))::text AS body
    FROM (
      SELECT g.id AS grid_id,
             count(h.id)::int AS households,
             count(h.id) FILTER (WHERE ${COVERED})::int AS covered
        FROM grids g
        JOIN communities cm ON cm.id = g.community_id
        LEFT JOIN households h ON h.grid_id = g.id
       WHERE ${inScope(2, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' })}
       GROUP BY g.id
    ) r`;

// Covered households per HEAT_CELL_DEG cell (cell centres), in the same scope: a heatmap's input
// that names no household. $1 kind, $2..$5 scope.
const HEAT_SQL = `
  SELECT coalesce(json_agg(json_build_array(x, y, n) ORDER BY x, y), '[]'::json)::text AS cells
    FROM (
      SELECT (floor(ST_X(h.geom) / ${HEAT_CELL_DEG}) + 0.5) * ${HEAT_CELL_DEG} AS x,
             (floor(ST_Y(h.geom) / ${HEAT_CELL_DEG}) + 0.5) * ${HEAT_CELL_DEG} AS y,
             count(*)::int AS n
        FROM households h
        JOIN grids g ON g.id = h.grid_id
        JOIN communities cm ON cm.id = g.community_id
       WHERE ${inScope(2, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' })}
         AND ${COVERED}
       GROUP BY 1, 2
    ) r`;

export function coverageRoutes(db: Db) {
  const cache = new VersionedCache();
  return new Hono<AppEnv>().get('/coverage', validQuery(coverageQuery), async (c) => {
    const { kind, heat } = c.req.valid('query');
    const scope = scopeParams(c.get('user'));
    const body = await cache.get(`${kind}:${heat ?? ''}:${scope.join(',')}`, c.get('dataVersion'), async () => {
      const { rows } = await db.query<{ body: string }>(COVERAGE_SQL, [kind, ...scope]);
      if (!heat) return encode(rows[0].body, 'application/json; charset=utf-8');
      const cells = await db.query<{ cells: string }>(HEAT_SQL, [kind, ...scope]);
      // Both parts are JSON text already: splice rather than parse and re-serialise.
      return encode(`${rows[0].body.slice(0, -1)},"cells":${cells.rows[0].cells}}`, 'application/json; charset=utf-8');
    });
    return sendJson<CoverageResponse>(c, body);
  });
}
