// The needs list (居民需求清单) through the real app: a need gathered in a grid goes up the chain
// (building → area branch → community → subdistrict), is matched with a unit's resources,
// dispatched, claimed and fulfilled; every step only by the role that holds it and only in its
// scope; bad input changes nothing; the task force sees and urges what stalls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { call, castAround, type Cast, type Persona } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.75.0');
});
afterAll(() => db?.close());

const need = (extra: Record<string, unknown> = {}) => ({
  title: '楼道加装扶手', description: '3 栋老人多，上下楼不便', category: 'garbage', building: '3栋', households: 12, ...cast.point, ...extra,
});
const count = async () => Number((await db.query('SELECT count(*) AS n FROM needs')).rows[0].n);

async function gather(who: Persona = 'member', extra: Record<string, unknown> = {}) {
  const r = await call(app, cast.signed[who], 'POST', '/api/needs', need(extra));
  if (r.status !== 201) throw new Error(`gather failed: ${r.status} ${r.text}`);
  return r.body.need.id as number;
}
const act = (who: Persona, id: number, body: Record<string, unknown>) => call(app, cast.signed[who], 'POST', `/api/needs/${id}/actions`, body);
async function step(who: Persona, id: number, body: Record<string, unknown>) {
  const r = await act(who, id, body);
  if (r.status !== 200) throw new Error(`${body.action} as ${who} failed: ${r.status} ${r.text}`);
  return r.body;
}

/** A resource of the assigned unit serving the need's category in its community. */
let resourceId = 0;
async function resource() {
  if (resourceId) return resourceId;
  const r = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', {
    name: '适老化改造服务队', kind: 'project', capacity: 8, categories: ['garbage'], community_ids: [cast.grid.community_id],
  });
  expect(r.status).toBe(201);
  return (resourceId = r.body.id);
}

/** The chain up to (and including) `until`, by the people who hold each step. */
async function needAt(until: string): Promise<number> {
  const id = await gather();
  const chain: [string, Persona, Record<string, unknown>][] = [
    ['judged', 'grid', { action: 'judge', body: 'two_heads_four_members', note: '楼栋长会议同意' }],
    ['screened', 'member', { action: 'screen' }],
    ['compiled', 'secretary', { action: 'compile' }],
    ['reported', 'subdistrict', { action: 'report' }],
    ['dispatched', 'secretary', { action: 'dispatch', resource_id: await resource() }],
    ['claimed', 'deptAssigned', { action: 'claim' }],
    ['fulfilled', 'deptAssigned', { action: 'fulfil', note: '扶手已安装' }],
  ];
  if (until === 'gathered') return id;
  for (const [reached, who, body] of chain) {
    await step(who, id, body);
    if (reached === until) return id;
  }
  throw new Error(`no path to ${until}`);
}

describe('gathering a need', () => {
  it('takes one from a grid worker or party member in their own grid, recording the first step', async () => {
    const r = await call(app, cast.signed.grid, 'POST', '/api/needs', need({ title: '小区增设充电桩' }));
    expect(r.status).toBe(201);
    expect(r.body.need).toMatchObject({
      title: '小区增设充电桩', status: 'gathered', grid_id: cast.grid.id, community_id: cast.grid.community_id,
      building: '3栋', households: 12, version: 1, stalled: false, urges: 0,
    });
    expect(r.body.steps).toEqual([expect.objectContaining({ action: 'gather', from_status: null, to_status: 'gathered', role: 'grid_worker' })]);
    const audit = (await db.query<any>(`SELECT action FROM audit_log WHERE entity = 'need' AND entity_id = $1`, [String(r.body.need.id)])).rows;
    expect(audit).toEqual([{ action: 'create' }]);
    expect((await call(app, cast.signed.member, 'POST', '/api/needs', need())).status).toBe(201);
  });

  it('refuses other roles, places outside the caller\'s grid and bad input, storing nothing', async () => {
    const before = await count();
    for (const who of ['secretary', 'subdistrict', 'leader', 'deptAssigned', 'taskforce'] as const) {
      const r = await call(app, cast.signed[who], 'POST', '/api/needs', need());
      expect(r.status, who).toBe(403);
      expect(r.body.error).toMatch(/网格员或党员/);
    }
    const other = (await db.query<any>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id <> $1 AND community_id = $2 LIMIT 1) x`,
      [cast.grid.id, cast.grid.community_id])).rows[0];
    for (const [body, message] of [
      [need({ lon: other.lon, lat: other.lat }), /不在您负责的网格/],
      [need({ lon: 100, lat: 30 }), /不在您负责的网格/],
      [need({ title: ' ' }), /请填写需求标题/],
      [need({ title: '长'.repeat(61) }), /标题最多 60/],
      [need({ category: 'no_such_category' }), /未知的类别/],
      [need({ category: 'A B' }), /类别代码无效/],
      [need({ households: 0 }), /户数至少为 1/],
      [need({ households: '3' }), /户数应为数字/],
      [need({ lon: 'east' }), /经度应为数字/],
      [need({ status: 'fulfilled' }), /status/],
    ] as const) {
      const r = await call(app, cast.signed.grid, 'POST', '/api/needs', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    const raw = await app.request('/api/needs', { method: 'POST', headers: cast.signed.grid.write, body: '{"title":' });
    expect(raw.status).toBe(400);
    expect(await count()).toBe(before);
  });
});

describe('the chain of decisions', () => {
  it('walks from gathered to fulfilled, each step by its role, with the body, branch, unit and claimer recorded', async () => {
    const id = await needAt('fulfilled');
    const r = await call(app, cast.signed.secretary, 'GET', `/api/needs/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.need).toMatchObject({
      status: 'fulfilled', body: 'two_heads_four_members', department_id: cast.assignedDepartment, resource_id: resourceId,
      resource_name: '适老化改造服务队', version: 8,
    });
    expect(r.body.need.branch_name).toBeTruthy();
    expect(r.body.need.claimed_by).toMatch(/工作人员/);
    expect(r.body.steps.map((s: any) => [s.action, s.role, s.to_status])).toEqual([
      ['gather', 'party_member', 'gathered'],
      ['judge', 'grid_worker', 'judged'],
      ['screen', 'party_member', 'screened'],
      ['compile', 'community_secretary', 'compiled'],
      ['report', 'subdistrict_admin', 'reported'],
      ['dispatch', 'community_secretary', 'dispatched'],
      ['claim', 'department_staff', 'claimed'],
      ['fulfil', 'department_staff', 'fulfilled'],
    ]);
    expect(r.body.steps[1].note).toBe('楼栋长会议同意');
    const branch = (await db.query<any>(
      `SELECT b.name FROM area_branch_grids a JOIN area_branches b ON b.id = a.branch_id WHERE a.grid_id = $1`, [cast.grid.id])).rows[0];
    expect(r.body.need.branch_name).toBe(branch.name);
  });

  it('lets a party member of the branch claim a dispatched need, and only that member fulfil it', async () => {
    const id = await needAt('dispatched');
    await step('member', id, { action: 'claim', note: '我来协调' });
    expect((await act('deptAssigned', id, { action: 'fulfil', note: '完成' })).status).toBe(403);
    const done = await step('member', id, { action: 'fulfil', note: '已协调物业完成' });
    expect(done.need).toMatchObject({ status: 'fulfilled', claimed_by: expect.stringMatching(/在职党员/) });
  });

  it('allows each step only to the role that holds it (403) and only in its scope (404)', async () => {
    const steps: [string, Record<string, unknown>, Persona][] = [
      ['gathered', { action: 'judge', body: 'building_party_group' }, 'grid'],
      ['judged', { action: 'screen' }, 'member'],
      ['screened', { action: 'compile' }, 'secretary'],
      ['compiled', { action: 'report' }, 'subdistrict'],
      ['reported', { action: 'dispatch', resource_id: await resource() }, 'secretary'],
      ['dispatched', { action: 'claim' }, 'deptAssigned'],
      ['claimed', { action: 'fulfil', note: '完成' }, 'deptAssigned'],
    ];
    const inScope: Persona[] = ['grid', 'member', 'secretary', 'subdistrict', 'leader', 'planner', 'admin', 'taskforce', 'taskforceCommunity', 'deptAssigned'];
    for (const [status, body, holder] of steps) {
      const id = await needAt(status);
      // a party member of the branch may also take on a dispatched need (its claim is tested above)
      const holders = status === 'dispatched' ? [holder, 'member'] : [holder];
      for (const who of inScope.filter((w) => !holders.includes(w))) {
        const r = await act(who, id, body);
        // department staff see a need only once it is dispatched to their unit
        const expected = who === 'deptAssigned' && !['dispatched', 'claimed'].includes(status) ? 404 : 403;
        expect(r.status, `${body.action} at ${status} by ${who}: ${r.text}`).toBe(expected);
      }
      for (const who of ['otherSecretary', 'deptOther'] as const) {
        expect((await act(who, id, body)).status, `${body.action} by ${who}`).toBe(404);
      }
      // the step of another status is a conflict, even for its holder
      const wrong = steps.find(([s]) => s !== status)!;
      expect((await act(wrong[2], id, wrong[1])).status).not.toBe(200);
      const still = (await db.query<any>('SELECT status, version FROM needs WHERE id = $1', [id])).rows[0];
      expect(still.status).toBe(status);
      await step(holder, id, body);
    }
  });

  it('refuses a step out of order, a stale version and bad actions with the reason', async () => {
    const id = await needAt('gathered');
    let r = await act('secretary', id, { action: 'compile' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/已收集，不能大党委汇编/);
    r = await act('grid', id, { action: 'judge', body: 'two_heads_four_members', version: 7 });
    expect(r.status).toBe(409);
    for (const [body, message] of [
      [{ action: 'judge' }, /body/],
      [{ action: 'judge', body: 'neighbours' }, /两长四员或楼栋党小组/],
      [{ action: 'decline' }, /reason/],
      [{ action: 'decline', reason: ' ' }, /请填写原因/],
      [{ action: 'fly' }, /action/],
      [{ action: 'judge', body: 'two_heads_four_members', extra: 1 }, /extra/],
    ] as const) {
      r = await act('grid', id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    expect((await call(app, cast.signed.grid, 'POST', '/api/needs/abc/actions', { action: 'screen' })).status).toBe(400);
    expect((await call(app, cast.signed.grid, 'POST', '/api/needs/999999999/actions', { action: 'screen' })).status).toBe(404);
    expect((await db.query<any>('SELECT status, version FROM needs WHERE id = $1', [id])).rows[0]).toEqual({ status: 'gathered', version: 1 });
  });

  it('lets the holder of a deciding step decline, with the reason on record; not after the subdistrict reported', async () => {
    const id = await needAt('screened');
    const r = await step('secretary', id, { action: 'decline', reason: '已纳入老旧小区改造计划' });
    expect(r.need.status).toBe('declined');
    expect(r.steps.at(-1)).toMatchObject({ action: 'decline', role: 'community_secretary', note: '已纳入老旧小区改造计划' });
    const reported = await needAt('reported');
    expect((await act('secretary', reported, { action: 'decline', reason: '不办' })).status).toBe(409);
  });

  it('refuses a dispatch to a resource that is switched off or does not serve the community', async () => {
    const id = await needAt('reported');
    const elsewhere = await call(app, cast.signed.deptOther, 'POST', '/api/resources', {
      name: '别处的服务', kind: 'service', capacity: 3, categories: ['garbage'],
      community_ids: [(await db.query<any>('SELECT id FROM communities WHERE id <> $1 LIMIT 1', [cast.grid.community_id])).rows[0].id],
    });
    let r = await act('secretary', id, { action: 'dispatch', resource_id: elsewhere.body.id });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/不服务本社区/);
    r = await act('secretary', id, { action: 'dispatch', resource_id: 999999999 });
    expect(r.status).toBe(400);
    expect((await db.query<any>('SELECT status, department_id FROM needs WHERE id = $1', [id])).rows[0]).toEqual({ status: 'reported', department_id: null });
  });
});

describe('matching (点单 → 派单)', () => {
  it('suggests the units whose resources fit the need\'s words, category and place, best first, each with why', async () => {
    const id = await needAt('reported');
    await resource();
    const r = await call(app, cast.signed.secretary, 'GET', `/api/needs/${id}/suggestions`);
    expect(r.status).toBe(200);
    const s = r.body.suggestions as any[];
    expect(new Set(s.map((x) => x.department_id)).size).toBe(s.length);
    // Why each is offered: the terms it shares with the need ("楼道加装扶手 … 老人多，上下楼不便"), or its category.
    const asked = '楼道加装扶手 3 栋老人多，上下楼不便';
    expect(s.every((x) => x.matched_terms.every((t: string) => asked.includes(t)) && (x.matched_terms.length > 0 || x.serves_category))).toBe(true);
    const mine = s.find((x) => x.department_id === cast.assignedDepartment);
    // The unit's best local entry: ours, unless another test file left a larger one for the same place.
    const best = (await db.query<{ id: number }>(
      `SELECT id FROM department_resources WHERE department_id = $1 AND active AND capacity > 0 AND 'garbage' = ANY (categories)
          AND $2 = ANY (community_ids) ORDER BY capacity DESC, id LIMIT 1`, [cast.assignedDepartment, cast.grid.community_id])).rows[0];
    expect(best).toBeDefined();
    expect(mine).toMatchObject({ local: true, resource_id: best.id });
    // The score is the four signals weighed (text 0.6, category 0.22, default unit 0.1, this
    // community 0.08), best first, the least busy unit first among equals.
    for (const x of s) {
      expect(x.score).toBeCloseTo(0.6 * x.text_score + 0.22 * +x.serves_category + 0.1 * +x.default_unit + 0.08 * +x.local, 2);
    }
    for (let i = 1; i < s.length; i++) {
      const [a, b] = [s[i - 1], s[i]];
      expect(a.score > b.score || (a.score === b.score && a.open_cases + a.open_needs <= b.open_cases + b.open_needs), JSON.stringify([a, b])).toBe(true);
    }
    // the unit's needs count as its open work
    const open = (await db.query<any>(`SELECT count(*)::int AS n FROM needs WHERE department_id = $1 AND status IN ('dispatched', 'claimed')`, [cast.assignedDepartment])).rows[0].n;
    expect(mine.open_needs).toBe(open);
    expect((await call(app, cast.signed.grid, 'GET', `/api/needs/${id}/suggestions`)).status).toBe(403);
    expect((await call(app, cast.signed.otherSecretary, 'GET', `/api/needs/${id}/suggestions`)).status).toBe(404);
  });
});

describe('reading the list', () => {
  it('shows each role the needs of its scope only, and per community what is fulfilled, open, declined and stalled', async () => {
    const dispatched = await needAt('dispatched');
    const list = async (who: Persona, q = '') => (await call(app, cast.signed[who], 'GET', `/api/needs?limit=200${q}`)).body;
    expect((await list('secretary')).needs.every((n: any) => n.community_id === cast.grid.community_id)).toBe(true);
    expect((await list('grid')).needs.every((n: any) => n.grid_id === cast.grid.id)).toBe(true);
    expect((await list('otherSecretary')).needs.some((n: any) => n.community_id === cast.grid.community_id)).toBe(false);
    expect((await list('deptAssigned')).needs.every((n: any) => n.department_id === cast.assignedDepartment)).toBe(true);
    expect((await list('deptAssigned')).needs.some((n: any) => n.id === dispatched)).toBe(true);
    expect((await list('deptOther')).needs.some((n: any) => n.id === dispatched)).toBe(false);
    expect((await list('leader', '&status=dispatched')).needs.every((n: any) => n.status === 'dispatched')).toBe(true);
    expect((await call(app, cast.signed.leader, 'GET', '/api/needs?status=lost')).status).toBe(400);
    expect((await call(app, cast.signed.leader, 'GET', '/api/needs?limit=0')).status).toBe(400);
    expect((await call(app, cast.signed.leader, 'GET', '/api/needs?sort=x')).status).toBe(400);
    expect((await call(app, cast.signed.secretary, 'GET', `/api/needs/${dispatched}?x=1`)).status).toBe(400);

    const summary = (await call(app, cast.signed.secretary, 'GET', '/api/needs/summary')).body.communities as any[];
    expect(summary.map((c) => c.community_id)).toEqual([cast.grid.community_id]);
    const counted = (await db.query<any>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'fulfilled')::int AS fulfilled,
              count(*) FILTER (WHERE status = 'declined')::int AS declined
         FROM needs WHERE community_id = $1`, [cast.grid.community_id])).rows[0];
    expect(summary[0]).toMatchObject({ ...counted, open: counted.total - counted.fulfilled - counted.declined });
  });

  it('shows the task force what stalls, and takes its urging without moving the need', async () => {
    const id = await needAt('compiled');
    // A week without a step (the clock cannot be moved through the API).
    await db.query(`UPDATE needs SET updated_at = now() - interval '8 days' WHERE id = $1`, [id]);
    const stalled = (await call(app, cast.signed.taskforce, 'GET', '/api/needs?stalled=1&limit=200')).body;
    expect(stalled.needs.some((n: any) => n.id === id && n.stalled)).toBe(true);
    expect(stalled.needs.every((n: any) => n.stalled)).toBe(true);
    const before = (await call(app, cast.signed.taskforce, 'GET', '/api/needs/summary')).body.communities
      .find((c: any) => c.community_id === cast.grid.community_id);
    expect(before.stalled).toBeGreaterThanOrEqual(1);

    const urged = await step('taskforceCommunity', id, { action: 'urge', note: '请街道三日内上报' });
    expect(urged.need).toMatchObject({ status: 'compiled', urges: 1, stalled: true });
    expect(urged.steps.at(-1)).toMatchObject({ action: 'urge', role: 'task_force', note: '请街道三日内上报' });
    expect((await act('secretary', id, { action: 'urge', note: '催' })).status).toBe(403);
    expect((await act('taskforce', id, { action: 'urge' })).status).toBe(400);
    // the subdistrict reports it: no longer stalled
    const moved = await step('subdistrict', id, { action: 'report' });
    expect(moved.need.stalled).toBe(false);
    const done = await needAt('fulfilled');
    expect((await act('taskforce', done, { action: 'urge', note: '催' })).status).toBe(409);
  });
});
