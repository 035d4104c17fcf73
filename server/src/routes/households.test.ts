import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import { gridOrder } from './households.ts';
import type { Db } from '../db/index.ts';
import { decodeHouseholds, FLAG_ANY_LINK, FLAG_IN_DIFFICULTY, FLAG_IN_SERVICE_LINK } from '@grid-atlas/contract';

let db: Db;
let app: ReturnType<typeof createApp>;
let leader: Record<string, string>;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  leader = (await signIn(app, 'leader')).headers;
});
afterAll(() => db?.close());

describe('GET /api/households', () => {
  it('decodes to all 95,402 households, each near its stored point and in its own grid', async () => {
    const res = await app.request('/api/households', { headers: leader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('etag')).toBeTruthy();
    const h = decodeHouseholds(new Uint8Array(await res.arrayBuffer()));
    expect(h.ids.length).toBe(95_402);
    expect(new Set(h.ids).size).toBe(95_402);
    // 16-bit steps over Enshi's urban area are well under a metre.
    expect(h.stepLon * 111_000 * Math.cos((30.3 * Math.PI) / 180)).toBeLessThan(0.5);
    expect(h.stepLat * 111_000).toBeLessThan(0.5);

    // Every decoded point lies within 0.5 m of a point inside the grid it is listed under
    // (quantisation may nudge a point on a grid edge across it by centimetres).
    const { rows } = await db.query<{ far: number; wrong_grid: number; n: number }>(
      `SELECT count(*) AS n,
              count(*) FILTER (WHERE ST_Distance(h.geom::geography, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography) > 0.5) AS far,
              count(*) FILTER (WHERE NOT ST_DWithin(g.geom::geography, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography, 0.5)) AS wrong_grid
         FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[]) AS t (id, grid_id, lon, lat)
         JOIN households h ON h.id = t.id
         JOIN grids g ON g.id = t.grid_id AND g.id = h.grid_id`,
      [Array.from(h.ids), Array.from(h.gridIds), h.positions.filter((_, i) => i % 2 === 0), h.positions.filter((_, i) => i % 2 === 1)].map((a) => Array.from(a)),
    );
    expect(rows[0]).toEqual({ n: 95_402, far: 0, wrong_grid: 0 });

    let difficulty = 0, inService = 0, linked = 0;
    for (const f of h.flags) {
      if (f & FLAG_IN_DIFFICULTY) difficulty++;
      if (f & FLAG_IN_SERVICE_LINK) inService++;
      if (f & FLAG_ANY_LINK) linked++;
    }
    expect(difficulty).toBe(5_134);
    expect(linked).toBe(95_402); // every household is linked to a cadre
    expect(inService).toBeGreaterThan(5_134 + 7_289 * 5 - 7_289);
  });

  it('lists households by grid, then id, with the flags the links give', async () => {
    const res = await app.request('/api/households', { headers: leader });
    const h = decodeHouseholds(new Uint8Array(await res.arrayBuffer()));
    let ordered = true;
    for (let i = 1; i < h.ids.length; i++) {
      if (h.gridIds[i] < h.gridIds[i - 1] || (h.gridIds[i] === h.gridIds[i - 1] && h.ids[i] <= h.ids[i - 1])) ordered = false;
    }
    expect(ordered).toBe(true);
    // The flags, computed here from the links and their cadres' kinds, household by household.
    const { rows } = await db.query<{ id: number; flags: number }>(
      `SELECT h.id, (CASE WHEN h.in_difficulty THEN ${FLAG_IN_DIFFICULTY} ELSE 0 END
                    | CASE WHEN bool_or(c.kind = 'in_service') THEN ${FLAG_IN_SERVICE_LINK} ELSE 0 END
                    | CASE WHEN count(l.cadre_id) > 0 THEN ${FLAG_ANY_LINK} ELSE 0 END) AS flags
         FROM households h LEFT JOIN cadre_household_links l ON l.household_id = h.id LEFT JOIN cadres c ON c.id = l.cadre_id
        GROUP BY h.id`);
    const expected = new Map(rows.map((r) => [r.id, r.flags]));
    const wrong = Array.from(h.ids).filter((id, i) => expected.get(id) !== h.flags[i]);
    expect(wrong).toEqual([]);
  });

  it('puts rows in grid, then id order (gridOrder)', () => {
    const grid = Uint32Array.from([3, 1, 3, 0, 1, 2_000_000]);
    const id = Uint32Array.from([7, 9, 2, 5, 4, 1]);
    expect(Array.from(gridOrder(grid, id))).toEqual([3, 4, 1, 2, 0, 5]);
    expect(Array.from(gridOrder(new Uint32Array(0), new Uint32Array(0)))).toEqual([]);
  });

  it('answers a matching ETag with 304', async () => {
    const first = await app.request('/api/households', { headers: leader });
    const res = await app.request('/api/households', { headers: { ...leader, 'If-None-Match': first.headers.get('etag')! } });
    expect(res.status).toBe(304);
  });
});
