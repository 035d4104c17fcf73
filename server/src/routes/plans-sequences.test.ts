// Plans, cuts and edge redraws in any order keep every household in its grid's polygon (on a
// community no other test file touches, 清江社区 422801001010):
// - a revert after the blocks changed shape (an edge redrawn between two blocks of one grid) is
//   refused with 409 and changes nothing, instead of restoring grids that no longer fit their blocks;
// - seeded random sequences of apply / split / edge / revert, checked in SQL after every step:
//   each household lies in (or on the outline of) its grid's polygon and in its block's grid; a
//   revert that succeeds restores the layout before its apply exactly; no step answers 5xx; the
//   edge redraws since the last other change then undo, newest first, each exactly.
import { feature, lineIntersect, lineString } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revertPreview } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { findBoundaryBlocks, findEdges } from '../../../test/edges.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { prng } from '../live/prng.ts';

const CODE = '422801001010';
let db: Db;
let app: ReturnType<typeof createApp>;
let community = 0;
let planner: Signed;

const one = async (sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows[0];
const call = (method: string, path: string, body?: unknown) =>
  app.request(path, { method, headers: method === 'GET' ? planner.headers : planner.write, body: body === undefined ? undefined : JSON.stringify(body) });
const json = async (res: Response) => (await res.json()) as any;
const version = async () => (await one('SELECT layout_version FROM communities WHERE id = $1', [community])).layout_version as number;
const assignments = async () => (await db.query<any>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [community])).rows;

/** What must hold after every step: households in their block's grid and inside its polygon. */
async function misplaced() {
  return one(`
    SELECT count(*)::int AS households,
           count(*) FILTER (WHERE h.grid_id IS DISTINCT FROM b.grid_id)::int AS not_block_grid,
           count(*) FILTER (WHERE g.id IS NULL OR g.community_id <> b.community_id OR NOT ST_Covers(g.geom, h.geom))::int AS outside,
           (SELECT count(*)::int FROM grids WHERE community_id = $1 AND NOT ST_IsValid(geom)) AS invalid_grids,
           -- 红色尖刀班 tasks follow the layout: each in a grid of its community that covers its point
           (SELECT count(*)::int FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id JOIN grids g ON g.id = k.grid_id
             WHERE t.community_id = $1 AND (g.community_id <> t.community_id OR NOT ST_Intersects(g.geom, k.geom))) AS tasks_outside,
           (SELECT count(*)::int FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id WHERE t.community_id = $1) AS tasks
      FROM households h JOIN blocks b ON b.id = h.block_id LEFT JOIN grids g ON g.id = h.grid_id
     WHERE b.community_id = $1`, [community]);
}

/** The community's layout: grids, blocks (shape and grid) and where each household is. */
async function layout() {
  return one(`
    SELECT (SELECT md5(string_agg(id || ':' || code || ':' || number || ':' || name || ':' || md5(ST_AsEWKB(geom)), ',' ORDER BY id)) FROM grids WHERE community_id = $1) AS grids,
           (SELECT md5(string_agg(id || ':' || grid_id || ':' || md5(ST_AsEWKB(geom)), ',' ORDER BY id)) FROM blocks WHERE community_id = $1) AS blocks,
           (SELECT md5(string_agg(h.id || ':' || h.grid_id || ':' || h.block_id, ',' ORDER BY h.id)) FROM households h JOIN blocks b ON b.id = h.block_id WHERE b.community_id = $1) AS households,
           (SELECT md5(string_agg(x.id || ':' || coalesce(x.grid_id, 0), ',' ORDER BY x.id)) FROM cadres x JOIN grids g ON g.id = x.grid_id WHERE g.community_id = $1) AS cadres`, [community]);
}

/** A draft moving one boundary block into its neighbouring grid (the r-th such block). */
async function boundaryDraft(r: number): Promise<number | null> {
  const picks = await findBoundaryBlocks(db, community);
  if (!picks.length) return null;
  const pick = picks[Math.floor(r * picks.length)];
  const res = await call('POST', '/api/plans', {
    community, title: 'sequence', assignments: (await assignments()).map((a: any) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a)),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).id;
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  community = (await one('SELECT id FROM communities WHERE code = $1', [CODE])).id;
  planner = await signIn(app, 'planner', undefined, '10.9.8.1');
});
afterAll(() => db?.close());

describe('GET /api/plans/:id/revert-preview: bad input', () => {
  it('answers a malformed id, an unknown plan, a stray parameter and a draft with a 4xx in words, changing nothing', async () => {
    const before = await layout();
    const draft = await boundaryDraft(0.5);
    for (const [path, status, words] of [
      ['/api/plans/0x1/revert-preview', 400, /id/],
      ['/api/plans/2147483648/revert-preview', 400, /id/],
      ['/api/plans/999999/revert-preview', 404, /不存在|no plan/],
      [`/api/plans/${draft}/revert-preview?x=1`, 400, /x/],
      [`/api/plans/${draft}/revert-preview`, 409, /未应用/],
    ] as const) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(status);
      expect((await json(res)).error, path).toMatch(words);
    }
    expect(await layout()).toEqual(before);
  });
});

describe('revert after the blocks changed shape', () => {
  it('refuses (409, naming the blocks) to revert a plan when an edge was redrawn since, changing nothing', async () => {
    const { households, tasks } = await misplaced();
    // a boundary block and a neighbour in the grid it moves to (with an edge that moves households)
    let found: { pick: Awaited<ReturnType<typeof findBoundaryBlocks>>[number]; e: Awaited<ReturnType<typeof findEdges>>[number] } | null = null;
    for (const pick of await findBoundaryBlocks(db, community)) {
      const e = (await findEdges(db, community, { block: pick.block }, 50)).find((x) => (x.a === pick.block ? x.gb : x.ga) === pick.to_grid);
      if (e) { found = { pick, e }; break; }
    }
    expect(found, 'a boundary block with an edge to redraw in the grid it moves to').toBeTruthy();
    const { pick, e } = found!;
    const res0 = await call('POST', '/api/plans', {
      community, title: 'edge after apply', assignments: (await assignments()).map((a: any) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a)),
    });
    const plan = (await json(res0)).id;
    const applied = await call('POST', `/api/plans/${plan}/apply`);
    expect(applied.status, await applied.clone().text()).toBe(200);
    // the two blocks now lie in one grid; their shared edge is redrawn
    expect((await one('SELECT count(DISTINCT grid_id)::int AS n FROM blocks WHERE id = ANY ($1::int[])', [[e.a, e.b]])).n).toBe(1);
    const edge = await call('POST', '/api/blocks/edge', { community, layout_version: await version(), blocks: [e.a, e.b], line: e.line });
    expect(edge.status, await edge.clone().text()).toBe(200);
    expect(await misplaced()).toEqual({ households, not_block_grid: 0, outside: 0, invalid_grids: 0, tasks_outside: 0, tasks });

    const before = await layout();
    const v = await version();
    const res = await call('POST', `/api/plans/${plan}/revert`);
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(409);
    expect(body.error).toMatch(/街区.*变化.*\(.*changed/);
    expect(body.error).toContain(String(e.a));
    expect(await layout()).toEqual(before);
    expect(await version()).toBe(v);
    expect((await one('SELECT status FROM plans WHERE id = $1', [plan])).status).toBe('applied');
    expect(await misplaced()).toEqual({ households, not_block_grid: 0, outside: 0, invalid_grids: 0, tasks_outside: 0, tasks });

    // a snapshot from before shapes were recorded: the edge redraw is found in the audit log
    await db.query('UPDATE plan_prior_blocks SET shapes = NULL WHERE plan_id = $1', [plan]);
    const legacy = await call('POST', `/api/plans/${plan}/revert`);
    expect(legacy.status).toBe(409);
    expect((await json(legacy)).error).toContain(`${Math.min(e.a, e.b)}、${Math.max(e.a, e.b)}`);
    expect(await layout()).toEqual(before);
  });
});

describe('random sequences of apply, split, edge and revert', () => {
  it('keep every household in its grid after every step (seeded)', async () => {
    const { households, tasks } = await misplaced();
    const outcomes = new Set<string>();
    for (const seed of [23, 3, 6]) {
      const random = prng(seed);
      /** applied plans, latest last, with the layout their apply replaced */
      const applied: { plan: number; before: any }[] = [];
      const stale: number[] = [];
      /** edge redraws that may still be undone (none changed the layout since), latest last, with the layout before each */
      let redraws: { id: number; before: any }[] = [];
      /** redraws whose undo a later apply, cut or revert rules out */
      const settled: number[] = [];
      const log: string[] = [];
      for (let step = 0; step < 14; step++) {
        const r = random();
        let op: string;
        let res: Response | null = null;
        if (r < 0.25) {
          op = 'apply';
          const plan = await boundaryDraft(random());
          if (plan !== null) {
            const before = await layout();
            res = await call('POST', `/api/plans/${plan}/apply`);
            if (res.status === 200) {
              applied.push({ plan, before });
              stale.push(plan);
            }
          }
        } else if (r < 0.4) {
          op = 'split';
          // a line through a random block's point on surface, ending 10 cm beyond its outline
          // (so it cuts that block only), west-east or south-north
          const blocks = (await db.query<any>(
            `SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_XMin(geom) AS x0, ST_XMax(geom) AS x1, ST_YMin(geom) AS y0, ST_YMax(geom) AS y1, ST_AsGeoJSON(geom)::json AS g
               FROM (SELECT *, ST_PointOnSurface(geom) AS p FROM blocks WHERE community_id = $1) b ORDER BY id`, [community])).rows;
          const b = blocks[Math.floor(random() * blocks.length)];
          const across = random() < 0.5;
          const long = across ? lineString([[b.x0 - 1e-4, b.y], [b.x1 + 1e-4, b.y]]) : lineString([[b.x, b.y0 - 1e-4], [b.x, b.y1 + 1e-4]]);
          const at = lineIntersect(long, feature(b.g)).features.map((f) => f.geometry.coordinates[across ? 0 : 1]);
          const [lo, hi] = [Math.min(...at) - 1e-6, Math.max(...at) + 1e-6];
          const line = across ? [[lo, b.y], [hi, b.y]] : [[b.x, lo], [b.x, hi]];
          res = await call('POST', '/api/blocks/split', { community, layout_version: await version(), line: { type: 'LineString', coordinates: line } });
        } else if (r < 0.65) {
          op = 'edge';
          // half the time around a block the latest apply moved (what its revert would put back)
          const latest = applied.at(-1)?.plan;
          const movedBlock = latest !== undefined && random() < 0.5 ? (await one(`
            SELECT x.id FROM plan_prior_blocks p, unnest(p.block_ids, p.grid_ids) AS x (id, grid_id) JOIN blocks b ON b.id = x.id
             WHERE p.plan_id = $1 AND b.grid_id <> x.grid_id ORDER BY x.id LIMIT 1`, [latest]))?.id : undefined;
          const edges = await findEdges(db, community, { sameGrid: random() < 0.5 ? true : undefined, block: movedBlock }, 20);
          if (edges.length) {
            const e = edges[Math.floor(random() * edges.length)];
            const before = await layout();
            res = await call('POST', '/api/blocks/edge', { community, layout_version: await version(), blocks: [e.a, e.b], line: e.line });
            if (res.status === 200) redraws.push({ id: (await json(res.clone())).redraw, before });
          }
        } else if (r < 0.95 || !stale.length) {
          op = 'revert';
          if (applied.length) {
            // mostly the latest; sometimes an earlier one (which must be refused)
            const k = random() < 0.8 ? applied.length - 1 : Math.floor(random() * applied.length);
            const { plan, before } = applied[k];
            // The confirmation's dry run: it changes nothing, refuses as the revert does, and
            // its figures are the revert's own.
            const untouched = await layout();
            const preview = await call('GET', `/api/plans/${plan}/revert-preview`);
            expect(await layout(), `seed ${seed} step ${step}: a revert preview changes nothing`).toEqual(untouched);
            res = await call('POST', `/api/plans/${plan}/revert`);
            expect(preview.status, `seed ${seed} step ${step}: the preview answers as the revert`).toBe(res.status);
            if (res.status === 200) {
              const [p, r] = [revertPreview.parse(await json(preview)), await json(res.clone())];
              expect(p.households_moved, `seed ${seed} step ${step}: the preview's households are the revert's`).toBe(r.households_moved);
              expect(k, `seed ${seed} step ${step}: only the latest plan reverts`).toBe(applied.length - 1);
              const after = await layout();
              expect(after, `seed ${seed} step ${step}: revert of plan ${plan} restores the layout before it`).toEqual(before);
              applied.pop();
            }
          }
        } else {
          op = 'stale apply';
          const plan = stale[Math.floor(random() * stale.length)];
          res = await call('POST', `/api/plans/${plan}/apply`);
          expect(res.status, `seed ${seed} step ${step}: plan ${plan} is no longer a current draft`).toBe(409);
        }
        const status = res?.status ?? 0;
        if (status === 200 && op !== 'edge') {
          settled.push(...redraws.map((x) => x.id));
          redraws = [];
        }
        outcomes.add(`${op}:${status}`);
        log.push(`${op}:${status}${res && status !== 200 ? ` ${((await json(res)).error ?? '').split(' (')[0]}` : ''}`);
        expect(status, `seed ${seed} step ${step}: ${log.join(' → ')}`).toBeLessThan(500);
        expect(await misplaced(), `seed ${seed} step ${step}: ${log.join(' → ')}`).toEqual({ households, not_block_grid: 0, outside: 0, invalid_grids: 0, tasks_outside: 0, tasks });
      }
      console.log(`seed ${seed}: ${log.join(' → ')}`);
      // Two more redraws (one inside a grid, one on a grid line), then the redraws since the last
      // other change undo newest first, each to the layout before it; one that another change
      // followed is refused and changes nothing.
      for (const sameGrid of [true, false]) {
        const [e] = await findEdges(db, community, { sameGrid }, 1);
        if (!e) continue;
        const before = await layout();
        const res = await call('POST', '/api/blocks/edge', { community, layout_version: await version(), blocks: [e.a, e.b], line: e.line });
        if (res.status === 200) redraws.push({ id: (await json(res)).redraw, before });
      }
      if (settled.length) {
        const untouched = await layout();
        expect((await call('POST', `/api/blocks/edge/${settled.at(-1)}/revert`)).status, `seed ${seed}: a settled redraw stays`).toBe(409);
        expect(await layout()).toEqual(untouched);
      }
      for (const { id, before } of redraws.reverse()) {
        const res = await call('POST', `/api/blocks/edge/${id}/revert`);
        expect(res.status, `seed ${seed}: undo of redraw ${id}: ${await res.clone().text()}`).toBe(200);
        expect(await layout(), `seed ${seed}: undo of redraw ${id} restores the layout before it`).toEqual(before);
        expect(await misplaced()).toEqual({ households, not_block_grid: 0, outside: 0, invalid_grids: 0, tasks_outside: 0, tasks });
        outcomes.add('undo edge:200');
      }
      // What the steps left exports and imports back: edge redraws leave grid outlines passing
      // within a centimetre of themselves, which the export's 7 decimals once made self-intersect.
      const made = await call('POST', '/api/plans', { community, title: 'round trip', assignments: await assignments() });
      expect(made.status, await made.clone().text()).toBe(201);
      const draft = (await json(made)).id;
      const fc = await (await call('GET', `/api/plans/${draft}/geojson`)).json();
      const imported = await call('POST', '/api/plans/import', { community, geojson: fc });
      expect(imported.status, `seed ${seed}: ${await imported.clone().text()}`).toBe(201);
      const back = await json(await call('GET', `/api/plans/${(await json(imported)).id}`));
      const orig = await json(await call('GET', `/api/plans/${draft}`));
      expect(back.assignments, `seed ${seed}: the imported draft assigns every block as the exported one`).toEqual(orig.assignments);
    }
    // the seeds are chosen so that the sequences exercise what this test is about
    expect([...outcomes]).toEqual(expect.arrayContaining(['apply:200', 'split:200', 'edge:200', 'revert:200', 'revert:409', 'undo edge:200']));
  });
});
