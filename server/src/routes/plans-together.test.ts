// Applying drafts of several communities together (POST /api/plans/apply), on two communities no
// other test file touches (土桥社区 and 桂花园社区): bad bodies, a stale, a doubled and an invalid
// draft each stop the whole batch with nothing changed; a batch that passes moves households in
// both communities in one transaction, and reverting each plan restores the city exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { findBoundaryBlock } from '../../../test/edges.ts';

const CODES = ['422801001004', '422801001005'];
let db: Db;
let app: ReturnType<typeof createApp>;
let communities: number[] = [];
const as: Record<string, Signed> = {};

const one = async (sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows[0];
const call = (who: string, method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: method === 'GET' ? as[who].headers : as[who].write,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const json = async (res: Response) => (await res.json()) as any;

/** Everything an apply may touch in the two communities, and the city's totals. */
async function fingerprint() {
  return one(`
    SELECT (SELECT string_agg(id || ':' || code || ':' || number || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id)
              FROM grids WHERE community_id = ANY ($1::int[])) AS grids,
           (SELECT md5(string_agg(id || ':' || grid_id, ',' ORDER BY id)) FROM blocks) AS blocks,
           (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM households) AS households,
           (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM cadres) AS cadres,
           (SELECT md5(string_agg(branch_id || ':' || grid_id, ',' ORDER BY branch_id, grid_id)) FROM area_branch_grids) AS branches,
           (SELECT array_agg(c.layout_version ORDER BY x.n) FROM unnest($1::int[]) WITH ORDINALITY AS x (id, n) JOIN communities c ON c.id = x.id) AS versions,
           (SELECT count(*) FROM grids) AS grid_count`, [communities]);
}

const assignments = async (community: number) =>
  (await db.query<any>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [community])).rows;

async function draft(community: number, list: { block: number; grid: number | string }[]) {
  const res = await call('planner', 'POST', '/api/plans', { community, title: 'together', assignments: list });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).id as number;
}

/** A draft moving one boundary block with households into the neighbouring grid (its grid stays whole). */
async function boundaryDraft(community: number) {
  const pick = await findBoundaryBlock(db, community);
  const id = await draft(community, (await assignments(community)).map((a) => (a.block === pick.block ? { ...a, grid: pick.to_grid } : a)));
  return { id, ...pick };
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  communities = [];
  for (const code of CODES) communities.push((await one('SELECT id FROM communities WHERE code = $1', [code])).id);
  const users: Record<string, string> = { planner: 'planner', leader: 'leader', secretary: `secretary-${CODES[0]}` };
  let n = 0;
  for (const [who, username] of Object.entries(users)) as[who] = await signIn(app, username, undefined, `10.9.4.${++n}`);
});
afterAll(() => db?.close());

describe('POST /api/plans/apply: several communities at once', () => {
  let original: any;
  const picks: Awaited<ReturnType<typeof boundaryDraft>>[] = [];

  it('refuses bad bodies, other roles, unknown plans and a batch with a stale, doubled or invalid draft, changing nothing', async () => {
    original = await fingerprint();
    for (const c of communities) picks.push(await boundaryDraft(c));
    const ids = picks.map((p) => p.id);
    const bad: [unknown, RegExp][] = [
      [{}, /plans/],
      [{ plans: [] }, /plans/],
      [{ plans: [ids[0], ids[0]] }, /list each plan once/],
      [{ plans: ['1'] }, /plans/],
      [{ plans: ids, extra: 1 }, /extra|unknown/],
      ['{not json', /JSON/],
    ];
    for (const [body, reason] of bad) {
      const res = await call('planner', 'POST', '/api/plans/apply', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error).toMatch(reason);
    }
    expect((await call('planner', 'POST', '/api/plans/apply', { plans: [...ids, 2_000_000_000] })).status).toBe(404);
    expect((await call('secretary', 'POST', '/api/plans/apply', { plans: ids })).status).toBe(403);
    expect((await call('leader', 'POST', '/api/plans/apply', { plans: ids })).status).toBe(403);

    // two drafts of one community
    const twin = await draft(communities[0], await assignments(communities[0]));
    const doubled = await call('planner', 'POST', '/api/plans/apply', { plans: [...ids, twin] });
    expect(doubled.status).toBe(409);
    expect((await json(doubled)).error).toMatch(/same community/);

    // one draft that splits a grid in two: 422 naming the plan, nothing applied
    const split = await one(`
      SELECT b.id AS block, gb.id AS to_grid
        FROM blocks b JOIN grids ga ON ga.id = b.grid_id JOIN grids gb ON gb.community_id = ga.community_id AND gb.id <> ga.id
       WHERE b.community_id = $1 AND NOT ST_Intersects(b.geom, gb.geom) ORDER BY b.id, gb.id LIMIT 1`, [communities[1]]);
    const broken = await draft(communities[1], (await assignments(communities[1])).map((a) => (a.block === split.block ? { ...a, grid: split.to_grid } : a)));
    const invalid = await call('planner', 'POST', '/api/plans/apply', { plans: [ids[0], broken] });
    expect(invalid.status).toBe(422);
    const errors = (await json(invalid)).errors as any[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.plan === broken)).toBe(true);
    expect(errors.some((e) => e.code === 'multi_part')).toBe(true);

    // a draft drawn on a layout that changed since: apply community 0 alone, then try the batch
    const first = await call('planner', 'POST', `/api/plans/${twin}/apply`);
    expect(first.status, await first.clone().text()).toBe(200);
    const afterTwin = await fingerprint();
    const stale = await call('planner', 'POST', '/api/plans/apply', { plans: ids });
    expect(stale.status).toBe(409);
    // the apply marked the community's older drafts superseded
    expect((await json(stale)).error).toMatch(new RegExp(`方案 ${ids[0]} .*superseded`));
    expect(await fingerprint()).toEqual(afterTwin);
    expect((await call('planner', 'POST', `/api/plans/${twin}/revert`)).status).toBe(200);
    expect({ ...(await fingerprint()), versions: null }).toEqual({ ...original, versions: null });
  });

  it('applies drafts of two communities in one transaction, and each reverts exactly', async () => {
    const before = await fingerprint();
    picks.length = 0;
    for (const c of communities) picks.push(await boundaryDraft(c));
    const res = await call('planner', 'POST', '/api/plans/apply', { plans: picks.map((p) => p.id) });
    expect(res.status, await res.clone().text()).toBe(200);
    const { applied } = await json(res);
    expect(applied.map((a: any) => a.plan)).toEqual(picks.map((p) => p.id));
    expect(applied.map((a: any) => a.households_moved)).toEqual(picks.map((p) => p.households));
    expect(applied.map((a: any) => a.layout_version)).toEqual(before.versions.map((v: number) => v + 1));

    const check = await one(`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE h.grid_id IS DISTINCT FROM b.grid_id)::int AS not_block_grid,
             count(*) FILTER (WHERE g.community_id = ANY ($1::int[]) AND NOT ST_Contains(g.geom, h.geom))::int AS outside
        FROM households h JOIN blocks b ON b.id = h.block_id LEFT JOIN grids g ON g.id = h.grid_id`, [communities]);
    expect(check).toEqual({ n: 95_402, not_block_grid: 0, outside: 0 });
    for (const p of picks) {
      expect((await one('SELECT grid_id FROM households WHERE block_id = $1 LIMIT 1', [p.block])).grid_id).toBe(p.to_grid);
      const log = await one(`SELECT jsonb_array_length(after->'moves') AS n FROM audit_log WHERE entity = 'plan' AND action = 'apply' AND entity_id = $1`, [String(p.id)]);
      expect(log.n).toBe(p.households);
      expect((await one('SELECT status FROM plans WHERE id = $1', [p.id])).status).toBe('applied');
    }

    for (const p of [...picks].reverse()) {
      const r = await call('planner', 'POST', `/api/plans/${p.id}/revert`);
      expect(r.status, await r.clone().text()).toBe(200);
    }
    expect({ ...(await fingerprint()), versions: null }).toEqual({ ...before, versions: null });
  });
});
