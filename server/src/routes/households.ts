// GET /api/households: every household point in scope, in the contract's binary form.
import { Hono } from 'hono';
import { encodeHouseholds, FLAG_ANY_LINK, FLAG_IN_DIFFICULTY, FLAG_IN_SERVICE_LINK, HOUSEHOLD_RECORD_BYTES, HOUSEHOLDS_HEADER_BYTES } from '@grid-atlas/contract';
import { noParams } from '@grid-atlas/contract';
import { inScope, scopeParams } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { encode, send, VersionedCache } from '../http/cached-body.ts';
import { validQuery } from '../http/validate.ts';

// Sorted by grid, then id, so the grid column is long runs and compresses to almost nothing.
const HOUSEHOLDS_SQL = `
  SELECT h.id, coalesce(h.grid_id, 0) AS grid_id, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, h.size,
         (CASE WHEN h.in_difficulty THEN ${FLAG_IN_DIFFICULTY} ELSE 0 END
          | CASE WHEN bool_or(c.kind = 'in_service') THEN ${FLAG_IN_SERVICE_LINK} ELSE 0 END
          | CASE WHEN count(l.cadre_id) > 0 THEN ${FLAG_ANY_LINK} ELSE 0 END) AS flags
    FROM households h
    LEFT JOIN grids g ON g.id = h.grid_id
    LEFT JOIN communities cm ON cm.id = g.community_id
    LEFT JOIN cadre_household_links l ON l.household_id = h.id
    LEFT JOIN cadres c ON c.id = l.cadre_id
   WHERE ${inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' })}
   GROUP BY h.id
   ORDER BY coalesce(h.grid_id, 0), h.id`;

export function householdRoutes(db: Db) {
  const cache = new VersionedCache(50);
  return new Hono<AppEnv>().get('/households', validQuery(noParams), async (c) => {
    const scope = scopeParams(c.get('user'));
    const encoded = await cache.get(scope.join(','), c.get('dataVersion'), async () => {
      const { rows } = await db.query<{ id: number; grid_id: number; lon: number; lat: number; size: number; flags: number }>(HOUSEHOLDS_SQL, scope);
      const n = rows.length;
      const cols = {
        id: new Uint32Array(n), gridId: new Uint32Array(n), lon: new Float64Array(n), lat: new Float64Array(n),
        flags: new Uint8Array(n), size: new Uint8Array(n),
      };
      rows.forEach((r, i) => {
        cols.id[i] = r.id; cols.gridId[i] = r.grid_id; cols.lon[i] = r.lon; cols.lat[i] = r.lat;
        cols.flags[i] = r.flags; cols.size[i] = r.size;
      });
      return encode(Buffer.from(encodeHouseholds(cols)), 'application/octet-stream');
    });
    c.header('X-Household-Count', String((encoded.body.byteLength - HOUSEHOLDS_HEADER_BYTES) / HOUSEHOLD_RECORD_BYTES));
    return send(c, encoded);
  });
}
