// Cases and needs follow a plan: applying one moves each case and need of the community into
// the grid that now holds its point, hands work assigned to a grid the plan removes to the grid
// that takes it over, and a revert brings them back. The cases and needs are seeded where the
// plans below move ground: in a block painted into the neighbouring grid, and in a grid merged
// into its neighbour. On one community no other test file touches (七里坪社区).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import { findBoundaryBlock } from '../../../test/edges.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { intersection } from '../db/overlay.ts';

const CODE = '422801004002';
let db: Db;
let app: ReturnType<typeof createApp>;
let community = 0;
let planner: Signed;

const one = async (sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows[0];
const post = async (path: string, body?: unknown) => {
  const res = await app.request(path, { method: 'POST', headers: planner.write, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

/** A submitted case of `grid` whose point is `point` (a geometry as WKB hex or text). */
async function caseAt(grid: number, point: string, extra: { assigned_grid_id?: number } = {}) {
  const { id } = await insertCase(db, { grid_id: grid, status: 'submitted', created_at: new Date(),
    events: [{ action: 'submit', at: new Date(), to: 'submitted' }] });
  await db.query('UPDATE cases SET geom = $2::geometry, assigned_grid_id = $3 WHERE id = $1', [id, point, extra.assigned_grid_id ?? null]);
  return id;
}

/** A need gathered in `grid` at `point`. */
async function needAt(grid: number, point: string) {
  return (await one(
    `INSERT INTO needs (title, category_code, geom, grid_id, community_id, subdistrict_id)
     SELECT '测试需求', 'elderly_care', $2::geometry, g.id, g.community_id, cm.subdistrict_id
       FROM grids g JOIN communities cm ON cm.id = g.community_id WHERE g.id = $1 RETURNING id`, [grid, point])).id as number;
}

const layout = async () =>
  (await db.query<{ block: number; grid: number }>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [community])).rows;
const gridOf = async (table: 'cases' | 'needs', id: number) => (await one(`SELECT grid_id FROM ${table} WHERE id = $1`, [id])).grid_id as number;

async function draft(assignments: { block: number; grid: number }[]) {
  const r = await post('/api/plans', { community, title: '案件随网格调整', assignments });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as number;
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  community = (await one('SELECT id FROM communities WHERE code = $1', [CODE])).id;
  planner = await signIn(app, 'planner', undefined, '10.12.0.1');
});
afterAll(() => db?.close());

describe('cases and needs follow an applied plan', () => {
  it('a block painted into the neighbouring grid takes its cases and needs along; the rest stay; a revert brings them back', async () => {
    const pick = await findBoundaryBlock(db, community);
    const from = (await one('SELECT grid_id FROM blocks WHERE id = $1', [pick.block])).grid_id as number;
    const inBlock = (await one('SELECT ST_PointOnSurface(geom) AS p FROM blocks WHERE id = $1', [pick.block])).p;
    // a point of the same grid, in a block the plan does not move
    const elsewhere = (await one('SELECT ST_PointOnSurface(geom) AS p FROM blocks WHERE grid_id = $1 AND id <> $2 ORDER BY id LIMIT 1',
      [from, pick.block])).p;
    const moving = await caseAt(from, inBlock);
    const staying = await caseAt(from, elsewhere);
    const need = await needAt(from, inBlock);
    const needStaying = await needAt(from, elsewhere);

    const plan = await draft((await layout()).map((a) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a)));
    const applied = await post(`/api/plans/${plan}/apply`);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(await gridOf('cases', moving)).toBe(pick.to_grid);
    expect(await gridOf('needs', need)).toBe(pick.to_grid);
    expect(await gridOf('cases', staying)).toBe(from);
    expect(await gridOf('needs', needStaying)).toBe(from);
    // what the API says, not only the row
    const shown = await app.request(`/api/cases/${moving}`, { headers: planner.headers });
    expect(((await shown.json()) as any).case.grid_id).toBe(pick.to_grid);
    // every case and need of the community lies in its grid
    const misplaced = await one(`
      SELECT (SELECT count(*)::int FROM cases k JOIN grids g ON g.id = k.grid_id
               WHERE k.id = ANY ($1::int[]) AND NOT ST_Intersects(g.geom, k.geom)) AS cases,
             (SELECT count(*)::int FROM needs k JOIN grids g ON g.id = k.grid_id
               WHERE k.id = ANY ($2::int[]) AND NOT ST_Intersects(g.geom, k.geom)) AS needs`,
      [[moving, staying], [need, needStaying]]);
    expect(misplaced).toEqual({ cases: 0, needs: 0 });

    const reverted = await post(`/api/plans/${plan}/revert`);
    expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
    expect(await gridOf('cases', moving)).toBe(from);
    expect(await gridOf('needs', need)).toBe(from);
    expect(await gridOf('cases', staying)).toBe(from);
  });

  it('a grid merged into its neighbour hands over its cases, needs and the work assigned to it', async () => {
    // grid C (and all its blocks) goes to its longest-bordering neighbour D
    const pair = await one(`
      SELECT c.id AS c, d.id AS d FROM grids c JOIN grids d ON d.community_id = c.community_id AND d.id <> c.id
       WHERE c.community_id = $1 AND EXISTS (SELECT 1 FROM blocks b WHERE b.grid_id = c.id)
       ORDER BY ST_Length(${intersection('ST_Boundary(c.geom)', 'ST_Boundary(d.geom)')}) DESC, c.id, d.id LIMIT 1`, [community]);
    const inC = (await one('SELECT ST_PointOnSurface(geom) AS p FROM blocks WHERE grid_id = $1 ORDER BY id LIMIT 1', [pair.c])).p;
    const inD = (await one('SELECT ST_PointOnSurface(geom) AS p FROM blocks WHERE grid_id = $1 ORDER BY id LIMIT 1', [pair.d])).p;
    const filedInC = await caseAt(pair.c, inC);
    // a case of D handed to C's grid worker (a consultation in the grid)
    const assignedToC = await caseAt(pair.d, inD, { assigned_grid_id: pair.c });
    const need = await needAt(pair.c, inC);

    const plan = await draft((await layout()).map((a) => (a.grid === pair.c ? { ...a, grid: pair.d } : a)));
    const applied = await post(`/api/plans/${plan}/apply`);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.grids_removed).toEqual([pair.c]);
    expect(await gridOf('cases', filedInC)).toBe(pair.d);
    expect(await gridOf('needs', need)).toBe(pair.d);
    expect(await one('SELECT grid_id, assigned_grid_id FROM cases WHERE id = $1', [assignedToC])).toEqual({ grid_id: pair.d, assigned_grid_id: pair.d });
    expect((await one('SELECT count(*)::int AS n FROM cases WHERE grid_id = $1 OR assigned_grid_id = $1', [pair.c])).n).toBe(0);

    const reverted = await post(`/api/plans/${plan}/revert`);
    expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
    expect(await gridOf('cases', filedInC)).toBe(pair.c);
    expect(await gridOf('needs', need)).toBe(pair.c);
  });
});
