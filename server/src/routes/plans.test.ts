// Grid plans end to end on one community (黄泥坝社区, which no other test file touches): drafts and
// their bad inputs, validation errors with geometry, import/export, apply with independent checks
// (PostGIS and turf), two concurrent applies, and revert back to exactly the seeded state.
import { booleanPointInPolygon, point } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { validatePlan } from '../plans/validate.ts';
import { findBoundaryBlock, findGridLine } from '../../../test/edges.ts';
import { intersection } from '../db/overlay.ts';

const CODE = '422801005002';
let db: Db;
let app: ReturnType<typeof createApp>;
let community = 0;
let otherCommunity = 0;
const as: Record<string, Signed> = {};

const one = async (sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows[0];
const call = (who: string, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
  app.request(path, {
    method,
    headers: method === 'GET' ? { ...as[who].headers, ...extra } : { ...as[who].write, ...extra },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const json = async (res: Response) => (await res.json()) as any;

/** Everything an apply may touch, fingerprinted: a revert must bring back exactly this. */
async function fingerprint() {
  return one(`
    SELECT (SELECT string_agg(id || ':' || code || ':' || number || ':' || name || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)
              FROM grids WHERE community_id = $1) AS grids,
           (SELECT md5(string_agg(id || ':' || grid_id, ',' ORDER BY id)) FROM blocks) AS blocks,
           (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0) || ':' || coalesce(block_id, 0), ',' ORDER BY id)) FROM households) AS households,
           (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM cadres) AS cadres,
           (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM users) AS users,
           (SELECT md5(string_agg(branch_id || ':' || grid_id, ',' ORDER BY branch_id, grid_id)) FROM area_branch_grids) AS branches,
           (SELECT count(*) FROM grids) AS grid_count, (SELECT count(*) FROM households) AS household_count`, [community]);
}

/** The current layout as plan assignments. */
async function currentAssignments(): Promise<{ block: number; grid: number | string }[]> {
  return (await db.query<any>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [community])).rows;
}

async function draft(assignments: { block: number; grid: number | string }[], who = 'planner') {
  const res = await call(who, 'POST', '/api/plans', { community, title: 'test', assignments });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).id as number;
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  community = (await one('SELECT id FROM communities WHERE code = $1', [CODE])).id;
  otherCommunity = (await one(`SELECT id FROM communities WHERE code = '422801001001'`)).id;
  const users: Record<string, string> = {
    planner: 'planner', leader: 'leader', secretary: `secretary-${CODE}`, other: 'secretary-422801001001',
    subdistrict: 'subdistrict-422801005', grid: 'grid-422801005001001', admin: 'admin',
  };
  let n = 0;
  for (const [who, username] of Object.entries(users)) as[who] = await signIn(app, username, undefined, `10.9.0.${++n}`);
});
afterAll(() => db?.close());

describe('blocks', () => {
  it('GET /api/blocks lists the community blocks with their figures', async () => {
    const res = await call('secretary', 'GET', `/api/blocks?community=${community}`);
    expect(res.status).toBe(200);
    const fc = await json(res);
    const n = await one('SELECT count(*) AS n FROM blocks WHERE community_id = $1', [community]);
    expect(fc.features.length).toBe(n.n);
    const households = await one('SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1', [community]);
    expect(fc.features.reduce((s: number, f: any) => s + f.properties.households, 0)).toBe(households.n);
    expect(fc.features[0].properties).toHaveProperty('cadres');
    expect((await call('other', 'GET', `/api/blocks?community=${community}`)).status).toBe(404);
    expect((await call('grid', 'GET', `/api/blocks?community=${community}`)).status).toBe(403);
  });
});

describe('drafts', () => {
  it('accepts the current layout as a valid draft', async () => {
    const id = await draft(await currentAssignments(), 'secretary');
    const v = await json(await call('secretary', 'POST', `/api/plans/${id}/validate`));
    expect(v).toEqual({ ok: true, errors: [] });
    const detail = await json(await call('leader', 'GET', `/api/plans/${id}`));
    expect(detail.households_moving).toBe(0);
    expect(detail.grids.length).toBe((await one('SELECT count(*) AS n FROM grids WHERE community_id = $1', [community])).n);
    expect((await call('other', 'GET', `/api/plans/${id}`)).status).toBe(404);
    const list = await json(await call('secretary', 'GET', `/api/plans?community=${community}`));
    expect(list.plans.some((p: any) => p.id === id)).toBe(true);
  });

  it('refuses bad drafts with a reason and saves nothing', async () => {
    const base = await currentAssignments();
    const foreignBlock = (await one('SELECT id FROM blocks WHERE community_id = $1 LIMIT 1', [otherCommunity])).id;
    const foreignGrid = (await one('SELECT id FROM grids WHERE community_id = $1 LIMIT 1', [otherCommunity])).id;
    const takenNumber = (await one('SELECT min(number) AS n FROM grids WHERE community_id = $1', [community])).n;
    const before = (await one('SELECT count(*) AS n FROM plans')).n;
    const cases: [unknown, RegExp][] = [
      [{ community, assignments: base.slice(1) }, /missing|未分配/],
      [{ community, assignments: [...base, base[0]] }, /more than once|重复/],
      [{ community, assignments: [...base.slice(1), { block: foreignBlock, grid: base[0].grid }] }, /unknown blocks/],
      [{ community, assignments: [{ ...base[0], grid: foreignGrid }, ...base.slice(1)] }, /unknown grids/],
      [{ community, assignments: [{ ...base[0], grid: `new:${takenNumber}` }, ...base.slice(1)] }, /already used/],
      [{ community, assignments: [{ ...base[0], grid: 'new:0' }, ...base.slice(1)] }, /assignments\.0\.grid|new:N/],
      [{ community, assignments: [{ ...base[0], grid: 'elsewhere' }, ...base.slice(1)] }, /assignments\.0\.grid|new:N/],
      [{ community, assignments: [] }, /assignments/],
      [{ community, assignments: base, extra: 1 }, /unknown parameter|extra/],
      ['{not json', /JSON/],
    ];
    for (const [body, reason] of cases) {
      const res = await call('planner', 'POST', '/api/plans', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await json(res)).error).toMatch(reason);
    }
    expect((await call('planner', 'POST', '/api/plans', { community: 999999, assignments: base })).status).toBe(404);
    expect((await call('other', 'POST', '/api/plans', { community, assignments: base })).status).toBe(404);
    expect((await call('leader', 'POST', '/api/plans', { community, assignments: base })).status).toBe(403);
    expect((await call('grid', 'POST', '/api/plans', { community, assignments: base })).status).toBe(403);
    expect((await call('admin', 'POST', '/api/plans', { community, assignments: base })).status).toBe(403);
    expect((await call('planner', 'POST', '/api/plans', JSON.stringify({ community, assignments: base }), { 'Content-Type': 'application/xml' })).status).toBe(415);
    const huge = JSON.stringify({ community, title: 'x'.repeat(1_100_000), assignments: base });
    expect((await call('planner', 'POST', '/api/plans', huge)).status).toBe(413);
    const noCsrf = await app.request('/api/plans', { method: 'POST', headers: { ...as.planner.headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ community, assignments: base }) });
    expect(noCsrf.status).toBe(403);
    expect((await one('SELECT count(*) AS n FROM plans')).n).toBe(before);
  });
});

describe('validation', () => {
  it('finds a grid split in two, with its geometry; apply is a 422 and changes nothing', async () => {
    // a block of grid A that does not touch grid B, painted into B
    const pick = await one(`
      SELECT b.id AS block, gb.id AS to_grid, gb.number
        FROM blocks b JOIN grids ga ON ga.id = b.grid_id JOIN grids gb ON gb.community_id = ga.community_id AND gb.id <> ga.id
       WHERE b.community_id = $1 AND NOT ST_Intersects(b.geom, gb.geom)
       ORDER BY b.id, gb.id LIMIT 1`, [community]);
    const assignments = (await currentAssignments()).map((a) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a));
    const id = await draft(assignments);
    const v = await json(await call('planner', 'POST', `/api/plans/${id}/validate`));
    expect(v.ok).toBe(false);
    const split = v.errors.find((e: any) => e.code === 'multi_part' && e.grid === pick.number);
    expect(split.message).toMatch(/不连通.*split into 2 parts/);
    expect(split.geometry.type).toBe('MultiPolygon');
    const before = await fingerprint();
    const res = await call('planner', 'POST', `/api/plans/${id}/apply`);
    expect(res.status).toBe(422);
    expect((await json(res)).errors.some((e: any) => e.code === 'multi_part')).toBe(true);
    expect(await fingerprint()).toEqual(before);
    expect((await one('SELECT status FROM plans WHERE id = $1', [id])).status).toBe('draft');
  });

  it('finds empty grids, gaps and overlaps between blocks (rolled back afterwards)', async () => {
    const id = await draft(await currentAssignments());
    // A validation that passes remembers the blocks' fingerprint; the changed blocks below do not
    // match it, so their checks run again and find the problems.
    expect((await json(await call('planner', 'POST', `/api/plans/${id}/validate`))).ok).toBe(true);
    expect((await one('SELECT count(*)::int AS n FROM community_block_checks WHERE community_id = $1', [community])).n).toBe(1);
    const grid = (await one('SELECT id, number FROM grids WHERE community_id = $1 ORDER BY number LIMIT 1', [community]));
    const big = (await one('SELECT id FROM blocks WHERE community_id = $1 ORDER BY ST_Area(geom) DESC LIMIT 1', [community])).id;
    const codes = async (client: any, change: string, params: unknown[]) => {
      await client.query('BEGIN');
      try {
        await client.query(change, params);
        return await validatePlan(client, id);
      } finally {
        await client.query('ROLLBACK');
      }
    };
    await db.withClient(async (client) => {
      const empty = await codes(client, 'UPDATE households SET block_id = NULL WHERE grid_id = $1', [grid.id]);
      expect(empty.find((e) => e.code === 'empty_grid')?.grid).toBe(grid.number);
      const hole = await codes(client, 'UPDATE blocks SET geom = ST_Difference(geom, ST_Buffer(ST_PointOnSurface(geom), 0.00005)) WHERE id = $1', [big]);
      expect(hole.map((e) => e.code)).toEqual(expect.arrayContaining(['block_gap', 'gap']));
      expect(hole.find((e) => e.code === 'gap')?.geometry).toBeTruthy();
      const grown = await codes(client, 'UPDATE blocks SET geom = ST_Buffer(geom, 0.0002) WHERE id = $1', [big]);
      expect(grown.map((e) => e.code)).toEqual(expect.arrayContaining(['block_overlap', 'overlap']));
    });
    expect((await json(await call('planner', 'POST', `/api/plans/${id}/validate`))).ok).toBe(true);
  });
});

describe('export and import', () => {
  it('exports a plan as GeoJSON that imports back as the same draft', async () => {
    const id = await draft(await currentAssignments());
    const res = await call('planner', 'GET', `/api/plans/${id}/geojson`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toMatch(/attachment; filename="plan-\d+\.geojson"/);
    const fc = await json(res);
    expect(fc.type).toBe('FeatureCollection');
    const imported = await call('planner', 'POST', '/api/plans/import', { community, geojson: fc });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const detail = await json(await call('planner', 'GET', `/api/plans/${(await json(imported)).id}`));
    const original = await json(await call('planner', 'GET', `/api/plans/${id}`));
    expect(detail.assignments).toEqual(original.assignments);
  });

  it('refuses invalid, out-of-range, outside, overlapping and incomplete grids with the reason', async () => {
    const id = await draft(await currentAssignments());
    const fc = await json(await call('planner', 'GET', `/api/plans/${id}/geojson`));
    const before = (await one('SELECT count(*) AS n FROM plans')).n;
    const variant = (f: (x: any) => void) => { const c = structuredClone(fc); f(c); return c; };
    const [x0, y0] = fc.features[0].geometry.coordinates[0][0];
    const bowtie = [[x0, y0], [x0 + 0.002, y0 + 0.002], [x0 + 0.002, y0], [x0, y0 + 0.002], [x0, y0]];
    const cases: [any, string | RegExp][] = [
      [variant((c) => { c.features[0].geometry = { type: 'Polygon', coordinates: [bowtie] }; }), 'invalid_geometry'],
      [variant((c) => { c.features[0].geometry.coordinates[0][1] = [200, 30.3]; }), /coordinates out of lon\/lat range/],
      [variant((c) => { c.features[0].geometry.coordinates[0] = c.features[0].geometry.coordinates[0].map(([x, y]: number[]) => [x + 0.01, y]); }), 'outside'],
      [variant((c) => { c.features.push({ ...structuredClone(c.features[0]), properties: { grid_id: null, number: 998 } }); }), 'overlap'],
      [variant((c) => { c.features.pop(); }), 'gap'],
    ];
    for (const [geojson, expected] of cases) {
      const res = await call('planner', 'POST', '/api/plans/import', { community, geojson });
      expect(res.status).toBe(400);
      const body = await json(res);
      if (typeof expected === 'string') {
        expect(body.errors.map((e: any) => e.code)).toContain(expected);
        expect(body.errors.find((e: any) => e.code === expected).geometry).toBeTruthy();
      } else expect(body.error).toMatch(expected);
    }
    expect((await one('SELECT count(*) AS n FROM plans')).n).toBe(before);
  });
});

describe('apply and revert', () => {
  const original: { fp?: any; afterFirst?: any } = {};
  let first = 0;
  let stale = 0;

  it('applies a plan that moves a block across a boundary; every household stays in exactly one grid', async () => {
    original.fp = await fingerprint();
    stale = await draft(await currentAssignments());
    // a block with households on A's edge with B, such that A stays connected without it
    const pick = await findBoundaryBlock(db, community);
    first = await draft((await currentAssignments()).map((a) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a)));
    const detail = await json(await call('planner', 'GET', `/api/plans/${first}`));
    expect(detail.households_moving).toBe(pick.households);
    expect((await call('secretary', 'POST', `/api/plans/${first}/apply`)).status).toBe(403);
    const res = await call('planner', 'POST', `/api/plans/${first}/apply`);
    expect(res.status, await res.clone().text()).toBe(200);
    const applied = await json(res);
    expect(applied.households_moved).toBe(pick.households);

    const check = await one(`
      SELECT count(*) AS n, count(*) FILTER (WHERE h.grid_id IS NULL) AS no_grid,
             count(*) FILTER (WHERE h.grid_id <> b.grid_id) AS not_block_grid,
             count(*) FILTER (WHERE g.community_id = $1 AND NOT ST_Contains(g.geom, h.geom)) AS outside
        FROM households h JOIN blocks b ON b.id = h.block_id LEFT JOIN grids g ON g.id = h.grid_id`, [community]);
    expect(check).toEqual({ n: 95_402, no_grid: 0, not_block_grid: 0, outside: 0 });
    expect((await one('SELECT grid_id FROM households WHERE block_id = $1 LIMIT 1', [pick.block])).grid_id).toBe(pick.to_grid);
    // independently, in JS: each household point lies in its grid's polygon as the API returns it
    const grids = await json(await call('planner', 'GET', `/api/grids?community=${community}`));
    const byId = new Map(grids.features.map((f: any) => [f.id, f]));
    const pts = (await db.query<any>(`SELECT h.id, ST_X(h.geom) AS x, ST_Y(h.geom) AS y, h.grid_id FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1`, [community])).rows;
    const misplaced = pts.filter((p) => !booleanPointInPolygon(point([p.x, p.y]), byId.get(p.grid_id) as any));
    expect(misplaced.length).toBe(0);
    const log = await one(`SELECT jsonb_array_length(after->'moves') AS n FROM audit_log WHERE entity = 'plan' AND action = 'apply' AND entity_id = $1`, [String(first)]);
    expect(log.n).toBe(pick.households);
    original.afterFirst = await fingerprint();
  });

  it('refuses a plan drafted on the old layout (409) and changes nothing', async () => {
    const res = await call('planner', 'POST', `/api/plans/${stale}/apply`);
    expect(res.status).toBe(409);
    expect(await fingerprint()).toEqual(original.afterFirst);
  });

  let second = 0;
  it('two concurrent applies: one wins, the other gets 409; grids are merged, renumbered and removed', async () => {
    const grids = (await db.query<any>('SELECT id, number FROM grids WHERE community_id = $1 ORDER BY number', [community])).rows;
    // C merges into a neighbour D; E becomes a new grid (new number), so both C and E are removed
    const pair = await one(`
      SELECT c.id AS c, d.id AS d FROM grids c JOIN grids d ON d.community_id = c.community_id AND d.id <> c.id
       WHERE c.community_id = $1 AND ST_Length(${intersection('ST_Boundary(c.geom)', 'ST_Boundary(d.geom)')}) > 0.0005
       ORDER BY c.number, d.number LIMIT 1`, [community]);
    const e = grids.find((g) => g.id !== pair.c && g.id !== pair.d)!;
    const newNumber = Math.max(...grids.map((g) => g.number)) + 1;
    const assignments = (await currentAssignments()).map((a) =>
      a.grid === pair.c ? { ...a, grid: pair.d } : a.grid === e.id ? { ...a, grid: `new:${newNumber}` } : a);
    const p1 = await draft(assignments);
    const p2 = await draft(assignments);
    const results = await Promise.all([p1, p2].map((p) => call('planner', 'POST', `/api/plans/${p}/apply`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    second = results[0].status === 200 ? p1 : p2;
    const body = await json(results[0].status === 200 ? results[0] : results[1]);
    expect(body.grids_removed.sort()).toEqual([pair.c, e.id].sort());
    expect(body.grids_created.length).toBe(1);
    const created = await one('SELECT code, number, name FROM grids WHERE id = $1', [body.grids_created[0]]);
    expect(created.code).toBe(CODE + String(newNumber).padStart(3, '0'));
    const refs = await one(`
      SELECT (SELECT count(*) FROM households WHERE grid_id = ANY($1::int[])) +
             (SELECT count(*) FROM cadres WHERE grid_id = ANY($1::int[])) +
             (SELECT count(*) FROM users WHERE grid_id = ANY($1::int[])) +
             (SELECT count(*) FROM area_branch_grids WHERE grid_id = ANY($1::int[])) +
             (SELECT count(*) FROM blocks WHERE grid_id = ANY($1::int[])) AS n,
             (SELECT count(*) FROM households) AS households,
             (SELECT count(*) FROM cadres WHERE kind = 'grid_worker' AND grid_id IS NULL) AS orphan_workers`, [body.grids_removed]);
    expect(refs).toEqual({ n: 0, households: 95_402, orphan_workers: 0 });
  });

  it('reverts only the latest applied plan, restoring the previous layout exactly', async () => {
    const early = await call('planner', 'POST', `/api/plans/${first}/revert`);
    expect(early.status).toBe(409);
    expect((await json(early)).error).toMatch(/revert it first/);
    const r2 = await call('planner', 'POST', `/api/plans/${second}/revert`);
    expect(r2.status, await r2.clone().text()).toBe(200);
    expect(await fingerprint()).toEqual(original.afterFirst);
    const r1 = await call('planner', 'POST', `/api/plans/${first}/revert`);
    expect(r1.status).toBe(200);
    expect(await fingerprint()).toEqual(original.fp);
    expect((await call('planner', 'POST', `/api/plans/${first}/revert`)).status).toBe(409);
    const eq = await one(`SELECT bool_and(ST_Equals(g.geom, p.geom)) AS same FROM plan_prior_grids p JOIN grids g ON g.id = p.grid_id WHERE p.plan_id = $1`, [first]);
    expect(eq.same).toBe(true);
  });
});

describe('cutting blocks with a line', () => {
  /** A line across the largest block of the community, through its point on surface, west to east beyond its edges. */
  async function acrossLargest() {
    const b = await one(
      `SELECT b.id, b.grid_id, ST_X(p) AS x, ST_Y(p) AS y, ST_XMin(b.geom) AS x0, ST_XMax(b.geom) AS x1,
              (SELECT count(*)::int FROM households h WHERE h.block_id = b.id) AS households
         FROM (SELECT *, ST_PointOnSurface(geom) AS p FROM blocks WHERE community_id = $1 ORDER BY ST_Area(geom) DESC LIMIT 1) b`, [community]);
    return { block: b, line: { type: 'LineString', coordinates: [[b.x0 - 1e-4, b.y], [b.x1 + 1e-4, b.y]] } };
  }
  const version = async () => (await one('SELECT layout_version FROM communities WHERE id = $1', [community])).layout_version as number;
  const state = async () => one(`
    SELECT (SELECT md5(string_agg(id || ':' || grid_id || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)) FROM blocks WHERE community_id = $1) AS blocks,
           (SELECT md5(string_agg(id || ':' || coalesce(block_id, 0) || ':' || grid_id, ',' ORDER BY id)) FROM households) AS households`, [community]);

  it('cuts the blocks a line crosses; the parts tile the block, households follow their points, grids stay', async () => {
    const { block, line } = await acrossLargest();
    const grids = await one(`SELECT md5(string_agg(id || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)) AS g FROM grids WHERE community_id = $1`, [community]);
    const before = await one('SELECT ST_AsBinary(geom) AS g, ST_Area(geom) AS a FROM blocks WHERE id = $1', [block.id]);
    const draftId = await draft(await currentAssignments());
    const v = await version();
    const res = await call('planner', 'POST', '/api/blocks/split', { community, layout_version: v, line });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.layout_version).toBe(v + 1);
    const cut = body.blocks.find((x: any) => x.id === block.id);
    expect(cut.parts.length).toBeGreaterThanOrEqual(2);
    // The parts: same grid, together exactly the old block (area within 1e-9 of it, no overlap).
    const parts = await one(
      `SELECT count(*)::int AS n, bool_and(grid_id = $2) AS same_grid, sum(ST_Area(geom)) AS a,
              ST_Area(ST_SymDifference(ST_Union(geom), ST_GeomFromWKB($3, 4326))) AS diff
         FROM blocks WHERE id = ANY($1::int[])`, [cut.parts, block.grid_id, before.g]);
    expect(parts).toMatchObject({ n: cut.parts.length, same_grid: true });
    expect(Math.abs(parts.a - before.a) / before.a).toBeLessThan(1e-9);
    expect(parts.diff / before.a).toBeLessThan(1e-9);
    // Every household of the old block is now in the part that contains it (or on its edge).
    const misplaced = await one(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM households WHERE block_id = ANY($1::int[])) AS total
         FROM households h JOIN blocks b ON b.id = h.block_id
        WHERE h.block_id = ANY($1::int[]) AND NOT ST_Intersects(b.geom, h.geom)
          AND EXISTS (SELECT 1 FROM blocks o WHERE o.id = ANY($1::int[]) AND ST_Intersects(o.geom, h.geom))`, [cut.parts]);
    expect(misplaced).toEqual({ n: 0, total: block.households });
    expect((await one(`SELECT md5(string_agg(id || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)) AS g FROM grids WHERE community_id = $1`, [community])).g).toBe(grids.g);
    // The draft drawn on the old blocks no longer names every block: superseded.
    expect((await one('SELECT status FROM plans WHERE id = $1', [draftId])).status).toBe('superseded');
    // The blocks route shows the new parts; the audit log has the cut.
    const fc = await json(await call('planner', 'GET', `/api/blocks?community=${community}`));
    expect(cut.parts.every((id: number) => fc.features.some((f: any) => f.id === id))).toBe(true);
    const audit = await one(`SELECT actor, action FROM audit_log WHERE entity = 'block' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(community)]);
    expect(audit).toEqual({ actor: 'planner', action: 'update' });
    // A plan of the new blocks validates and applies like any other.
    const p = await draft(await currentAssignments());
    expect((await json(await call('planner', 'POST', `/api/plans/${p}/validate`))).ok).toBe(true);
  });

  it('refuses bad lines, slivers, stale layouts and other roles, changing nothing', async () => {
    const { block, line } = await acrossLargest();
    const v = await version();
    const before = await state();
    const cases: [string, unknown, number, RegExp][] = [
      ['planner', { community, layout_version: v - 1, line }, 409, /刷新后重画/],
      ['planner', { community, layout_version: v, line: { type: 'LineString', coordinates: [[block.x, block.y], [block.x + 1e-6, block.y]] } }, 400, /没有从一侧到另一侧穿过/],
      ['planner', { community, layout_version: v, line: { type: 'LineString', coordinates: [[0, 0], [0.001, 0]] } }, 400, /没有从一侧到另一侧穿过/],
      ['planner', { community, layout_version: v, line: { type: 'LineString', coordinates: [[block.x0 - 1e-4, block.y], [block.x1 + 1e-4, block.y], [block.x, block.y + 1e-3], [block.x, block.y - 1e-3]] } }, 400, /自相交/],
      ['planner', { community, layout_version: v, line: { type: 'LineString', coordinates: [[block.x, block.y]] } }, 400, /至少 2 个点/],
      ['planner', { community, layout_version: v, line: { type: 'LineString', coordinates: [[200, 0], [0, 0]] } }, 400, /经纬度范围/],
      ['planner', { community, layout_version: v, line: { type: 'Polygon', coordinates: [] } }, 400, /LineString/],
      ['planner', { community, layout_version: v, line, extra: 1 }, 400, /extra/],
      ['planner', { community: 999999, layout_version: v, line }, 404, /社区/],
      ['secretary', { community, layout_version: v, line }, 403, /./],
      ['leader', { community, layout_version: v, line }, 403, /./],
    ];
    for (const [who, body, status, message] of cases) {
      const res = await call(who, 'POST', '/api/blocks/split', body);
      const b = await json(res);
      expect(res.status, `${who} ${JSON.stringify(body).slice(0, 120)}: ${JSON.stringify(b)}`).toBe(status);
      expect(b.error).toMatch(message);
    }
    // A cut grazing the block's top (5 cm below its highest point) leaves a sliver: refused with its geometry.
    const top = await one('SELECT ST_YMax(geom) AS y FROM blocks WHERE id = $1', [block.id]);
    const graze = { type: 'LineString', coordinates: [[block.x0 - 1e-4, top.y - 5e-7], [block.x1 + 1e-4, top.y - 5e-7]] };
    const res = await call('planner', 'POST', '/api/blocks/split', { community, layout_version: v, line: graze });
    const b = await json(res);
    expect(res.status, JSON.stringify(b)).toBe(400);
    expect(b.error).toMatch(/碎块/);
    expect(b.errors[0]).toMatchObject({ code: 'sliver', block: block.id, geometry: { type: 'Polygon' } });
    expect(await state()).toEqual(before);
    expect(await version()).toBe(v);
  });
});

describe('redrawing the edge between two blocks', () => {
  const version = async () => (await one('SELECT layout_version FROM communities WHERE id = $1', [community])).layout_version as number;
  const state = async () => one(`
    SELECT (SELECT md5(string_agg(id || ':' || grid_id || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)) FROM blocks WHERE community_id = $1) AS blocks,
           (SELECT md5(string_agg(id || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)) FROM grids WHERE community_id = $1) AS grids,
           (SELECT md5(string_agg(id || ':' || coalesce(block_id, 0) || ':' || grid_id, ',' ORDER BY id)) FROM households) AS households`, [community]);

  it('moves a grid line: the two blocks still tile their union, households and grids follow', async () => {
    const e = await findGridLine(db, community);
    const before = await one('SELECT ST_AsBinary(ST_Union(geom)) AS u, sum(ST_Area(geom)) AS a FROM blocks WHERE id = ANY($1::int[])', [[e.a, e.b]]);
    const total = await one('SELECT count(*)::int AS n FROM households');
    const draftId = await draft(await currentAssignments());
    const v = await version();
    const res = await call('planner', 'POST', '/api/blocks/edge', { community, layout_version: v, blocks: [e.a, e.b], line: e.line });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.layout_version).toBe(v + 1);
    expect(body.households_moved).toBeGreaterThan(0);
    expect(body.households_changed_grid).toBe(body.households_moved);
    // The two blocks cover exactly what they covered, without overlap; each is one polygon.
    const after = await one(
      `SELECT sum(ST_Area(geom)) AS a, ST_Area(ST_SymDifference(ST_Union(geom), ST_GeomFromWKB($2, 4326))) AS diff,
              bool_and(ST_NumGeometries(geom) = 1 AND ST_IsValid(geom)) AS ok
         FROM blocks WHERE id = ANY($1::int[])`, [[e.a, e.b], before.u]);
    expect(after.ok).toBe(true);
    expect(Math.abs(after.a - before.a) / before.a).toBeLessThan(1e-9);
    expect(after.diff / before.a).toBeLessThan(1e-9);
    // Independent checks: every household of the two blocks lies in its block; every household's
    // grid is its block's; each grid is the dissolve of its blocks, in one piece.
    expect(await one(
      `SELECT count(*)::int AS n FROM households h JOIN blocks b ON b.id = h.block_id
        WHERE h.block_id = ANY($1::int[]) AND NOT ST_Intersects(b.geom, h.geom)
          AND EXISTS (SELECT 1 FROM blocks o WHERE o.id = ANY($1::int[]) AND ST_Intersects(o.geom, h.geom))`, [[e.a, e.b]])).toEqual({ n: 0 });
    expect(await one(
      `SELECT count(*)::int AS n FROM households h JOIN blocks b ON b.id = h.block_id WHERE b.community_id = $1 AND h.grid_id <> b.grid_id`, [community])).toEqual({ n: 0 });
    for (const g of [e.ga, e.gb]) {
      const d = await one(
        `SELECT ST_NumGeometries(g.geom) AS parts, ST_Area(ST_SymDifference(g.geom, (SELECT ST_Union(geom) FROM blocks WHERE grid_id = ${Number(g)}))) / ST_Area(g.geom) AS diff
           FROM grids g WHERE g.id = ${Number(g)}`);
      expect(d.parts).toBe(1);
      // The server dissolves in fixed precision (db/overlay.ts: vertices snap to a 1e-9° grid),
      // this check in floating point: they differ by square centimetres, far under 1e-6 of a grid.
      expect(d.diff).toBeLessThan(1e-6);
    }
    expect(await one('SELECT count(*)::int AS n FROM households')).toEqual(total);
    expect((await one('SELECT status FROM plans WHERE id = $1', [draftId])).status).toBe('superseded');
    const audit = await one(`SELECT actor, after FROM audit_log WHERE entity = 'block' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(community)]);
    expect(audit.actor).toBe('planner');
    expect(audit.after.moves.length).toBe(body.households_changed_grid);
    // The new blocks pass the block checks (their fingerprint changed, so they run again).
    const p = await draft(await currentAssignments());
    expect((await json(await call('planner', 'POST', `/api/plans/${p}/validate`))).ok).toBe(true);
  });

  /** Everything a redraw may change in the community, fingerprinted: its undo must bring back exactly this. */
  const everything = async () => one(`
    SELECT (SELECT md5(string_agg(id || ':' || grid_id || ':' || md5(ST_AsEWKB(geom)), ',' ORDER BY id)) FROM blocks WHERE community_id = $1) AS blocks,
           (SELECT md5(string_agg(id || ':' || md5(ST_AsEWKB(geom)), ',' ORDER BY id)) FROM grids WHERE community_id = $1) AS grids,
           (SELECT md5(string_agg(id || ':' || coalesce(block_id, 0) || ':' || grid_id, ',' ORDER BY id)) FROM households) AS households,
           (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM cadres) AS cadres,
           (SELECT md5(string_agg(id || ':' || grid_id, ',' ORDER BY id)) FROM cases WHERE community_id = $1) AS cases,
           (SELECT md5(string_agg(id || ':' || grid_id, ',' ORDER BY id)) FROM needs WHERE community_id = $1) AS needs,
           (SELECT md5(string_agg(id || ':' || grid_id, ',' ORDER BY id)) FROM vanguard_tasks) AS tasks`, [community]);
  const redraw = async () => {
    const e = await findGridLine(db, community);
    const res = await call('planner', 'POST', '/api/blocks/edge', { community, layout_version: await version(), blocks: [e.a, e.b], line: e.line });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body as { redraw: number; households_moved: number; layout_version: number };
  };
  const undo = (id: number | string, who = 'planner') => call(who, 'POST', `/api/blocks/edge/${id}/revert`);

  it('undoes redraws exactly, newest first; refuses a second undo, an undo after a plan, bad ids and other roles, changing nothing', async () => {
    const start = await everything();
    const first = await redraw();
    expect(first.households_moved).toBeGreaterThan(0);
    const afterFirst = await everything();
    expect(afterFirst).not.toEqual(start);
    const second = await redraw();
    const afterSecond = await everything();
    // refused, each changing nothing: bad and unknown ids, other roles, and the older redraw first
    const v = await version();
    for (const [res, status, message] of [
      [await undo('x'), 400, /id/], [await undo(2147483000), 404, /边界重画/], [await undo(second.redraw, 'secretary'), 403, /./],
      [await undo(second.redraw, 'other'), 403, /./], [await undo(second.redraw, 'leader'), 403, /./], [await undo(first.redraw), 409, /之后的边界重画/],
    ] as const) {
      const b = await json(res);
      expect(res.status, JSON.stringify(b)).toBe(status);
      expect(b.error).toMatch(message);
    }
    expect(await everything()).toEqual(afterSecond);
    expect(await version()).toBe(v);
    // newest first: each undo brings back exactly the layout before its redraw
    const draftOnSecond = await draft(await currentAssignments());
    const res = await undo(second.redraw);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toEqual({ layout_version: v + 1, households_moved: second.households_moved });
    expect(await everything()).toEqual(afterFirst);
    expect((await one('SELECT status FROM plans WHERE id = $1', [draftOnSecond])).status).toBe('superseded');
    expect((await undo(second.redraw)).status).toBe(409);
    expect((await undo(first.redraw)).status).toBe(200);
    expect(await everything()).toEqual(start);
    const audit = await one(`SELECT actor, action, after FROM audit_log WHERE entity = 'block' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(community)]);
    expect(audit).toMatchObject({ actor: 'planner', action: 'revert', after: { edge_redraw: first.redraw, households_moved: first.households_moved } });
    // The restored blocks pass validation again.
    expect((await json(await call('planner', 'POST', `/api/plans/${await draft(await currentAssignments())}/validate`))).ok).toBe(true);

    // After a plan is applied, an earlier redraw can no longer be undone.
    const third = await redraw();
    const pick = await findBoundaryBlock(db, community);
    const plan = await draft((await currentAssignments()).map((a) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a)));
    expect((await call('planner', 'POST', `/api/plans/${plan}/apply`)).status).toBe(200);
    const applied = await everything();
    const refused = await undo(third.redraw);
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toMatch(/不能再撤销/);
    expect(await everything()).toEqual(applied);
    expect((await call('planner', 'POST', `/api/plans/${plan}/revert`)).status).toBe(200);
  });

  it('refuses blocks that are not neighbours, lines that do not cross, stale layouts and other roles, changing nothing', async () => {
    const e = await findGridLine(db, community);
    const v = await version();
    const before = await state();
    const far = await one(
      `SELECT b.id FROM blocks a JOIN blocks b ON b.community_id = a.community_id AND NOT ST_Intersects(a.geom, b.geom)
        WHERE a.id = $1 ORDER BY b.id LIMIT 1`, [e.a]);
    const foreign = await one('SELECT id FROM blocks WHERE community_id = $1 ORDER BY id LIMIT 1', [otherCommunity]);
    const [, [mx, my]] = e.line.coordinates;
    const inside = { type: 'LineString', coordinates: [[mx, my], [mx + 1e-6, my + 1e-6]] };
    const ok = { community, layout_version: v, blocks: [e.a, e.b], line: e.line };
    const cases: [string, unknown, number, RegExp][] = [
      ['planner', { ...ok, layout_version: v - 1 }, 409, /刷新后重画/],
      ['planner', { ...ok, blocks: [e.a, far.id] }, 400, /不相邻/],
      ['planner', { ...ok, blocks: [e.a, foreign.id] }, 400, /不在本社区/],
      ['planner', { ...ok, blocks: [e.a, e.a] }, 400, /两个不同的街区/],
      ['planner', { ...ok, blocks: [e.a] }, 400, /blocks/],
      ['planner', { ...ok, line: inside }, 400, /外轮廓/],
      ['planner', { ...ok, line: { type: 'LineString', coordinates: [e.line.coordinates[0]] } }, 400, /至少 2 个点/],
      ['planner', { ...ok, extra: 1 }, 400, /extra/],
      ['planner', { ...ok, community: 999999 }, 404, /社区/],
      ['secretary', ok, 403, /./],
      ['leader', ok, 403, /./],
    ];
    for (const [who, body, status, message] of cases) {
      const res = await call(who, 'POST', '/api/blocks/edge', body);
      const b = await json(res);
      expect(res.status, `${who} ${JSON.stringify(body).slice(0, 160)}: ${JSON.stringify(b)}`).toBe(status);
      expect(b.error).toMatch(message);
    }
    expect(await state()).toEqual(before);
    expect(await version()).toBe(v);
  });
});
