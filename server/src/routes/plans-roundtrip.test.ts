// Export → import round trip of every community's current layout (GET /api/plans/:id/geojson,
// POST /api/plans/import): the imported draft assigns every block to the grid it came from, on
// both backends. Only drafts are written, so the file may run on whatever layout the city has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let planner: Signed;

const call = (method: string, path: string, body?: unknown) =>
  app.request(path, { method, headers: method === 'GET' ? planner.headers : planner.write, body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  planner = await signIn(app, 'planner', undefined, '10.9.7.1');
});
afterAll(() => db?.close());

describe('plan export and import', () => {
  it('round-trips every community: the imported draft assigns every block as the exported one', async () => {
    const communities = (await db.query<{ id: number; code: string }>('SELECT id, code FROM communities ORDER BY id')).rows;
    const failed: string[] = [];
    for (const c of communities) {
      const assignments = (await db.query<{ block: number; grid: number }>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [c.id])).rows;
      const made = await call('POST', '/api/plans', { community: c.id, title: 'round trip', assignments });
      expect(made.status, await made.clone().text()).toBe(201);
      const id = ((await made.json()) as any).id;
      const fc = await (await call('GET', `/api/plans/${id}/geojson`)).json();
      const imported = await call('POST', '/api/plans/import', { community: c.id, geojson: fc });
      if (imported.status !== 201) { failed.push(`${c.code}: ${imported.status} ${(await imported.text()).slice(0, 200)}`); continue; }
      const back = (await (await call('GET', `/api/plans/${((await imported.json()) as any).id}`)).json()) as any;
      const orig = (await (await call('GET', `/api/plans/${id}`)).json()) as any;
      if (JSON.stringify(back.assignments) !== JSON.stringify(orig.assignments)) failed.push(`${c.code}: assignments differ`);
    }
    expect(failed).toEqual([]);
  });
});

describe('plan import: broken geometry', () => {
  it('names the feature whose ring is not closed or crosses itself ("invalid geometry"), saving nothing', async () => {
    const c = (await db.query<{ id: number }>(`SELECT id FROM communities WHERE code = '422801001003'`)).rows[0].id;
    const assignments = (await db.query<{ block: number; grid: number }>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [c])).rows;
    const id = ((await (await call('POST', '/api/plans', { community: c, title: 'broken', assignments })).json()) as any).id;
    const fc = (await (await call('GET', `/api/plans/${id}/geojson`)).json()) as any;
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM plans')).rows[0].n;
    const number = fc.features[1].properties.number;
    const unclosed = structuredClone(fc);
    unclosed.features[1].geometry.coordinates[0].pop();
    const [x0, y0] = fc.features[1].geometry.coordinates[0][0];
    const bowtie = structuredClone(fc);
    bowtie.features[1].geometry = { type: 'Polygon', coordinates: [[[x0, y0], [x0 + 0.002, y0 + 0.002], [x0 + 0.002, y0], [x0, y0 + 0.002], [x0, y0]]] };
    for (const [geojson, reason] of [[unclosed, /not closed/], [bowtie, /Self-intersection/i]] as const) {
      const res = await call('POST', '/api/plans/import', { community: c, geojson });
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(400);
      expect(body.error).toMatch(new RegExp(`^第 2 个要素（第${number}网格）几何无效 \\(invalid geometry in feature 2, grid ${number}: `));
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ code: 'invalid_geometry', grid: number, geometry: { type: 'Point' } });
      expect(body.errors[0].message).toMatch(reason);
    }
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM plans')).rows[0].n).toBe(before);
  });
});
