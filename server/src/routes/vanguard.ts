// 红色尖刀班 (every community's vanguard team):
//   GET   /vanguard[?community=ID]          every signed-in role, for its area: one row per team
//                                           with its members, tasks and progress, by task kind
//   GET   /vanguard/teams/:id               one team: members (names for the roles that see staff
//                                           data and the administrator), tasks with their place
//                                           and progress, the latest progress reports
//   POST  /vanguard/teams/:id/tasks         the community's secretary, or the administrator: a
//                                           new task, placed in a grid of the community (audited)
//   PATCH /vanguard/tasks/:id               the community's secretary, or the administrator:
//                                           a task's title, kind or target (audited)
//   POST  /vanguard/tasks/:id/progress      a member's progress report, recorded by the
//                                           community's secretary or its task force (专班) account,
//                                           or the administrator (audited)
//   GET   /vanguard/teams/:id/candidates    the community's secretary, or the administrator: the
//                                           community's sunk cadres and 专职社工 not on the team
//   POST  /vanguard/teams/:id/members       the same: adds one of them (audited); one who left
//                                           before is taken back in on the same row
//   POST  /vanguard/members/:id/leave       the same: a member leaves, with a reason; the row
//                                           stays (progress reports name it), marked left (audited)
//   POST  /vanguard/teams/:id/captain       the same: a current member of the team becomes its 班长;
//                                           the former captain stays on as a member (audited)
//   POST  /vanguard/tasks/:id/withdraw      the same: a task is withdrawn, with a reason; it stays
//                                           with its progress reports but leaves the active list,
//                                           the figures and the map layer (audited)
// Scope is in the SQL: a team is visible when its community is the caller's area, lies in it,
// or holds the caller's grid; a team or task outside it is the same 404 as a missing one.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import {
  noParams, seesPersonalData, VANGUARD_TASK_KINDS, vanguardCaptainBody, vanguardMemberLeaveBody, vanguardNewMemberBody, vanguardNewTaskBody, vanguardWithdrawBody, vanguardProgressBody, vanguardQuery, vanguardTaskPatchBody, WORKER_POST_LABELS,
  type VanguardCandidates, type VanguardMember, type VanguardSummary, type VanguardTask, type VanguardTeamDetail, type WorkerPost,
} from '@grid-atlas/contract';
import type { Db, Queryable } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { jsonBody, pathId, validQuery } from '../http/validate.ts';
import { assertVisible, scopeParams, type User } from '../auth/scope.ts';
import { audit, auditAll, type AuditEntry } from '../audit/index.ts';

// $1–$4: the caller's scope (auth/scope.ts).
const COMMUNITY_IN_SCOPE = `($1::boolean OR c.subdistrict_id = $2::int OR c.id = $3::int
  OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $4::int))`;

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const PCT = (t: string) => `round(100.0 * ${t}.done / ${t}.target, 1)::float8`;

const TASK_COLUMNS = `k.id, k.team_id, t.community_id, k.kind, k.title, k.grid_id, g.name AS grid_name,
  ST_X(k.geom) AS lon, ST_Y(k.geom) AS lat, k.unit, k.target, k.done, ${PCT('k')} AS progress_pct,
  k.synthetic, k.version, ${iso('k.updated_at')} AS updated_at,
  CASE WHEN k.withdrawn_at IS NOT NULL THEN ${iso('k.withdrawn_at')} END AS withdrawn_at, k.withdrawn_reason`;
const TASK_FROM = `vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id JOIN grids g ON g.id = k.grid_id
  JOIN communities c ON c.id = t.community_id`;

/** Whether the caller records progress for the community's team: its secretary, its task force, the administrator. */
function reportsFor(u: User, communityId: number): boolean {
  if (u.role === 'admin') return true;
  return (u.role === 'community_secretary' || u.role === 'task_force') && u.community_id === communityId;
}

const INVALID = '请求内容无效 (invalid request): ';

/** The task edits are the community secretary's (and the administrator's), refused before the body is read. */
const taskEditors = createMiddleware<AppEnv>(async (c, next) => {
  const { role } = c.get('user');
  if (role !== 'community_secretary' && role !== 'admin') {
    throw new HTTPException(403, { message: '尖刀班任务由社区书记维护 (the community secretary edits the vanguard tasks)' });
  }
  await next();
});

/** Progress is recorded by the secretary or the task force (and the administrator), refused before the body is read. */
const progressReporters = createMiddleware<AppEnv>(async (c, next) => {
  const { role } = c.get('user');
  if (role !== 'community_secretary' && role !== 'task_force' && role !== 'admin') {
    throw new HTTPException(403, { message: '进度由本社区书记或专班代尖刀班成员填报 (progress is recorded by the community secretary or its task force)' });
  }
  await next();
});

/** The task, locked, when it is in the caller's area; 404 otherwise. */
async function holdTask(client: Queryable, u: User, id: number) {
  const row = (await client.query<{ id: number; community_id: number; team_id: number; kind: string; title: string; unit: string; target: number; done: number; version: number; withdrawn: boolean }>(
    `SELECT k.id, t.community_id, k.team_id, k.kind, k.title, k.unit, k.target, k.done, k.version, k.withdrawn_at IS NOT NULL AS withdrawn
       FROM ${TASK_FROM} WHERE k.id = $5 AND ${COMMUNITY_IN_SCOPE} FOR UPDATE OF k`, [...scopeParams(u), id])).rows[0];
  if (!row) throw notFound(`没有这项尖刀班任务 (no vanguard task with id ${id})`);
  return row;
}

const conflict = (version: number) =>
  new HTTPException(409, { message: `此任务已被他人更新（当前版本 ${version}），请刷新后再改 (changed by someone else: now version ${version})` });

const withdrawn = () => new HTTPException(409, { message: '此任务已撤回，不能再修改或填报 (the task was withdrawn)' });

/** A task still open to changes: 409 once withdrawn, or when the change was made on an older version. */
function stillOpen(task: { withdrawn: boolean; version: number }, version: number | undefined): void {
  if (task.withdrawn) throw withdrawn();
  if (version !== undefined && version !== task.version) throw conflict(task.version);
}

/** The task held for an edit or a withdrawal by its community's secretary (the administrator: any
 *  task); 404 for another community's, then as stillOpen. The edit and the withdrawal checked this alike. */
async function holdTaskToEdit(client: Queryable, u: User, id: number, version: number | undefined) {
  const task = await holdTask(client, u, id);
  if (u.role !== 'admin' && task.community_id !== u.community_id) throw notFound(`没有这项尖刀班任务 (no vanguard task with id ${id})`);
  stillOpen(task, version);
  return task;
}

/** The team, when it is the secretary's own community's (the administrator: any); 404 otherwise. */
async function ownTeam(q: Queryable, u: User, id: number): Promise<{ community_id: number }> {
  const team = (await q.query<{ community_id: number }>(
    `SELECT t.community_id FROM vanguard_teams t WHERE t.id = $1 AND ($2::int IS NULL OR t.community_id = $2::int)`,
    [id, u.role === 'admin' ? null : u.community_id])).rows[0];
  if (!team) throw notFound(`没有这个红色尖刀班，或不在您的社区 (no vanguard team with id ${id} in your community)`);
  return team;
}

const MEMBER_COLUMNS = `m.id, CASE WHEN m.cadre_id IS NOT NULL THEN 'sunk_cadre' ELSE 'community_worker' END AS source, m.role,
  CASE WHEN $2::boolean THEN coalesce(cd.name, w.name) END AS name, coalesce(cd.work_unit, '') AS unit, w.post, m.synthetic`;
const MEMBER_FROM = `vanguard_members m LEFT JOIN cadres cd ON cd.id = m.cadre_id LEFT JOIN community_workers w ON w.id = m.worker_id`;
const withPost = <M extends { post: string | null; unit: string }>({ post, ...m }: M) =>
  ({ ...m, unit: post ? WORKER_POST_LABELS[post as WorkerPost] : m.unit });

async function readTask(q: Queryable, id: number): Promise<VanguardTask> {
  return (await q.query<VanguardTask>(`SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE k.id = $1`, [id])).rows[0];
}

export function vanguardRoutes(db: Db) {
  return new Hono<AppEnv>()
    .get('/vanguard', validQuery(vanguardQuery), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      await assertVisible(db, u, 'community', q.community);
      const { rows } = await db.query<Omit<VanguardSummary['teams'][number], 'by_kind'> & { kinds: { kind: string; tasks: number; done_tasks: number; progress_pct: number | null }[] | null }>(
        `SELECT t.id AS team_id, t.name, c.id AS community_id, c.name AS community_name, s.name AS subdistrict_name, t.synthetic,
                (SELECT count(*)::int FROM vanguard_members m WHERE m.team_id = t.id AND m.left_at IS NULL) AS members,
                (SELECT count(*)::int FROM vanguard_tasks k WHERE k.team_id = t.id AND k.withdrawn_at IS NULL) AS tasks,
                (SELECT count(*)::int FROM vanguard_tasks k WHERE k.team_id = t.id AND k.withdrawn_at IS NULL AND k.done = k.target) AS done_tasks,
                (SELECT round(avg(100.0 * k.done / k.target), 1)::float8 FROM vanguard_tasks k WHERE k.team_id = t.id AND k.withdrawn_at IS NULL) AS progress_pct,
                (SELECT json_agg(json_build_object('kind', x.kind, 'tasks', x.tasks, 'done_tasks', x.done_tasks, 'progress_pct', x.pct))
                   FROM (SELECT k.kind, count(*)::int AS tasks, count(*) FILTER (WHERE k.done = k.target)::int AS done_tasks,
                                round(avg(100.0 * k.done / k.target), 1)::float8 AS pct
                           FROM vanguard_tasks k WHERE k.team_id = t.id AND k.withdrawn_at IS NULL GROUP BY k.kind) x) AS kinds
           FROM vanguard_teams t JOIN communities c ON c.id = t.community_id JOIN subdistricts s ON s.id = c.subdistrict_id
          WHERE ${COMMUNITY_IN_SCOPE} AND ($5::int IS NULL OR c.id = $5::int)
          ORDER BY c.code`, [...scopeParams(u), q.community ?? null]);
      const teams = rows.map(({ kinds, ...r }) => ({
        ...r,
        by_kind: Object.fromEntries(VANGUARD_TASK_KINDS.map((k) => {
          const f = kinds?.find((x) => x.kind === k);
          return [k, { tasks: f?.tasks ?? 0, done_tasks: f?.done_tasks ?? 0, progress_pct: f?.progress_pct ?? null }];
        })) as VanguardSummary['teams'][number]['by_kind'],
      }));
      const total = (await db.query<VanguardSummary['total']>(
        `SELECT count(DISTINCT t.id)::int AS teams,
                (SELECT count(*)::int FROM vanguard_members m JOIN vanguard_teams t2 ON t2.id = m.team_id
                   JOIN communities c ON c.id = t2.community_id WHERE m.left_at IS NULL AND ${COMMUNITY_IN_SCOPE} AND ($5::int IS NULL OR c.id = $5::int)) AS members,
                count(k.id)::int AS tasks, count(k.id) FILTER (WHERE k.done = k.target)::int AS done_tasks,
                round(avg(100.0 * k.done / k.target), 1)::float8 AS progress_pct
           FROM vanguard_teams t JOIN communities c ON c.id = t.community_id LEFT JOIN vanguard_tasks k ON k.team_id = t.id AND k.withdrawn_at IS NULL
          WHERE ${COMMUNITY_IN_SCOPE} AND ($5::int IS NULL OR c.id = $5::int)`, [...scopeParams(u), q.community ?? null])).rows[0];
      return c.json<VanguardSummary>({ total, teams });
    })
    .get('/vanguard/teams/:id', validQuery(noParams), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const team = (await db.query<VanguardTeamDetail['team']>(
        `SELECT t.id, t.name, c.id AS community_id, c.name AS community_name, t.synthetic
           FROM vanguard_teams t JOIN communities c ON c.id = t.community_id
          WHERE t.id = $5 AND ${COMMUNITY_IN_SCOPE}`, [...scopeParams(u), id])).rows[0];
      if (!team) throw notFound(`没有这个红色尖刀班 (no vanguard team with id ${id})`);
      // Staff names, like the community workers' roster: the roles that see personal data (in
      // their own area, which the team is) and the administrator.
      const names = u.role === 'admin' || seesPersonalData(u.role);
      const members = (await db.query<VanguardTeamDetail['members'][number] & { post: string | null }>(
        `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_FROM}
          WHERE m.team_id = $1 AND m.left_at IS NULL ORDER BY m.role = 'captain' DESC, m.cadre_id IS NULL, m.id`, [id, names])).rows.map(withPost);
      const former_members = (await db.query<VanguardTeamDetail['former_members'][number] & { post: string | null }>(
        `SELECT ${MEMBER_COLUMNS}, ${iso('m.left_at')} AS left_at, m.left_reason FROM ${MEMBER_FROM}
          WHERE m.team_id = $1 AND m.left_at IS NOT NULL ORDER BY m.left_at DESC, m.id`, [id, names])).rows.map(withPost);
      const tasks = (await db.query<VanguardTask>(
        `SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE k.team_id = $1 AND k.withdrawn_at IS NULL ORDER BY array_position($2::text[], k.kind), k.id`,
        [id, [...VANGUARD_TASK_KINDS]])).rows;
      const updates = (await db.query<VanguardTeamDetail['updates'][number]>(
        `SELECT x.id, x.task_id, x.member_id, x.done_before, x.done_after, x.note, x.actor, ${iso('x.at')} AS at
           FROM vanguard_task_updates x JOIN vanguard_tasks k ON k.id = x.task_id
          WHERE k.team_id = $1 AND k.withdrawn_at IS NULL ORDER BY x.id DESC LIMIT 50`, [id])).rows;
      return c.json<VanguardTeamDetail>({ team, members, former_members, tasks, updates, can_edit: reportsFor(u, team.community_id) });
    })
    .post('/vanguard/teams/:id/tasks', taskEditors, jsonBody(vanguardNewTaskBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const task = await db.withTransaction(async (client) => {
        const team = await ownTeam(client, u, id);
        // The grid must be the community's; the point, when given, must lie in it.
        const place = (await client.query<{ inside: boolean | null }>(
          `SELECT CASE WHEN $3::float8 IS NULL THEN NULL
                       ELSE ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint($3::float8, $4::float8), 4326)) END AS inside
             FROM grids g WHERE g.id = $1 AND g.community_id = $2`, [b.grid_id, team.community_id, b.lon ?? null, b.lat ?? null])).rows[0];
        if (!place) throw badRequest(`网格 ${b.grid_id} 不属于本社区 (grid ${b.grid_id} is not in this community)`);
        if (place.inside === false) throw badRequest('位置不在所选网格内 (the point is not inside the chosen grid)');
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO vanguard_tasks (team_id, kind, title, grid_id, geom, unit, target, synthetic)
           SELECT $1, $2, $3, g.id,
                  CASE WHEN $4::float8 IS NULL THEN ST_PointOnSurface(g.geom) ELSE ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326) END,
                  $6, $7, false
             FROM grids g WHERE g.id = $8 RETURNING id`,
          [id, b.kind, b.title, b.lon ?? null, b.lat ?? null, b.unit, b.unit === 'percent' ? 100 : b.target, b.grid_id]);
        const taskId = rows[0].id;
        await audit(client, { userId: u.id, actor: u.username, action: 'create', entity: 'vanguard_task', entityId: taskId, after: b });
        return readTask(client, taskId);
      });
      return c.json<VanguardTask, 201>(task, 201);
    })
    .patch('/vanguard/tasks/:id', taskEditors, jsonBody(vanguardTaskPatchBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const task = await db.withTransaction(async (client) => {
        const before = await holdTaskToEdit(client, u, id, b.version);
        if (b.target !== undefined && before.unit === 'percent' && b.target !== 100) {
          throw badRequest('按百分比计的任务目标固定为 100 (a task counted in percent has a target of 100)');
        }
        if (b.target !== undefined && b.target < before.done) {
          throw badRequest(`目标不能少于已完成的 ${before.done} 步 (the target cannot be below the ${before.done} steps done)`);
        }
        await client.query(
          `UPDATE vanguard_tasks SET title = coalesce($2, title), kind = coalesce($3, kind), target = coalesce($4::int, target),
                  version = version + 1, updated_at = now() WHERE id = $1`,
          [id, b.title ?? null, b.kind ?? null, b.target ?? null]);
        const { version: _v, ...after } = b;
        await audit(client, { userId: u.id, actor: u.username, action: 'update', entity: 'vanguard_task', entityId: id,
          before: { title: before.title, kind: before.kind, target: before.target }, after });
        return readTask(client, id);
      });
      return c.json<VanguardTask>(task);
    })
    .post('/vanguard/tasks/:id/progress', progressReporters, jsonBody(vanguardProgressBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const task = await db.withTransaction(async (client) => {
        const before = await holdTask(client, u, id);
        if (!reportsFor(u, before.community_id)) {
          if (u.role === 'community_secretary') throw notFound(`没有这项尖刀班任务 (no vanguard task with id ${id})`);
          throw new HTTPException(403, { message: '只有本社区的专班可以填报进度 (only the community\'s own task force records progress)' });
        }
        stillOpen(before, b.version);
        const member = (await client.query('SELECT 1 FROM vanguard_members WHERE id = $1 AND team_id = $2 AND left_at IS NULL', [b.member_id, before.team_id])).rowCount;
        if (!member) throw badRequest(`成员 ${b.member_id} 不在本尖刀班 (member ${b.member_id} is not on this team)`);
        if (b.done > before.target) {
          throw badRequest(`进度不能超过目标 ${before.target}${before.unit === 'percent' ? '%' : ' 步'} (done cannot exceed the target, ${before.target})`);
        }
        await client.query('UPDATE vanguard_tasks SET done = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, b.done]);
        await client.query(
          `INSERT INTO vanguard_task_updates (task_id, member_id, done_before, done_after, note, user_id, actor)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`, [id, b.member_id, before.done, b.done, b.note, u.id, u.display_name]);
        await audit(client, { userId: u.id, actor: u.username, action: 'update', entity: 'vanguard_task', entityId: id,
          before: { done: before.done }, after: { done: b.done, member_id: b.member_id, note: b.note } });
        return readTask(client, id);
      });
      return c.json<VanguardTask, 201>(task, 201);
    })
    .get('/vanguard/teams/:id/candidates', taskEditors, validQuery(noParams), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const team = await ownTeam(db, u, id);
      const { rows } = await db.query<VanguardCandidates['candidates'][number] & { post: string | null }>(
        `SELECT 'sunk_cadre' AS source, cd.id, cd.name, cd.work_unit AS unit, NULL AS post,
                EXISTS (SELECT 1 FROM vanguard_members m WHERE m.team_id = $1 AND m.cadre_id = cd.id) AS former
           FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id
          WHERE cd.kind = 'sunk' AND b.community_id = $2
            AND NOT EXISTS (SELECT 1 FROM vanguard_members m WHERE m.team_id = $1 AND m.cadre_id = cd.id AND m.left_at IS NULL)
         UNION ALL
         SELECT 'community_worker', w.id, w.name, '', w.post,
                EXISTS (SELECT 1 FROM vanguard_members m WHERE m.team_id = $1 AND m.worker_id = w.id)
           FROM community_workers w
          WHERE w.community_id = $2 AND w.post = 'social_worker' AND w.active
            AND NOT EXISTS (SELECT 1 FROM vanguard_members m WHERE m.team_id = $1 AND m.worker_id = w.id AND m.left_at IS NULL)
          ORDER BY 1 DESC, 2`, [id, team.community_id]);
      return c.json<VanguardCandidates>({ candidates: rows.map(withPost) });
    })
    .post('/vanguard/teams/:id/members', taskEditors, jsonBody(vanguardNewMemberBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const member = await db.withTransaction(async (client) => {
        const team = await ownTeam(client, u, id);
        // Only the community's own sunk cadres and active 专职社工 may join.
        const eligible = b.source === 'sunk_cadre'
          ? (await client.query(`SELECT 1 FROM cadres cd JOIN area_branches br ON br.id = cd.branch_id
                                  WHERE cd.id = $1 AND cd.kind = 'sunk' AND br.community_id = $2`, [b.id, team.community_id])).rowCount
          : (await client.query(`SELECT 1 FROM community_workers w WHERE w.id = $1 AND w.community_id = $2 AND w.post = 'social_worker' AND w.active`,
            [b.id, team.community_id])).rowCount;
        if (!eligible) {
          throw badRequest(b.source === 'sunk_cadre'
            ? `干部 ${b.id} 不是本社区的下沉干部 (cadre ${b.id} is not a sunk cadre of this community)`
            : `社区工作者 ${b.id} 不是本社区在岗的专职社工 (worker ${b.id} is not an active social worker of this community)`);
        }
        const col = b.source === 'sunk_cadre' ? 'cadre_id' : 'worker_id';
        // One who left before is taken back in on the same row (their reports name it).
        const { rows } = await client.query<{ id: number; readmitted: boolean }>(
          `INSERT INTO vanguard_members (team_id, ${col}, role, synthetic) VALUES ($1, $2, 'member', false)
           ON CONFLICT (team_id, ${col}) DO UPDATE SET left_at = NULL, left_reason = NULL WHERE vanguard_members.left_at IS NOT NULL
           RETURNING id, (xmax::text <> '0') AS readmitted`, [id, b.id]);
        if (!rows[0]) throw new HTTPException(409, { message: '此人已在本尖刀班 (already a member of this team)' });
        await audit(client, { userId: u.id, actor: u.username, action: 'create', entity: 'vanguard_member', entityId: rows[0].id,
          after: { team_id: id, ...b, readmitted: rows[0].readmitted } });
        return (await client.query<VanguardMember & { post: string | null }>(
          `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_FROM} WHERE m.id = $1`, [rows[0].id, true])).rows.map(withPost)[0];
      });
      return c.json<VanguardMember, 201>(member, 201);
    })
    .post('/vanguard/members/:id/leave', taskEditors, jsonBody(vanguardMemberLeaveBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      await db.withTransaction(async (client) => {
        const m = (await client.query<{ role: string; left: boolean }>(
          `SELECT m.role, m.left_at IS NOT NULL AS left FROM vanguard_members m JOIN vanguard_teams t ON t.id = m.team_id
            WHERE m.id = $1 AND ($2::int IS NULL OR t.community_id = $2::int) FOR UPDATE OF m`,
          [id, u.role === 'admin' ? null : u.community_id])).rows[0];
        if (!m) throw notFound(`没有这名尖刀班成员，或不在您的社区 (no vanguard member with id ${id} in your community)`);
        if (m.left) throw new HTTPException(409, { message: '此成员已退出尖刀班 (the member has already left)' });
        if (m.role === 'captain') throw badRequest('班长不能移出尖刀班 (the captain cannot be removed)');
        await client.query('UPDATE vanguard_members SET left_at = now(), left_reason = $2 WHERE id = $1', [id, b.reason]);
        await audit(client, { userId: u.id, actor: u.username, action: 'disable', entity: 'vanguard_member', entityId: id,
          before: { left: false }, after: { left: true, reason: b.reason } });
      });
      return c.json({ ok: true as const });
    })
    .post('/vanguard/teams/:id/captain', taskEditors, jsonBody(vanguardCaptainBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const captain = await db.withTransaction(async (client) => {
        // The team, locked, when it is the secretary's own community's (the administrator: any):
        // two changes of captain of one team take turns.
        const team = (await client.query<{ id: number }>(
          `SELECT t.id FROM vanguard_teams t WHERE t.id = $1 AND ($2::int IS NULL OR t.community_id = $2::int) FOR UPDATE OF t`,
          [id, u.role === 'admin' ? null : u.community_id])).rows[0];
        if (!team) throw notFound(`没有这个红色尖刀班，或不在您的社区 (no vanguard team with id ${id} in your community)`);
        const m = (await client.query<{ role: string; left: boolean }>(
          'SELECT m.role, m.left_at IS NOT NULL AS left FROM vanguard_members m WHERE m.id = $1 AND m.team_id = $2 FOR UPDATE OF m',
          [b.member, id])).rows[0];
        if (!m) throw badRequest(`成员 ${b.member} 不在本尖刀班 (member ${b.member} is not on this team)`);
        if (m.left) throw badRequest(`成员 ${b.member} 已退出尖刀班，不能任班长 (member ${b.member} has left the team)`);
        if (m.role === 'captain') throw new HTTPException(409, { message: '此成员已是班长 (already the captain of this team)' });
        // The old captain steps down first: one captain a team (a partial unique index holds it).
        const old = (await client.query<{ id: number }>(
          `UPDATE vanguard_members SET role = 'member' WHERE team_id = $1 AND role = 'captain' RETURNING id`, [id])).rows[0];
        await client.query(`UPDATE vanguard_members SET role = 'captain' WHERE id = $1`, [b.member]);
        const entries: AuditEntry[] = [{ userId: u.id, actor: u.username, action: 'update', entity: 'vanguard_member', entityId: b.member,
          before: { role: 'member' }, after: { role: 'captain', team_id: id, former_captain: old?.id ?? null } }];
        if (old) entries.push({ userId: u.id, actor: u.username, action: 'update', entity: 'vanguard_member', entityId: old.id,
          before: { role: 'captain' }, after: { role: 'member', team_id: id } });
        await auditAll(client, entries);
        return (await client.query<VanguardMember & { post: string | null }>(
          `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_FROM} WHERE m.id = $1`, [b.member, true])).rows.map(withPost)[0];
      });
      return c.json<VanguardMember>(captain);
    })
    .post('/vanguard/tasks/:id/withdraw', taskEditors, jsonBody(vanguardWithdrawBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const task = await db.withTransaction(async (client) => {
        const before = await holdTaskToEdit(client, u, id, b.version);
        await client.query(
          `UPDATE vanguard_tasks SET withdrawn_at = now(), withdrawn_reason = $2, version = version + 1, updated_at = now() WHERE id = $1`,
          [id, b.reason]);
        await audit(client, { userId: u.id, actor: u.username, action: 'revoke', entity: 'vanguard_task', entityId: id,
          before: { title: before.title, done: before.done, target: before.target }, after: { withdrawn: true, reason: b.reason } });
        return readTask(client, id);
      });
      return c.json<VanguardTask>(task);
    });
}
