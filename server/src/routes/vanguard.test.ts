// 红色尖刀班 through the real app: every community's team is drawn from its own sunk cadres and
// full-time social workers (counted in SQL), each role sees its own area, staff names are for
// the roster roles, and the secretary's edits and the members' progress reports are audited,
// scoped to the own community, while bad input is a 4xx that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VANGUARD_TASK_KINDS } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { call, castAround, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
let home: number;
let team: number;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.75.0');
  home = cast.users.secretary.community_id!;
  team = (await db.query<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [home])).rows[0].id;
});
afterAll(() => db?.close());

const one = async <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => (await db.query<T & Record<string, unknown>>(sql, p)).rows[0];
const snapshot = async () => ({
  tasks: (await db.query('SELECT id, kind, title, target, done, version, withdrawn_at, withdrawn_reason FROM vanguard_tasks ORDER BY id')).rows,
  members: (await db.query('SELECT id, team_id, cadre_id, worker_id, role, left_at, left_reason FROM vanguard_members ORDER BY id')).rows,
  updates: (await one<{ n: number }>('SELECT count(*)::int AS n FROM vanguard_task_updates')).n,
});
const homeTask = async (unit: string) => (await db.query<{ id: number; team_id: number; target: number; done: number; version: number }>(
  `SELECT k.id, k.team_id, k.target, k.done, k.version FROM vanguard_tasks k WHERE k.team_id = $1 AND k.unit = $2 ORDER BY k.id LIMIT 1`,
  [team, unit])).rows[0];

describe('the seeded teams', () => {
  it('are one team in each of the 33 communities, 264 members and 264 tasks, all synthetic', async () => {
    expect(await one(`SELECT count(*)::int AS teams, count(DISTINCT community_id)::int AS communities,
                             count(*) FILTER (WHERE synthetic)::int AS synthetic FROM vanguard_teams`))
      .toEqual({ teams: 33, communities: 33, synthetic: 33 });
    expect(await one(`SELECT count(*)::int AS members, count(cadre_id)::int AS sunk, count(worker_id)::int AS workers,
                             count(*) FILTER (WHERE role = 'captain')::int AS captains, count(*) FILTER (WHERE synthetic)::int AS synthetic
                        FROM vanguard_members`))
      .toEqual({ members: 264, sunk: 165, workers: 99, captains: 33, synthetic: 264 });
    // the seeded tasks (other test files add tasks of their own, not synthetic)
    expect(await one(`SELECT count(*) FILTER (WHERE synthetic)::int AS synthetic FROM vanguard_tasks`)).toEqual({ synthetic: 264 });
  });

  it('draws every member from the team’s own community: its sunk cadres and its 专职社工', async () => {
    expect(await one(`SELECT count(*)::int AS n FROM vanguard_members m JOIN vanguard_teams t ON t.id = m.team_id
                        JOIN cadres cd ON cd.id = m.cadre_id JOIN area_branches b ON b.id = cd.branch_id
                       WHERE cd.kind = 'sunk' AND b.community_id = t.community_id`)).toEqual({ n: 165 });
    expect(await one(`SELECT count(*)::int AS n FROM vanguard_members m JOIN vanguard_teams t ON t.id = m.team_id
                        JOIN community_workers w ON w.id = m.worker_id
                       WHERE w.post = 'social_worker' AND w.community_id = t.community_id`)).toEqual({ n: 99 });
  });

  it('has two tasks of each kind per team, each in a grid of the team’s community, with its point inside the grid', async () => {
    const { rows } = await db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM vanguard_tasks WHERE synthetic GROUP BY kind ORDER BY kind');
    expect(rows).toEqual([...VANGUARD_TASK_KINDS].sort().map((kind) => ({ kind, n: 66 })));
    expect(await one(`SELECT count(*)::int AS n FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id
                        JOIN grids g ON g.id = k.grid_id WHERE NOT (g.community_id = t.community_id AND ST_Intersects(g.geom, k.geom))`))
      .toEqual({ n: 0 });
    expect(await one(`SELECT count(*)::int AS n FROM (SELECT team_id FROM vanguard_tasks WHERE synthetic GROUP BY team_id, kind HAVING count(*) = 2) x`))
      .toEqual({ n: 132 });
    expect(await one(`SELECT count(*) FILTER (WHERE unit = 'percent' AND target <> 100)::int AS bad_percent,
                             count(*) FILTER (WHERE done > target OR done < 0)::int AS bad_done FROM vanguard_tasks`))
      .toEqual({ bad_percent: 0, bad_done: 0 });
  });
});

describe('GET /api/vanguard', () => {
  it('gives a city role every team, with the figures counted in SQL', async () => {
    const r = await call(app, cast.signed.leader, 'GET', '/api/vanguard');
    expect(r.status).toBe(200);
    expect(r.body.teams).toHaveLength(33);
    const tasks = (await one<{ n: number }>('SELECT count(*)::int AS n FROM vanguard_tasks')).n;
    expect(tasks).toBeGreaterThanOrEqual(264);
    expect(r.body.total).toMatchObject({ teams: 33, members: 264, tasks });
    const pct = await one<{ p: number }>('SELECT round(avg(100.0 * done / target), 1)::float8 AS p FROM vanguard_tasks');
    expect(r.body.total.progress_pct).toBe(pct.p);
    const mine = r.body.teams.find((t: any) => t.community_id === home);
    expect(mine).toMatchObject({ team_id: team, members: 8, tasks: 8, synthetic: true });
    for (const k of VANGUARD_TASK_KINDS) expect(mine.by_kind[k].tasks, k).toBe(2);
  });

  it('gives each area role its own area only', async () => {
    const sub = await call(app, cast.signed.subdistrict, 'GET', '/api/vanguard');
    const n = (await one<{ n: number }>('SELECT count(*)::int AS n FROM communities WHERE subdistrict_id = $1', [cast.users.subdistrict.subdistrict_id])).n;
    expect(sub.body.teams).toHaveLength(n);
    for (const who of ['secretary', 'grid', 'member', 'taskforceCommunity'] as const) {
      const r = await call(app, cast.signed[who], 'GET', '/api/vanguard');
      expect(r.body.teams.map((t: any) => t.community_id), who).toEqual([home]);
    }
    const other = cast.users.otherSecretary.community_id!;
    expect((await call(app, cast.signed.secretary, 'GET', `/api/vanguard?community=${other}`)).status).toBe(404);
    expect((await call(app, cast.signed.leader, 'GET', `/api/vanguard?community=${other}`)).body.teams).toHaveLength(1);
    for (const bad of ['abc', '0', '1.5', '99999999999']) {
      const r = await call(app, cast.signed.leader, 'GET', `/api/vanguard?community=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error).toMatch(/正整数/);
    }
    expect((await call(app, cast.signed.leader, 'GET', '/api/vanguard?kind=x')).status).toBe(400);
  });
});

describe('GET /api/vanguard/teams/:id', () => {
  it('gives members, tasks with their place and progress; names only to the roster roles', async () => {
    const own = await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}`);
    expect(own.status).toBe(200);
    expect(own.body.members).toHaveLength(8);
    expect(own.body.members[0]).toMatchObject({ role: 'captain', source: 'sunk_cadre' });
    expect(own.body.members.every((m: any) => typeof m.name === 'string' && m.name.length > 0)).toBe(true);
    expect(own.body.members.filter((m: any) => m.source === 'community_worker').every((m: any) => m.unit === '专职社工')).toBe(true);
    expect(own.body.tasks).toHaveLength(8);
    expect(own.body.tasks.every((t: any) => t.progress_pct === Math.round(1000 * t.done / t.target) / 10)).toBe(true);
    expect(own.body.can_edit).toBe(true);
    const leader = await call(app, cast.signed.leader, 'GET', `/api/vanguard/teams/${team}`);
    expect(leader.body.members.every((m: any) => m.name === null)).toBe(true);
    expect(leader.body.can_edit).toBe(false);
    expect((await call(app, cast.signed.taskforceCommunity, 'GET', `/api/vanguard/teams/${team}`)).body.can_edit).toBe(true);
    const theirs = (await one<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [cast.users.otherSecretary.community_id])).id;
    expect((await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${theirs}`)).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'GET', '/api/vanguard/teams/99999999')).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'GET', '/api/vanguard/teams/abc')).status).toBe(400);
  });
});

describe('progress reports', () => {
  it('a member reports progress through the secretary: recorded, audited, shown', async () => {
    const task = await homeTask('steps');
    const member = (await one<{ id: number }>('SELECT id FROM vanguard_members WHERE team_id = $1 ORDER BY id DESC LIMIT 1', [team])).id;
    const next = task.done === task.target ? task.done - 1 : task.done + 1;
    try {
      const r = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${task.id}/progress`,
        { member_id: member, done: next, note: '入户 1 家', version: task.version });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: task.id, done: next, version: task.version + 1 });
      expect(await one(`SELECT member_id, done_before, done_after, note FROM vanguard_task_updates WHERE task_id = $1 ORDER BY id DESC LIMIT 1`, [task.id]))
        .toEqual({ member_id: member, done_before: task.done, done_after: next, note: '入户 1 家' });
      const log = await one<any>(`SELECT actor, before, after FROM audit_log WHERE entity = 'vanguard_task' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(task.id)]);
      expect(log).toMatchObject({ actor: expect.stringMatching(/^secretary-/), before: { done: task.done }, after: { done: next, member_id: member } });
      const detail = await call(app, cast.signed.leader, 'GET', `/api/vanguard/teams/${team}`);
      expect(detail.body.updates[0]).toMatchObject({ task_id: task.id, member_id: member, done_after: next });
      // the community's task force records too; a stale version is a conflict
      const tf = await call(app, cast.signed.taskforceCommunity, 'POST', `/api/vanguard/tasks/${task.id}/progress`, { member_id: member, done: task.done });
      expect(tf.status).toBe(201);
      const stale = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${task.id}/progress`, { member_id: member, done: 0, version: task.version });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatch(/已被他人更新/);
    } finally {
      await db.query('UPDATE vanguard_tasks SET done = $2 WHERE id = $1', [task.id, task.done]);
      await db.query('DELETE FROM vanguard_task_updates WHERE task_id = $1', [task.id]);
    }
  });

  it('refuses other communities, other roles, strangers to the team and bad input, changing nothing', async () => {
    const task = await homeTask('percent');
    const member = (await one<{ id: number }>('SELECT id FROM vanguard_members WHERE team_id = $1 ORDER BY id LIMIT 1', [team])).id;
    const stranger = (await one<{ id: number }>('SELECT id FROM vanguard_members WHERE team_id <> $1 ORDER BY id LIMIT 1', [team])).id;
    const theirs = (await one<{ id: number }>(`SELECT k.id FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id
      WHERE t.community_id = $1 ORDER BY k.id LIMIT 1`, [cast.users.otherSecretary.community_id])).id;
    const was = await snapshot();
    const path = `/api/vanguard/tasks/${task.id}/progress`;
    expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${theirs}/progress`, { member_id: member, done: 1 })).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/tasks/99999999/progress', { member_id: member, done: 1 })).status).toBe(404);
    for (const who of ['leader', 'planner', 'subdistrict', 'grid', 'member', 'deptOther'] as const) {
      expect((await call(app, cast.signed[who], 'POST', path, { member_id: member, done: 1 })).status, who).toBe(403);
    }
    // the city-wide task force sees the task but is not the community's own
    expect((await call(app, cast.signed.taskforce, 'POST', path, { member_id: member, done: 1 })).status).toBe(403);
    for (const [body, message] of [
      [{ member_id: stranger, done: 1 }, /不在本尖刀班/],
      [{ member_id: member, done: 101 }, /不能超过目标 100%/],
      [{ member_id: member, done: -1 }, /不能为负/],
      [{ member_id: member, done: 1.5 }, /整数/],
      [{ member_id: member }, /done/],
      [{ done: 1 }, /member_id/],
      [{ member_id: 0, done: 1 }, /正整数/],
      [{ member_id: member, done: 1, note: 'x'.repeat(201) }, /200/],
      [{ member_id: member, done: 1, extra: true }, /extra/],
      [{ member_id: member, done: 1, version: 0 }, /version|正整数/],
    ] as const) {
      const r = await call(app, cast.signed.secretary, 'POST', path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    const raw = await app.request(path, { method: 'POST', headers: cast.signed.secretary.write, body: '{not json' });
    expect(raw.status).toBe(400);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/tasks/abc/progress', { member_id: member, done: 1 })).status).toBe(400);
    expect(await snapshot()).toEqual(was);
  });
});

describe('PATCH /api/vanguard/tasks/:id', () => {
  it('lets the secretary rename a task and change its target, audited', async () => {
    const task = await homeTask('steps');
    const before = await one<{ title: string; target: number; kind: string }>('SELECT title, target, kind FROM vanguard_tasks WHERE id = $1', [task.id]);
    try {
      const r = await call(app, cast.signed.secretary, 'PATCH', `/api/vanguard/tasks/${task.id}`,
        { title: '进楼入户大走访（第二轮）', target: task.target + 2, kind: 'door_to_door', version: task.version });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ title: '进楼入户大走访（第二轮）', target: task.target + 2, kind: 'door_to_door', version: task.version + 1 });
      const log = await one<any>(`SELECT before, after FROM audit_log WHERE entity = 'vanguard_task' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(task.id)]);
      expect(log).toMatchObject({ before: { target: task.target }, after: { target: task.target + 2 } });
    } finally {
      await db.query('UPDATE vanguard_tasks SET title = $2, target = $3, kind = $4 WHERE id = $1', [task.id, before.title, before.target, before.kind]);
    }
  });

  it('refuses other communities, other roles and bad input, changing nothing', async () => {
    const steps = await homeTask('steps');
    const percent = await homeTask('percent');
    const theirs = (await one<{ id: number }>(`SELECT k.id FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id
      WHERE t.community_id = $1 ORDER BY k.id LIMIT 1`, [cast.users.otherSecretary.community_id])).id;
    const was = await snapshot();
    expect((await call(app, cast.signed.secretary, 'PATCH', `/api/vanguard/tasks/${theirs}`, { title: '改' })).status).toBe(404);
    for (const who of ['leader', 'subdistrict', 'grid', 'taskforceCommunity', 'member', 'deptOther'] as const) {
      expect((await call(app, cast.signed[who], 'PATCH', `/api/vanguard/tasks/${steps.id}`, { title: '改' })).status, who).toBe(403);
    }
    for (const [id, body, message] of [
      [steps.id, {}, /没有要修改的内容/],
      [steps.id, { title: '' }, /标题不能为空/],
      [steps.id, { title: 'x'.repeat(61) }, /60/],
      [steps.id, { kind: 'sports' }, /任务类型/],
      [steps.id, { target: 0 }, /1–1000/],
      [steps.id, { target: steps.done > 1 ? 1 : 1001 }, steps.done > 1 ? /不能少于/ : /1–1000/],
      [percent.id, { target: 50 }, /固定为 100/],
      [steps.id, { done: 1 }, /done/],
    ] as const) {
      const r = await call(app, cast.signed.secretary, 'PATCH', `/api/vanguard/tasks/${id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    expect(await snapshot()).toEqual(was);
  });
});

describe('POST /api/vanguard/teams/:id/tasks', () => {
  it('lets the secretary place a task in a grid of the community, at a point in it or inside it, audited', async () => {
    const grid = (await one<{ id: number; lon: number; lat: number }>(
      `SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE community_id = $1 ORDER BY id DESC LIMIT 1`, [home]));
    const made: number[] = [];
    try {
      const at = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/tasks`,
        { kind: 'enterprise_service', title: '走访新开商户', grid_id: grid.id, lon: grid.lon, lat: grid.lat, unit: 'steps', target: 6 });
      expect(at.status).toBe(201);
      made.push(at.body.id);
      expect(at.body).toMatchObject({ team_id: team, kind: 'enterprise_service', grid_id: grid.id, unit: 'steps', target: 6, done: 0, synthetic: false });
      expect(at.body.lon).toBeCloseTo(grid.lon, 9);
      const inside = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/tasks`,
        { kind: 'living_environment', title: '楼道杂物清理', grid_id: grid.id, unit: 'percent' });
      expect(inside.status).toBe(201);
      made.push(inside.body.id);
      expect(inside.body).toMatchObject({ unit: 'percent', target: 100, done: 0 });
      expect(await one(`SELECT ST_Intersects(g.geom, k.geom) AS ok FROM vanguard_tasks k JOIN grids g ON g.id = k.grid_id WHERE k.id = $1`, [inside.body.id]))
        .toEqual({ ok: true });
      const log = await one<any>(`SELECT actor, action, after FROM audit_log WHERE entity = 'vanguard_task' AND entity_id = $1`, [String(at.body.id)]);
      expect(log).toMatchObject({ actor: expect.stringMatching(/^secretary-/), action: 'create', after: { title: '走访新开商户' } });
      expect((await call(app, cast.signed.leader, 'GET', `/api/vanguard/teams/${team}`)).body.tasks).toHaveLength(10);
    } finally {
      await db.query('DELETE FROM vanguard_tasks WHERE id = ANY ($1::int[])', [made]);
    }
  });

  it('refuses other communities, other roles, a grid or point outside, and bad input, changing nothing', async () => {
    const grid = (await one<{ id: number }>('SELECT id FROM grids WHERE community_id = $1 ORDER BY id LIMIT 1', [home])).id;
    const foreignGrid = (await one<{ id: number }>('SELECT id FROM grids WHERE community_id <> $1 ORDER BY id LIMIT 1', [home])).id;
    const far = (await one<{ lon: number; lat: number }>(
      'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE id = $1', [foreignGrid]));
    const theirs = (await one<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [cast.users.otherSecretary.community_id])).id;
    const ok = { kind: 'door_to_door', title: '入户走访', grid_id: grid, unit: 'steps', target: 5 };
    const was = await snapshot();
    const path = `/api/vanguard/teams/${team}/tasks`;
    expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${theirs}/tasks`, ok)).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/teams/99999999/tasks', ok)).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/teams/abc/tasks', ok)).status).toBe(400);
    for (const who of ['leader', 'subdistrict', 'grid', 'taskforceCommunity', 'member', 'deptOther'] as const) {
      expect((await call(app, cast.signed[who], 'POST', path, ok)).status, who).toBe(403);
    }
    for (const [body, message] of [
      [{ ...ok, grid_id: foreignGrid }, /不属于本社区/],
      [{ ...ok, lon: far.lon, lat: far.lat }, /不在所选网格内/],
      [{ ...ok, lon: far.lon }, /同时给出/],
      [{ ...ok, kind: 'sports' }, /任务类型/],
      [{ ...ok, title: ' ' }, /标题不能为空/],
      [{ ...ok, unit: 'hours' }, /unit/],
      [{ ...ok, target: undefined }, /目标步数/],
      [{ ...ok, unit: 'percent', target: 50 }, /固定为 100/],
      [{ ...ok, target: 0 }, /1–1000/],
      [{ ...ok, grid_id: 0 }, /正整数/],
      [{ ...ok, done: 3 }, /done/],
    ] as const) {
      const r = await call(app, cast.signed.secretary, 'POST', path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    const raw = await app.request(path, { method: 'POST', headers: cast.signed.secretary.write, body: '{not json' });
    expect(raw.status).toBe(400);
    expect(await snapshot()).toEqual(was);
  });
});

describe('the team’s membership', () => {
  it('the secretary adds a sunk cadre of the community, takes a 专职社工 off the team keeping their reports, and takes them back, audited', async () => {
    const task = await homeTask('steps');
    const worker = await one<{ id: number; worker_id: number }>(
      `SELECT id, worker_id FROM vanguard_members WHERE team_id = $1 AND worker_id IS NOT NULL AND left_at IS NULL ORDER BY id LIMIT 1`, [team]);
    let added: number | null = null;
    try {
      // who may join: the community's own sunk cadres and 专职社工 who are not on the team, with names
      const cands = await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}/candidates`);
      expect(cands.status).toBe(200);
      const cadres = cands.body.candidates.filter((c: any) => c.source === 'sunk_cadre');
      expect(cadres.length).toBeGreaterThan(0);
      expect(cadres.every((c: any) => typeof c.name === 'string' && c.name.length > 0)).toBe(true);
      expect(await one(`SELECT count(*)::int AS n FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id
                         WHERE cd.id = ANY ($1::int[]) AND cd.kind = 'sunk' AND b.community_id = $2
                           AND NOT EXISTS (SELECT 1 FROM vanguard_members m WHERE m.cadre_id = cd.id AND m.team_id = $3 AND m.left_at IS NULL)`,
        [cadres.map((c: any) => c.id), home, team])).toEqual({ n: cadres.length });
      const pick = cadres.find((c: any) => !c.former) ?? cadres[0];
      const add = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/members`, { source: 'sunk_cadre', id: pick.id });
      expect(add.status).toBe(201);
      added = add.body.id;
      expect(add.body).toMatchObject({ source: 'sunk_cadre', role: 'member', name: pick.name, synthetic: false });
      const withNew = await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}`);
      const count = withNew.body.members.length;
      expect(withNew.body.members.map((m: any) => m.id)).toContain(added);
      expect((await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}/candidates`)).body.candidates
        .some((c: any) => c.source === 'sunk_cadre' && c.id === pick.id)).toBe(false);
      expect(await one<any>(`SELECT action, after FROM audit_log WHERE entity = 'vanguard_member' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(added)]))
        .toMatchObject({ action: 'create', after: { source: 'sunk_cadre', id: pick.id } });
      // already on the team: a conflict
      const again = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/members`, { source: 'sunk_cadre', id: pick.id });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatch(/已在本尖刀班/);

      // the 专职社工 reports, then leaves: off the list, their report kept and still named
      const next = task.done === task.target ? task.done - 1 : task.done + 1;
      expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${task.id}/progress`, { member_id: worker.id, done: next })).status).toBe(201);
      const leave = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/members/${worker.id}/leave`, { reason: '调往其他社区' });
      expect(leave.status).toBe(200);
      const after = await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}`);
      expect(after.body.members.map((m: any) => m.id)).not.toContain(worker.id);
      expect(after.body.members).toHaveLength(count - 1);
      expect(after.body.former_members.find((m: any) => m.id === worker.id)).toMatchObject({ source: 'community_worker', left_reason: '调往其他社区', unit: '专职社工' });
      expect(after.body.updates.some((u: any) => u.member_id === worker.id && u.task_id === task.id)).toBe(true);
      expect(await one('SELECT count(*)::int AS n FROM vanguard_task_updates WHERE member_id = $1', [worker.id])).toEqual({ n: 1 });
      const summary = await call(app, cast.signed.secretary, 'GET', '/api/vanguard');
      expect(summary.body.teams[0].members).toBe(count - 1);
      expect(await one<any>(`SELECT action, after FROM audit_log WHERE entity = 'vanguard_member' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(worker.id)]))
        .toMatchObject({ action: 'disable', after: { left: true, reason: '调往其他社区' } });
      // one who left reports no more, and cannot leave twice
      const late = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${task.id}/progress`, { member_id: worker.id, done: task.done });
      expect(late.status).toBe(400);
      expect(late.body.error).toMatch(/不在本尖刀班/);
      expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/members/${worker.id}/leave`, { reason: '再次' })).status).toBe(409);
      // taken back in on the same row
      const back = (await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}/candidates`)).body.candidates
        .find((c: any) => c.source === 'community_worker' && c.id === worker.worker_id);
      expect(back).toMatchObject({ former: true, unit: '专职社工' });
      const readd = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/members`, { source: 'community_worker', id: worker.worker_id });
      expect(readd.status).toBe(201);
      expect(readd.body.id).toBe(worker.id);
      expect(await one('SELECT left_at, left_reason FROM vanguard_members WHERE id = $1', [worker.id])).toEqual({ left_at: null, left_reason: null });
    } finally {
      await db.query('UPDATE vanguard_members SET left_at = NULL, left_reason = NULL WHERE id = $1', [worker.id]);
      if (added) await db.query('DELETE FROM vanguard_members WHERE id = $1', [added]);
      await db.query('UPDATE vanguard_tasks SET done = $2 WHERE id = $1', [task.id, task.done]);
      await db.query('DELETE FROM vanguard_task_updates WHERE task_id = $1', [task.id]);
    }
  });

  it('refuses other communities, other roles, people who may not join, the captain and bad input, changing nothing', async () => {
    const other = cast.users.otherSecretary.community_id!;
    const theirs = (await one<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [other])).id;
    const theirMember = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'member' ORDER BY id LIMIT 1`, [theirs])).id;
    const captain = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'captain'`, [team])).id;
    const mine = (await one<{ id: number; cadre_id: number }>(`SELECT id, cadre_id FROM vanguard_members WHERE team_id = $1 AND role = 'member' AND cadre_id IS NOT NULL ORDER BY id LIMIT 1`, [team]));
    const foreignCadre = (await one<{ id: number }>(`SELECT cd.id FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id
      WHERE cd.kind = 'sunk' AND b.community_id = $1 ORDER BY cd.id LIMIT 1`, [other])).id;
    const inService = await one<{ id: number }>(`SELECT cd.id FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id
      WHERE cd.kind <> 'sunk' AND b.community_id = $1 ORDER BY cd.id LIMIT 1`, [home]);
    const gridWorker = (await one<{ id: number }>(`SELECT id FROM community_workers WHERE community_id = $1 AND post <> 'social_worker' ORDER BY id LIMIT 1`, [home])).id;
    const candidate = (await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}/candidates`)).body.candidates
      .find((c: any) => c.source === 'sunk_cadre');
    const ok = { source: 'sunk_cadre', id: candidate.id };
    const was = await snapshot();
    expect((await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${theirs}/candidates`)).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${theirs}/members`, ok)).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/members/${theirMember}/leave`, { reason: '调离' })).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/members/99999999/leave', { reason: '调离' })).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'GET', '/api/vanguard/teams/abc/candidates')).status).toBe(400);
    expect((await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}/candidates?x=1`)).status).toBe(400);
    for (const who of ['leader', 'subdistrict', 'grid', 'taskforceCommunity', 'member', 'deptOther'] as const) {
      expect((await call(app, cast.signed[who], 'GET', `/api/vanguard/teams/${team}/candidates`)).status, who).toBe(403);
      expect((await call(app, cast.signed[who], 'POST', `/api/vanguard/teams/${team}/members`, ok)).status, who).toBe(403);
      expect((await call(app, cast.signed[who], 'POST', `/api/vanguard/members/${mine.id}/leave`, { reason: '调离' })).status, who).toBe(403);
    }
    const adds: [unknown, RegExp, number][] = [
      [{ source: 'sunk_cadre', id: foreignCadre }, /不是本社区的下沉干部/, 400],
      [{ source: 'community_worker', id: gridWorker }, /不是本社区在岗的专职社工/, 400],
      [{ source: 'sunk_cadre', id: mine.cadre_id }, /已在本尖刀班/, 409],
      [{ source: 'volunteer', id: candidate.id }, /成员来源/, 400],
      [{ source: 'sunk_cadre' }, /id/, 400],
      [{ source: 'sunk_cadre', id: 0 }, /正整数/, 400],
      [{ ...ok, role: 'captain' }, /role/, 400],
    ];
    if (inService) adds.push([{ source: 'sunk_cadre', id: inService.id }, /不是本社区的下沉干部/, 400]);
    for (const [body, message, status] of adds) {
      const r = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/members`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    for (const [id, body, message] of [
      [captain, { reason: '调离' }, /班长不能移出/],
      [mine.id, {}, /reason/],
      [mine.id, { reason: '  ' }, /请填写退出原因/],
      [mine.id, { reason: 'x'.repeat(201) }, /200/],
      [mine.id, { reason: '调离', left_at: '2020-01-01' }, /left_at/],
    ] as const) {
      const r = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/members/${id}/leave`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    const raw = await app.request(`/api/vanguard/members/${mine.id}/leave`, { method: 'POST', headers: cast.signed.secretary.write, body: '{not json' });
    expect(raw.status).toBe(400);
    expect(await snapshot()).toEqual(was);
  });
});

describe('POST /api/vanguard/teams/:id/captain', () => {
  it('lets the secretary make a current member the 班长: the former captain stays on as a member, one captain, audited', async () => {
    const captain = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'captain'`, [team])).id;
    const next = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'member' AND left_at IS NULL ORDER BY id DESC LIMIT 1`, [team])).id;
    try {
      const r = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/captain`, { member: next });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: next, role: 'captain' });
      expect((await db.query('SELECT id, role FROM vanguard_members WHERE team_id = $1 AND role = \'captain\'', [team])).rows).toEqual([{ id: next, role: 'captain' }]);
      expect(await one('SELECT role, left_at FROM vanguard_members WHERE id = $1', [captain])).toEqual({ role: 'member', left_at: null });
      const detail = await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}`);
      expect(detail.body.members[0]).toMatchObject({ id: next, role: 'captain' });
      expect(detail.body.members.find((m: any) => m.id === captain)).toMatchObject({ role: 'member' });
      expect(await one<any>(`SELECT action, before, after FROM audit_log WHERE entity = 'vanguard_member' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(next)]))
        .toMatchObject({ action: 'update', before: { role: 'member' }, after: { role: 'captain', former_captain: captain } });
      expect(await one<any>(`SELECT action, before, after FROM audit_log WHERE entity = 'vanguard_member' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(captain)]))
        .toMatchObject({ action: 'update', before: { role: 'captain' }, after: { role: 'member' } });
      // already the captain: a conflict, like adding one who is already on the team
      const again = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/captain`, { member: next });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatch(/已是班长/);
      // the administrator changes it back
      expect((await call(app, cast.signed.admin, 'POST', `/api/vanguard/teams/${team}/captain`, { member: captain })).status).toBe(200);
      expect(await one(`SELECT count(*)::int AS n, min(id) AS id FROM vanguard_members WHERE team_id = $1 AND role = 'captain'`, [team])).toEqual({ n: 1, id: captain });
    } finally {
      await db.query(`UPDATE vanguard_members SET role = 'member' WHERE team_id = $1 AND role = 'captain'`, [team]);
      await db.query(`UPDATE vanguard_members SET role = 'captain' WHERE id = $1`, [captain]);
    }
  });

  it('refuses other communities, other roles, members of another team, one who left and bad input, changing nothing', async () => {
    const other = cast.users.otherSecretary.community_id!;
    const theirs = (await one<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [other])).id;
    const theirMember = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'member' ORDER BY id LIMIT 1`, [theirs])).id;
    const mine = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'member' AND left_at IS NULL ORDER BY id LIMIT 1`, [team])).id;
    const leaver = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'member' AND left_at IS NULL ORDER BY id DESC LIMIT 1`, [team])).id;
    const captain = (await one<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'captain'`, [team])).id;
    await db.query(`UPDATE vanguard_members SET left_at = now(), left_reason = '调离' WHERE id = $1`, [leaver]);
    try {
      const was = await snapshot();
      const path = `/api/vanguard/teams/${team}/captain`;
      expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${theirs}/captain`, { member: theirMember })).status).toBe(404);
      expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/teams/99999999/captain', { member: mine })).status).toBe(404);
      expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/teams/abc/captain', { member: mine })).status).toBe(400);
      for (const who of ['leader', 'subdistrict', 'grid', 'taskforceCommunity', 'member', 'deptOther'] as const) {
        expect((await call(app, cast.signed[who], 'POST', path, { member: mine })).status, who).toBe(403);
      }
      for (const [body, message] of [
        [{ member: theirMember }, /不在本尖刀班/],
        [{ member: 99999999 }, /不在本尖刀班/],
        [{ member: leaver }, /已退出尖刀班/],
        [{}, /member/],
        [{ member: 0 }, /正整数/],
        [{ member: 'x' }, /member/],
        [{ member: mine, role: 'captain' }, /role/],
      ] as const) {
        const r = await call(app, cast.signed.secretary, 'POST', path, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error, JSON.stringify(body)).toMatch(message);
      }
      const raw = await app.request(path, { method: 'POST', headers: cast.signed.secretary.write, body: '{not json' });
      expect(raw.status).toBe(400);
      expect(await snapshot()).toEqual(was);
    } finally {
      // as before, even when a refusal failed: the leaver back on the team, the captain in place
      await db.query('UPDATE vanguard_members SET left_at = NULL, left_reason = NULL WHERE id = $1', [leaver]);
      await db.query(`UPDATE vanguard_members SET role = 'member' WHERE team_id = $1 AND role = 'captain'`, [team]);
      await db.query(`UPDATE vanguard_members SET role = 'captain' WHERE id = $1`, [captain]);
    }
  });
});

describe('POST /api/vanguard/tasks/:id/withdraw', () => {
  it('lets the secretary withdraw a task with a reason: gone from the list, the figures and the map layer, its reports kept, audited', async () => {
    const grid = (await one<{ id: number }>('SELECT id FROM grids WHERE community_id = $1 ORDER BY id LIMIT 1', [home])).id;
    const member = (await one<{ id: number }>('SELECT id FROM vanguard_members WHERE team_id = $1 AND left_at IS NULL ORDER BY id LIMIT 1', [team])).id;
    let id: number | null = null;
    try {
      const made = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/teams/${team}/tasks`,
        { kind: 'party_building', title: '撤回测试任务', grid_id: grid, unit: 'steps', target: 4 });
      expect(made.status).toBe(201);
      id = made.body.id as number;
      expect(made.body).toMatchObject({ withdrawn_at: null, withdrawn_reason: null });
      const rep = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${id}/progress`, { member_id: member, done: 2, note: '已开展两次' });
      expect(rep.status).toBe(201);
      const listed = (await call(app, cast.signed.secretary, 'GET', '/api/vanguard')).body.teams[0].tasks;
      expect((await call(app, cast.signed.secretary, 'GET', `/api/vanguard/teams/${team}`)).body.tasks.map((t: any) => t.id)).toContain(id);
      // a stale version is a conflict and changes nothing
      const stale = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${id}/withdraw`, { reason: '重复安排', version: made.body.version });
      expect(stale.status).toBe(409);
      const r = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${id}/withdraw`, { reason: '重复安排', version: rep.body.version });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, withdrawn_reason: '重复安排', done: 2, version: rep.body.version + 1 });
      expect(r.body.withdrawn_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      // the team's tasks (the community map's layer draws these) and its figures leave it out
      const detail = await call(app, cast.signed.leader, 'GET', `/api/vanguard/teams/${team}`);
      expect(detail.body.tasks.map((t: any) => t.id)).not.toContain(id);
      expect(detail.body.updates.some((u: any) => u.task_id === id)).toBe(false);
      expect((await call(app, cast.signed.secretary, 'GET', '/api/vanguard')).body.teams[0].tasks).toBe(listed - 1);
      // kept, with its progress report
      expect(await one('SELECT withdrawn_reason, done FROM vanguard_tasks WHERE id = $1', [id])).toEqual({ withdrawn_reason: '重复安排', done: 2 });
      expect(await one('SELECT count(*)::int AS n FROM vanguard_task_updates WHERE task_id = $1', [id])).toEqual({ n: 1 });
      expect(await one<any>(`SELECT action, before, after FROM audit_log WHERE entity = 'vanguard_task' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(id)]))
        .toMatchObject({ action: 'revoke', before: { done: 2 }, after: { withdrawn: true, reason: '重复安排' } });
      // a withdrawn task takes no edits, reports or second withdrawal
      for (const [method, path, body] of [
        ['PATCH', `/api/vanguard/tasks/${id}`, { title: '改名' }],
        ['POST', `/api/vanguard/tasks/${id}/progress`, { member_id: member, done: 3 }],
        ['POST', `/api/vanguard/tasks/${id}/withdraw`, { reason: '再次' }],
      ] as const) {
        const x = await call(app, cast.signed.secretary, method, path, body);
        expect(x.status, path).toBe(409);
        expect(x.body.error, path).toMatch(/已撤回/);
      }
    } finally {
      if (id) await db.query('DELETE FROM vanguard_tasks WHERE id = $1', [id]);
    }
  });

  it('refuses other communities, other roles and bad input, changing nothing', async () => {
    const task = await homeTask('steps');
    const theirs = (await one<{ id: number }>(`SELECT k.id FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id
      WHERE t.community_id = $1 ORDER BY k.id LIMIT 1`, [cast.users.otherSecretary.community_id])).id;
    const path = `/api/vanguard/tasks/${task.id}/withdraw`;
    const was = await snapshot();
    expect((await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${theirs}/withdraw`, { reason: '撤回' })).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/tasks/99999999/withdraw', { reason: '撤回' })).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'POST', '/api/vanguard/tasks/abc/withdraw', { reason: '撤回' })).status).toBe(400);
    for (const who of ['leader', 'subdistrict', 'grid', 'taskforceCommunity', 'member', 'deptOther'] as const) {
      expect((await call(app, cast.signed[who], 'POST', path, { reason: '撤回' })).status, who).toBe(403);
    }
    for (const [body, message] of [
      [{}, /reason/],
      [{ reason: ' ' }, /请填写撤回原因/],
      [{ reason: 'x'.repeat(201) }, /200/],
      [{ reason: 12 }, /撤回原因应为文字/],
      [{ reason: '撤回', version: 0 }, /version|正整数/],
      [{ reason: '撤回', status: 'cancelled' }, /status/],
    ] as const) {
      const r = await call(app, cast.signed.secretary, 'POST', path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    const raw = await app.request(path, { method: 'POST', headers: cast.signed.secretary.write, body: '{not json' });
    expect(raw.status).toBe(400);
    expect(await snapshot()).toEqual(was);
  });
});
