// The scope module against the rules it replaced. Until the rules were gathered here, each
// domain wrote its own: the LEGACY_* functions below are those rules, copied unchanged, as the
// reference. For accounts of each of the nine roles (the task force both city-wide and with a
// community) every scoped query — grids, households, communities, plans, cases, needs, case
// events, KPIs — must return exactly the rows the old rules returned; for accounts the users
// table's CHECK would refuse (a stray scope column), the new rules may return fewer, never more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areaColumnOf, ROLES, seesPersonalData, type Role } from '@grid-atlas/contract';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import type { Db, DbClient } from '../db/index.ts';
import {
  caseInScope, caseScopeParams, communityInScope, eventScope, eventScopeParams, eventScopeSql, inScope, kpiScopeSql, needInScope,
  needScopeParams, scopeParams, filesOnlyInOwnArea, reporterKindOf, type User,
} from './scope.ts';

// ---- the old rules, verbatim ----
function LEGACY_scopeParams(u: User) {
  const city = u.subdistrict_id == null && u.community_id == null && u.grid_id == null;
  return [city, u.subdistrict_id, u.community_id, u.grid_id];
}
function LEGACY_seesAll(u: User): boolean {
  return u.role === 'admin' || u.role === 'city_leader' || u.role === 'planner' || (u.role === 'task_force' && u.community_id === null);
}
function LEGACY_caseScopeParams(u: User) {
  const area = u.role === 'department_staff' ? null : u;
  return [LEGACY_seesAll(u), area?.subdistrict_id ?? null, area?.community_id ?? null, area?.grid_id ?? null,
    u.role === 'department_staff' ? u.department_id : null, u.role === 'party_member' ? (u.cadre_id ?? null) : null, u.id];
}
function LEGACY_needScopeParams(u: User) {
  const member = u.role === 'party_member';
  const area = u.role === 'department_staff' || member ? null : u;
  return [LEGACY_seesAll(u), area?.subdistrict_id ?? null, area?.community_id ?? null, area?.grid_id ?? null,
    u.role === 'department_staff' ? u.department_id : null, member ? u.grid_id : null, u.id];
}
function LEGACY_eventScopeParams(u: User) {
  const [city, subdistrict, community, grid] = LEGACY_scopeParams(u);
  const department = u.role === 'department_staff' ? u.department_id : null;
  if (u.role === 'party_member') return [false, null, null, u.grid_id, department];
  if (u.role === 'task_force' && u.community_id !== null) return [false, null, u.community_id, null, department];
  return [city, subdistrict, community, grid, department];
}
function LEGACY_filesOnlyInOwnArea(u: User): boolean {
  return ['subdistrict_admin', 'community_secretary', 'grid_worker', 'party_member'].includes(u.role) || (u.role === 'task_force' && u.community_id !== null);
}
const LEGACY_REPORTER: Record<Role, string | null> = {
  grid_worker: 'grid_worker', party_member: 'party_member', department_staff: 'department', community_secretary: 'secretary',
  admin: 'resident', subdistrict_admin: 'resident', task_force: 'resident', city_leader: null, planner: null,
};
const LEGACY_CASE_SQL = (p: number) => `($${p}::boolean OR c.subdistrict_id = $${p + 1}::int OR c.community_id = $${p + 2}::int
    OR c.grid_id = $${p + 3}::int OR c.assigned_grid_id = $${p + 3}::int
    OR c.assigned_department_id = $${p + 4}::int
    OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = c.id AND w.department_id = $${p + 4}::int)
    OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.department_id = $${p + 4}::int)
    OR c.assigned_cadre_id = $${p + 5}::int OR c.reporter_user_id = $${p + 6}::int)`;
const LEGACY_NEED_SQL = (p: number) => `($${p}::boolean OR n.subdistrict_id = $${p + 1}::int OR n.community_id = $${p + 2}::int
    OR n.grid_id = $${p + 3}::int OR n.department_id = $${p + 4}::int
    OR n.grid_id IN (SELECT b.grid_id FROM area_branch_grids a JOIN area_branch_grids b ON b.branch_id = a.branch_id
                     WHERE a.grid_id = $${p + 5}::int)
    OR n.claimed_by = $${p + 6}::int OR n.created_by = $${p + 6}::int)`;
const LEGACY_AREA_SQL = (p: number, s: string, c: string, g: string) =>
  `($${p}::boolean OR ${s} = $${p + 1}::int OR ${c} = $${p + 2}::int OR ${g} = $${p + 3}::int)`;
const LEGACY_KPI_SQL = (p: number) => `${LEGACY_AREA_SQL(p, 'c.subdistrict_id', 'c.community_id', 'c.grid_id')}
      AND ($${p + 4}::int IS NULL OR c.assigned_department_id = $${p + 4}::int)`;
const LEGACY_EVENT_SQL = (p: number) => `${LEGACY_AREA_SQL(p, 'e.subdistrict_id', 'e.community_id', 'e.grid_id')}
      AND ($${p + 4}::int IS NULL OR e.department_id = $${p + 4}::int
           OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = e.case_id AND w.department_id = $${p + 4}::int))`;

// ---- the scoped queries, each as (its WHERE clause, its parameters) old and new ----
interface Domain { name: string; from: string; old: (u: User, p: number) => [string, unknown[]]; now: (u: User, p: number) => [string, unknown[]] }
const DOMAINS: Domain[] = [
  { name: 'grids', from: 'grids g JOIN communities c ON c.id = g.community_id',
    old: (u, p) => [LEGACY_AREA_SQL(p, 'c.subdistrict_id', 'c.id', 'g.id'), LEGACY_scopeParams(u)],
    now: (u, p) => [inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' }), scopeParams(u)] },
  { name: 'households', from: 'households h LEFT JOIN grids g ON g.id = h.grid_id LEFT JOIN communities c ON c.id = g.community_id',
    old: (u, p) => [LEGACY_AREA_SQL(p, 'c.subdistrict_id', 'c.id', 'g.id'), LEGACY_scopeParams(u)],
    now: (u, p) => [inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' }), scopeParams(u)] },
  { name: 'communities', from: 'communities c',
    old: (u, p) => [LEGACY_AREA_SQL(p, 'c.subdistrict_id', 'c.id', 'NULL'), LEGACY_scopeParams(u)],
    now: (u, p) => [communityInScope(p), scopeParams(u)] },
  { name: 'plans', from: 'plans p JOIN communities c ON c.id = p.community_id',
    old: (u, p) => [LEGACY_AREA_SQL(p, 'c.subdistrict_id', 'c.id', 'NULL'), LEGACY_scopeParams(u)],
    now: (u, p) => [communityInScope(p), scopeParams(u)] },
  { name: 'cases', from: 'cases c', old: (u, p) => [LEGACY_CASE_SQL(p), LEGACY_caseScopeParams(u)], now: (u, p) => [caseInScope(p), caseScopeParams(u)] },
  { name: 'needs', from: 'needs n', old: (u, p) => [LEGACY_NEED_SQL(p), LEGACY_needScopeParams(u)], now: (u, p) => [needInScope(p), needScopeParams(u)] },
  { name: 'events', from: 'case_events e',
    old: (u, p) => [LEGACY_EVENT_SQL(p), LEGACY_eventScopeParams(u)], now: (u, p) => [eventScopeSql(p), eventScopeParams(eventScope(u))] },
  { name: 'KPI cases', from: 'cases c',
    old: (u, p) => [LEGACY_KPI_SQL(p), LEGACY_eventScopeParams(u)], now: (u, p) => [kpiScopeSql(p), eventScopeParams(eventScope(u))] },
];

let db: Db;
/** The transaction every fixture and comparison runs in; rolled back, so nothing is left behind. */
let tx: DbClient;
/** Up to two accounts of each role; the task force both city-wide and with a community. */
let users: User[] = [];
type Counts = { wider: number; narrower: number; before: number };
/** Per domain, per account, the comparison's counts. */
const results = new Map<string, { user: User; counts: Counts }[]>();
/** Per domain, per malformed account, how many rows the new rules show that the old did not. */
const oddResults: { what: string; wider: number }[] = [];
const ROLLBACK = new Error('roll back the fixtures');

beforeAll(async () => {
  db = await openTestDb();
  const { rows } = await db.query<User>(
    `SELECT id, username, display_name, role, subdistrict_id, community_id, grid_id, department_id, cadre_id
       FROM (SELECT u.*, row_number() OVER (PARTITION BY role, community_id IS NULL ORDER BY id) AS k FROM users u WHERE active) x
      WHERE k <= 2 ORDER BY role, id`);
  users = rows;
  // The fixtures would reach other test files' accounts (a case filed by a secretary, a need
  // dispatched to a unit) on a shared PostgreSQL database: everything runs in one transaction
  // that is rolled back at the end.
  await db.withTransaction(async (client) => {
    tx = client;
    await fixtures();
    for (const d of DOMAINS) {
      const list = [];
      for (const u of users) list.push({ user: u, counts: await compare(d, u) });
      results.set(d.name, list);
    }
    for (const u of await malformed()) {
      for (const d of DOMAINS) oddResults.push({ what: `${d.name} of a ${u.role} ${JSON.stringify(scopeParams(u))}`, wider: (await compare(d, u)).wider });
    }
    throw ROLLBACK;
  }).catch((e) => {
    if (e !== ROLLBACK) throw e;
  });
});

/** Accounts the users table's CHECK refuses: a stray subdistrict, community or department column, or none at all, for every role. */
async function malformed(): Promise<User[]> {
  const grid = users.find((u) => u.role === 'grid_worker')!;
  const { rows: [g] } = await tx.query<{ community_id: number; subdistrict_id: number }>(
    'SELECT g.community_id, c.subdistrict_id FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.id = $1', [grid.grid_id]);
  const dept = users.find((u) => u.role === 'department_staff')!;
  return ROLES.flatMap((role) => [
    { ...grid, role, department_id: null, cadre_id: null, subdistrict_id: g.subdistrict_id },
    { ...grid, role, department_id: null, cadre_id: null, community_id: g.community_id, grid_id: null },
    { ...grid, role, department_id: dept.department_id, cadre_id: null, grid_id: null },
    { ...grid, role, department_id: null, cadre_id: null, grid_id: null },
  ]);
}

/**
 * Rows each link of the rules reaches: cases and needs in the grid worker's grid, in the party
 * member's grid and in another subdistrict; one assigned to the department staff's unit, one
 * whistled to it, one dispatched to the party member, one filed by and one claimed by a
 * secretary; each case with its events; a plan in the secretary's community and in another.
 */
async function fixtures() {
  const pick = (role: Role, community: 'with' | 'any' = 'any') =>
    users.find((u) => u.role === role && (community === 'any' || u.community_id !== null))!;
  const grid = pick('grid_worker').grid_id!;
  const member = pick('party_member');
  const secretary = pick('community_secretary');
  const one = async (sql: string, p: unknown[]) => (await tx.query<Record<string, any>>(sql, p)).rows[0];
  // insertCase writes through a Db; this one writes inside the transaction.
  const txDb = { query: tx.query.bind(tx), withTransaction: (fn: (c: DbClient) => Promise<unknown>) => fn(tx) } as unknown as Db;
  // A department staff's unit and a grid of a community it is a partner of (a case may be
  // whistled to a partner unit only), in another subdistrict than the grid worker's if it can.
  const { dept, far } = await one(
    `SELECT u.department_id AS dept, g.id AS far FROM users u
       JOIN community_partner_units p ON p.department_id = u.department_id
       JOIN communities c ON c.id = p.community_id JOIN grids g ON g.community_id = c.id
      WHERE u.id = ANY ($2::int[])
      ORDER BY c.subdistrict_id = (SELECT c2.subdistrict_id FROM grids g2 JOIN communities c2 ON c2.id = g2.community_id WHERE g2.id = $1), u.id, g.id
      LIMIT 1`, [grid, users.filter((u) => u.role === 'department_staff').map((u) => u.id)]) as { dept: number; far: number };
  const at = new Date('2026-03-01T08:00:00Z');
  const events = [{ action: 'submit', at, to: 'submitted' }, { action: 'accept', at, from: 'submitted', to: 'accepted' }];
  const made = [];
  for (const [g, d] of [[grid, null], [grid, dept], [member.grid_id!, null], [far, null], [far, dept], [far, null], [far, null]] as const) {
    made.push((await insertCase(txDb, { grid_id: g, status: 'accepted', created_at: at, assigned_department_id: d, events })).id);
  }
  await tx.query('INSERT INTO case_whistles (case_id, department_id, case_created_at) VALUES ($1, $2, $3)', [made[5], dept, at]);
  await tx.query('UPDATE cases SET assigned_cadre_id = $2 WHERE id = $1', [made[6], member.cadre_id]);
  await tx.query('UPDATE cases SET reporter_user_id = $2 WHERE id = $1', [made[3], secretary.id]);
  const need = async (g: number, extra: string, p: unknown[] = []) => tx.query(
    `INSERT INTO needs (title, category_code, geom, grid_id, community_id, subdistrict_id${extra ? `, ${extra}` : ''})
     SELECT '测试需求', 'elderly_care', ST_PointOnSurface(g.geom), g.id, g.community_id, cm.subdistrict_id${p.map((_, i) => `, $${i + 2}`).join('')}
       FROM grids g JOIN communities cm ON cm.id = g.community_id WHERE g.id = $1`, [g, ...p]);
  await need(grid, '');
  await need(member.grid_id!, '');
  await need(far, '');
  await need(far, 'department_id', [dept]);
  await need(far, 'created_by', [secretary.id]);
  for (const community of [secretary.community_id, (await one('SELECT community_id FROM grids WHERE id = $1', [far])).community_id]) {
    await tx.query(`INSERT INTO plans (community_id, author, base_version) SELECT id, '测试', layout_version FROM communities WHERE id = $1`, [community]);
  }
}
afterAll(async () => {
  await db?.close();
});

/**
 * One scan of the domain's rows: how many the new rules show that the old did not, how many the
 * old showed that the new do not, and how many the old showed. A clause that is NULL for a row
 * (a comparison with a NULL parameter) does not show it.
 */
async function compare(d: Domain, u: User): Promise<Counts> {
  const [now, nowParams] = d.now(u, 1);
  const [old, oldParams] = d.old(u, nowParams.length + 1);
  const { rows } = await tx.query<Counts>(
    `SELECT count(*) FILTER (WHERE coalesce(${now}, false) AND NOT coalesce(${old}, false))::int AS wider,
            count(*) FILTER (WHERE coalesce(${old}, false) AND NOT coalesce(${now}, false))::int AS narrower,
            count(*) FILTER (WHERE coalesce(${old}, false))::int AS before
       FROM ${d.from}`, [...nowParams, ...oldParams]);
  return rows[0];
}

describe('the scope module', () => {
  it('is tried on accounts of all nine roles, each holding only the scope column its rule names', () => {
    expect([...new Set(users.map((u) => u.role))].sort()).toEqual([...ROLES].sort());
    expect(users.some((u) => u.role === 'task_force' && u.community_id !== null)).toBe(true);
    expect(users.some((u) => u.role === 'task_force' && u.community_id === null)).toBe(true);
    for (const u of users) {
      const held = (['subdistrict', 'community', 'grid'] as const).filter((k) => u[`${k}_id`] !== null);
      expect(held.every((k) => k === areaColumnOf(u.role)), u.username).toBe(true);
      expect(u.department_id !== null, u.username).toBe(u.role === 'department_staff');
    }
  });

  it('files, and bounds filing, as before for every account', () => {
    for (const u of users) {
      expect(reporterKindOf(u), u.username).toBe(LEGACY_REPORTER[u.role]);
      expect(filesOnlyInOwnArea(u), u.username).toBe(LEGACY_filesOnlyInOwnArea(u));
      expect(eventScope(u).personal, u.username).toBe(seesPersonalData(u.role));
    }
  });

  it.each(DOMAINS.map((d) => [d.name]))('%s: every account sees exactly the rows the old rules gave it', (name) => {
    const list = results.get(name)!;
    expect(list).toHaveLength(users.length);
    for (const { user: u, counts: { wider, narrower } } of list) {
      expect({ wider, narrower }, `${name} of ${u.username} (${u.role})`).toEqual({ wider: 0, narrower: 0 });
    }
    expect(list.reduce((n, r) => n + r.counts.before, 0)).toBeGreaterThan(0); // the comparison ran over real rows
  });

  it('gives an account with a stray scope column (which the users table refuses) no more than before', () => {
    expect(oddResults).toHaveLength(ROLES.length * 4 * DOMAINS.length);
    for (const { what, wider } of oddResults) expect(wider, what).toBe(0);
  });
});
