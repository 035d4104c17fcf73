// Helpers for case tests: a cast of signed-in users around one grid, and cases brought to any
// status through the real API (never by writing rows), so each test owns the cases it uses.
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../server/src/db/index.ts';
import { createApp } from '../server/src/app.ts';
import { signIn, type Requestable, type Signed } from './auth.ts';
import { openTestDb } from './db.ts';
import type { CaseStatus } from '../contract/src/cases.ts';

export const HOME_COMMUNITY = '422801001001'; // 官坡社区
export const OTHER_COMMUNITY = '422801002001'; // 解放路社区

export type Persona =
  | 'admin' | 'leader' | 'planner' | 'taskforce' | 'taskforceCommunity' | 'subdistrict' | 'secretary' | 'grid' | 'member'
  | 'deptAssigned' | 'deptPartner' | 'deptOther' | 'otherSecretary';

export interface Cast {
  signed: Record<Persona, Signed>;
  users: Record<Persona, { id: number; role: string; subdistrict_id: number | null; community_id: number | null; grid_id: number | null; department_id: number | null; cadre_id: number | null }>;
  grid: { id: number; code: string; community_id: number; subdistrict_id: number };
  /** a point inside the grid */
  point: { lon: number; lat: number };
  /** the department cases are dispatched to (not one of the community's linked units) */
  assignedDepartment: number;
  /** two of the community's linked units (包保), whistled in tests */
  partners: [number, number];
  otherDepartment: number;
  memberCadre: number;
}

export async function castAround(app: Requestable, db: Db, ipPrefix: string): Promise<Cast> {
  // Fixture rows, loosely typed: the tests check the values.
  const one = async (sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows[0];
  const grid = await one(
    `SELECT g.id, g.code, g.community_id, cm.subdistrict_id FROM users u JOIN grids g ON g.id = u.grid_id
       JOIN communities cm ON cm.id = g.community_id
      WHERE u.role = 'grid_worker' AND cm.code = $1 ORDER BY u.username LIMIT 1`, [HOME_COMMUNITY]);
  const pt = await one('SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id = $1) x', [grid.id]);
  const units = (await db.query<{ department_id: number; code: string }>(
    `SELECT u.department_id, d.code FROM community_partner_units u JOIN departments d ON d.id = u.department_id
      WHERE u.community_id = $1 ORDER BY u.role, d.code`, [grid.community_id])).rows;
  const others = (await db.query<{ id: number; code: string }>(
    `SELECT d.id, d.code FROM departments d WHERE d.id NOT IN (SELECT department_id FROM community_partner_units WHERE community_id = $1)
      ORDER BY d.code`, [grid.community_id])).rows;
  const deptUser = (code: string) => `dept-${Number(code.slice(1))}`;
  const subdistrictCode = (await one('SELECT code FROM subdistricts WHERE id = $1', [grid.subdistrict_id])).code;
  const names: Record<Persona, string> = {
    admin: 'admin', leader: 'leader', planner: 'planner', taskforce: 'taskforce', taskforceCommunity: `taskforce-${HOME_COMMUNITY}`,
    subdistrict: `subdistrict-${subdistrictCode}`, secretary: `secretary-${HOME_COMMUNITY}`, grid: `grid-${grid.code}`,
    member: `member-${grid.code}`, deptAssigned: deptUser(others[0].code), deptPartner: deptUser(units[0].code),
    deptOther: deptUser(others[1].code), otherSecretary: `secretary-${OTHER_COMMUNITY}`,
  };
  const signed = {} as Cast['signed'];
  const users = {} as Cast['users'];
  let i = 0;
  for (const [p, username] of Object.entries(names) as [Persona, string][]) {
    signed[p] = await signIn(app, username, undefined, `${ipPrefix}.${++i}`);
    users[p] = await one('SELECT id, role, subdistrict_id, community_id, grid_id, department_id, cadre_id FROM users WHERE username = $1', [username]);
  }
  return {
    signed, users, grid, point: pt, assignedDepartment: others[0].id, partners: [units[0].department_id, units[1].department_id],
    otherDepartment: others[1].id, memberCadre: users.member.cadre_id!,
  };
}

export async function call(app: Requestable, who: Signed, method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: method === 'GET' ? who.headers : who.write,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text };
}

export async function fileCase(app: Requestable, cast: Cast, extra: Record<string, unknown> = {}, who: Persona = 'grid') {
  const r = await call(app, cast.signed[who], 'POST', '/api/cases', {
    category: 'garbage', description: '测试：楼下垃圾三天未清运', ...cast.point, ...extra,
  });
  if (r.status !== 201) throw new Error(`filing failed: ${r.status} ${r.text}`);
  return r.body as { id: number; number: string; duplicates: any[] };
}

export async function act(app: Requestable, cast: Cast, who: Persona, id: number, body: Record<string, unknown>) {
  const r = await call(app, cast.signed[who], 'POST', `/api/cases/${id}/actions`, body);
  if (r.status !== 200) throw new Error(`${body.action} as ${who} failed: ${r.status} ${r.text}`);
  return r.body;
}

/**
 * A new case (garbage, at grid level, in the cast's grid, whistled to the first linked unit)
 * brought to `status` by the people who would do it.
 */
export async function caseIn(app: Requestable, cast: Cast, status: CaseStatus): Promise<number> {
  const { id } = await fileCase(app, cast);
  await act(app, cast, 'secretary', id, { action: 'whistle', department_ids: [cast.partners[0]] });
  if (status === 'submitted') return id;
  if (status === 'rejected') return (await act(app, cast, 'grid', id, { action: 'reject', reason: '不属于受理范围' }), id);
  if (status === 'duplicate') {
    const original = await fileCase(app, cast);
    await act(app, cast, 'grid', id, { action: 'mark_duplicate', duplicate_of: original.id });
    return id;
  }
  const path: [Persona, Record<string, unknown>, CaseStatus][] = [
    ['grid', { action: 'accept' }, 'accepted'],
    ['grid', { action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment }, 'dispatched'],
    ['deptAssigned', { action: 'claim' }, 'claimed'],
    ['deptAssigned', { action: 'start' }, 'in_progress'],
    ['deptAssigned', { action: 'resolve', note: '已清运完毕' }, 'resolved'],
    ['grid', { action: 'verify' }, 'verified'],
    ['grid', { action: 'close' }, 'closed'],
  ];
  for (const [who, body, reached] of path) {
    await act(app, cast, who, id, body);
    if (reached === status) return id;
  }
  throw new Error(`no path to ${status}`);
}

/**
 * A test file's setting: the test database, the real app (behind a trusted proxy, so each caller
 * writes from its own address) and a cast around one grid, made before the file's tests and
 * closed after them. `const t = withCast('10.76.0')`, then `t.db`, `t.app`, `t.cast` in tests.
 */
export function withCast(ipPrefix: string): { readonly db: Db; readonly app: ReturnType<typeof createApp>; readonly cast: Cast } {
  const t = {} as { db: Db; app: ReturnType<typeof createApp>; cast: Cast };
  beforeAll(async () => {
    t.db = await openTestDb();
    t.app = createApp({ db: t.db, trustProxy: true });
    t.cast = await castAround(t.app, t.db, ipPrefix);
  });
  afterAll(() => t.db?.close());
  return t;
}

/** The 四方共议 steps in their order, as the test cast records them (who, and a note). */
export const DELIBERATION: [string, string, string][] = [
  ['propose', '两长四员：张楼长', '提议：楼道加装照明'],
  ['discuss', '业主委员会', '商议：同意，费用由维修基金列支'],
  ['review', '网格党支部', '审议：符合程序'],
  ['concur', '物业服务中心', '合议：物业负责施工'],
  ['decide', '四方共议', '决议：一周内完成加装'],
];

/** Records a consultation's whole deliberation (the case must be claimed) as `who`. */
export async function deliberate(app: Requestable, cast: Cast, who: Persona, id: number, steps = DELIBERATION) {
  for (const [step, by, note] of steps) {
    const r = await call(app, cast.signed[who], 'POST', `/api/cases/${id}/deliberation`, { step, by, note });
    if (r.status !== 200) throw new Error(`deliberation ${step} as ${who} failed: ${r.status} ${r.text}`);
  }
}
