// GET /api/households: every household point in scope, in the contract's binary form.
import { Hono } from 'hono';
import { encodeHouseholds, FLAG_ANY_LINK, FLAG_IN_DIFFICULTY, FLAG_IN_SERVICE_LINK, HOUSEHOLD_RECORD_BYTES, HOUSEHOLDS_HEADER_BYTES } from '@grid-atlas/contract';
import { noParams } from '@grid-atlas/contract';
import { inScope, scopeParams } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { encode, send, VersionedCache } from '../http/cached-body.ts';
import { validQuery } from '../http/validate.ts';

// Every household in scope with its flags, as one bytea of fixed 28-byte records (id int4,
// grid int4, lon float8, lat float8, size int2, flags int2; big-endian, as PostgreSQL's *send
// functions write them). One value instead of a row per household: at a prefecture's scale
// (954,020 households) turning a million rows into objects took longer than the query.
// An in-service member's link is read from the flag the link triggers keep
// (households.in_service_linked, migration 0015); any link at all is then probed only for the
// households without one. No GROUP BY over the links and no ORDER BY: at that scale the aggregate
// and the sort spilled to disk at the default work_mem; the rows are put in grid order below, in
// memory (gridOrder).
const RECORD = 28;
const HOUSEHOLDS_SQL = `
  SELECT string_agg(int4send(h.id) || int4send(coalesce(h.grid_id, 0)) || float8send(ST_X(h.geom)) || float8send(ST_Y(h.geom))
                    || int2send(h.size) || int2send((
           CASE WHEN h.in_difficulty THEN ${FLAG_IN_DIFFICULTY} ELSE 0 END
           | CASE WHEN h.in_service_linked THEN ${FLAG_IN_SERVICE_LINK} ELSE 0 END
           | CASE WHEN h.in_service_linked OR EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id)
                  THEN ${FLAG_ANY_LINK} ELSE 0 END)::int2), ''::bytea) AS records
    FROM households h
    LEFT JOIN grids g ON g.id = h.grid_id
    LEFT JOIN communities cm ON cm.id = g.community_id
   WHERE ${inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' })}`;

/**
 * The order of the rows by grid, then id, so the grid column is long runs and compresses to almost
 * nothing. Each row's key grid × 2³² + id is exact in a double (grid ids stay below 2²¹), and a
 * Float64Array sorts a million of them in about 0.1 s.
 */
export function gridOrder(gridId: Uint32Array, id: Uint32Array): Uint32Array {
  const n = id.length;
  let maxId = 0;
  for (let i = 0; i < n; i++) if (id[i] > maxId) maxId = id[i];
  const rowOf = new Uint32Array(maxId + 1);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rowOf[id[i]] = i;
    keys[i] = gridId[i] * 2 ** 32 + id[i];
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = rowOf[keys[i] % 2 ** 32];
  return order;
}

export function householdRoutes(db: Db) {
  const cache = new VersionedCache(50);
  return new Hono<AppEnv>().get('/households', validQuery(noParams), async (c) => {
    const scope = scopeParams(c.get('user'));
    const encoded = await cache.get(scope.join(','), c.get('dataVersion'), async () => {
      const { rows } = await db.query<{ records: Buffer | null }>(HOUSEHOLDS_SQL, scope);
      const records = rows[0].records ?? Buffer.alloc(0);
      const n = records.length / RECORD;
      const ids = new Uint32Array(n);
      const grids = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        ids[i] = records.readUInt32BE(i * RECORD);
        grids[i] = records.readUInt32BE(i * RECORD + 4);
      }
      const order = gridOrder(grids, ids);
      const cols = {
        id: new Uint32Array(n), gridId: new Uint32Array(n), lon: new Float64Array(n), lat: new Float64Array(n),
        flags: new Uint8Array(n), size: new Uint8Array(n),
      };
      order.forEach((row, i) => {
        const at = row * RECORD;
        cols.id[i] = ids[row];
        cols.gridId[i] = grids[row];
        cols.lon[i] = records.readDoubleBE(at + 8);
        cols.lat[i] = records.readDoubleBE(at + 16);
        cols.size[i] = records.readUInt16BE(at + 24);
        cols.flags[i] = records.readUInt16BE(at + 26);
      });
      return encode(Buffer.from(encodeHouseholds(cols)), 'application/octet-stream');
    });
    c.header('X-Household-Count', String((encoded.body.byteLength - HOUSEHOLDS_HEADER_BYTES) / HOUSEHOLD_RECORD_BYTES));
    return send(c, encoded);
  });
}
