// Who sees what, as SQL: the one server module that turns a user's role and account scope into
// the parameterised scope clauses of every domain (grids, households, communities and plans;
// cases; needs; case events; KPIs). The per-role rules themselves (which area a role is bounded
// to, which links reach it beyond its area, what it may do) are the contract's ROLE_RULES, which
// the client reads too. Every clause here takes its values as query parameters, never as text;
// the only text spliced in is a fixed table alias or column name chosen by the calling code.
import { areaColumnOf, ROLE_RULES, seesPersonalData, type KpiLevel, type ReporterKind, type Role } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';
import { notFound } from '../http/errors.ts';

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  subdistrict_id: number | null;
  community_id: number | null;
  grid_id: number | null;
  department_id: number | null;
  /** party_member only: the in-service cadre the account is (a case may be dispatched to them). */
  cadre_id?: number | null;
}

// ---------------------------------------------------------------------------------------------
// The area: grids, households, communities, plans

/**
 * Query parameters that restrict rows to a user's area: `city` sees everything, otherwise a
 * row is visible when it lies in the user's subdistrict, community or grid.
 */
export type ScopeParams = [city: boolean, subdistrict: number | null, community: number | null, grid: number | null];

/**
 * The user's area. Only the account column the role's rule names counts (the users table's
 * CHECK allows no other), and the whole city only for a role whose rule allows it and whose
 * account has no area: a task-force member (专班) with a community works that community, one
 * without works the city. A malformed account therefore sees less, never more.
 */
export function scopeParams(u: User): ScopeParams {
  const column = areaColumnOf(u.role);
  const id = column === null ? null : u[`${column}_id`];
  const area = ROLE_RULES[u.role].area;
  const noArea = u.subdistrict_id == null && u.community_id == null && u.grid_id == null;
  const city = noArea && (area === 'city' || area === 'community_or_city');
  return [city, column === 'subdistrict' ? id : null, column === 'community' ? id : null, column === 'grid' ? id : null];
}

/**
 * SQL condition that a row is in scope, given the row's subdistrict, community and grid id
 * expressions ('NULL' for a level the row does not belong to) and the parameter number of
 * the first ScopeParams value. All four parameters are always referenced, so Postgres can
 * type them even where a level does not apply.
 */
export function inScope(p: number, cols: { subdistrict: string; community: string; grid: string }): string {
  return `($${p}::boolean OR ${cols.subdistrict} = $${p + 1}::int OR ${cols.community} = $${p + 2}::int OR ${cols.grid} = $${p + 3}::int)`;
}

/** A community `c` in scope (ScopeParams at $p..$p+3): its own subdistrict or itself. */
export const communityInScope = (p: number, c = 'c') => inScope(p, { subdistrict: `${c}.subdistrict_id`, community: `${c}.id`, grid: 'NULL' });

export type UnitKind = 'subdistrict' | 'community' | 'grid';

// A unit is visible when the user's scope contains it or lies inside it: a secretary may
// filter grids by their own community, or by the subdistrict around it; a grid worker sees
// their grid, its community and its subdistrict. Parameters: $1–$4 the scope, $5 the unit id.
const VISIBLE_SQL: Record<UnitKind, string> = {
  subdistrict: `
    SELECT 1 FROM subdistricts s WHERE s.id = $5 AND ($1::boolean OR s.id = $2::int
       OR EXISTS (SELECT 1 FROM communities c WHERE c.subdistrict_id = s.id AND c.id = $3::int)
       OR EXISTS (SELECT 1 FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = s.id AND g.id = $4::int))`,
  community: `
    SELECT 1 FROM communities c WHERE c.id = $5 AND ($1::boolean OR c.subdistrict_id = $2::int OR c.id = $3::int
       OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $4::int))`,
  grid: `
    SELECT 1 FROM grids g JOIN communities c ON c.id = g.community_id
     WHERE g.id = $5 AND ${inScope(1, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' })}`,
};
const ZH: Record<UnitKind, string> = { subdistrict: '街道', community: '社区', grid: '网格' };

/** The department a unit's staff member works for (null for every other role). */
export const ownDepartment = (u: User): number | null => (ROLE_RULES[u.role].department ? u.department_id : null);

/**
 * A department filter: the unit must exist, and for a unit's staff member (when `user` is
 * given: a list scoped to them, such as cases) be their own unit. A 404 otherwise.
 */
export async function assertDepartment(db: Queryable, user: User | null, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const own = user ? ownDepartment(user) : null;
  const { rowCount } = await db.query('SELECT 1 FROM departments d WHERE d.id = $1 AND ($2::int IS NULL OR d.id = $2::int)', [id, own]);
  if (!rowCount) throw notFound(`单位 ${id} 不存在 (no department with id ${id})`);
}

/**
 * A filter naming a unit that does not exist, or that the user may not see, is a 404 (not
 * an empty list that looks like "no data", and not a 403 that would confirm it exists).
 */
export async function assertVisible(db: Queryable, user: User, kind: UnitKind, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const { rowCount } = await db.query(VISIBLE_SQL[kind], [...scopeParams(user), id]);
  if (!rowCount) throw notFound(`${ZH[kind]} ${id} 不存在 (no ${kind} with id ${id})`);
}

/** The community, if it exists and lies in the user's area; 404 otherwise. */
export async function visibleCommunity(db: Queryable, id: number, u: User): Promise<{ id: number; layout_version: number }> {
  const { rows } = await db.query<{ id: number; layout_version: number }>(
    `SELECT c.id, c.layout_version FROM communities c WHERE c.id = $1 AND ${communityInScope(2)}`, [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`社区 ${id} 不存在 (no community with id ${id})`);
  return rows[0];
}

/** The plan, if it exists and its community lies in the user's area; 404 otherwise. */
export async function visiblePlan(db: Queryable, id: number, u: User): Promise<{ id: number; community_id: number; status: string }> {
  const { rows } = await db.query<{ id: number; community_id: number; status: string }>(
    `SELECT p.id, p.community_id, p.status FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = $1 AND ${communityInScope(2)}`,
    [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`方案 ${id} 不存在 (no plan with id ${id})`);
  return rows[0];
}

/** An edge redraw (plans/edge-revert.ts) in the user's area; any other is not found, as a plan is. */
export async function visibleEdgeRedraw(db: Queryable, id: number, u: User): Promise<{ id: number; community_id: number }> {
  const { rows } = await db.query<{ id: number; community_id: number }>(
    `SELECT r.id, r.community_id FROM edge_redraws r JOIN communities c ON c.id = r.community_id WHERE r.id = $1 AND ${communityInScope(2)}`,
    [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`没有编号为 ${id} 的边界重画 (no edge redraw with id ${id})`);
  return rows[0];
}

/** The plans, if every one exists and lies in the user's area; 404 naming the others. */
export async function visiblePlans(db: Queryable, ids: number[], u: User): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT p.id FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = ANY ($1::int[]) AND ${communityInScope(2)}`,
    [ids, ...scopeParams(u)]);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw notFound(`方案 ${missing.join('、')} 不存在 (no plan with id ${missing.join(', ')})`);
}

// ---------------------------------------------------------------------------------------------
// Cases: wider than the area. Besides the area a user works in, department staff see the cases
// dispatched or whistled to their department or routed to it under a leader or the party
// committee (case_units), a party member the cases dispatched to them, and anyone the cases
// they filed. Every case query takes these seven values, in this order, as parameters.

export type CaseScopeParams = [
  city: boolean, subdistrict: number | null, community: number | null, grid: number | null,
  department: number | null, cadre: number | null, user: number,
];

/** City-wide readers of cases and needs: administrators, leaders, planners and a city task force. */
export function seesAllCases(u: User): boolean {
  return scopeParams(u)[0] && !ROLE_RULES[u.role].department;
}

export function caseScopeParams(u: User): CaseScopeParams {
  const rule = ROLE_RULES[u.role];
  const [, subdistrict, community, grid] = scopeParams(u);
  const area = rule.cases.area;
  return [seesAllCases(u), area ? subdistrict : null, area ? community : null, area ? grid : null,
    ownDepartment(u), rule.cases.cadre ? (u.cadre_id ?? null) : null, u.id];
}

/** SQL condition that case `alias` is visible, given the parameter number of the first CaseScopeParams value. */
export function caseInScope(p: number, alias = 'c'): string {
  const types = ['boolean', 'int', 'int', 'int', 'int', 'int', 'int'];
  return caseVisibleTo(types.map((t, i) => `$${p + i}::${t}`), alias);
}

/**
 * SQL condition that case `alias` is visible to the user whose CaseScopeParams are the SQL
 * expressions `v`, in order (parameters, or the columns of a set of users filing at once).
 */
export function caseVisibleTo(v: readonly string[], alias = 'c'): string {
  const [city, subdistrict, community, grid, department, cadre, user] = v;
  return `(${city} OR ${alias}.subdistrict_id = ${subdistrict} OR ${alias}.community_id = ${community}
    OR ${alias}.grid_id = ${grid} OR ${alias}.assigned_grid_id = ${grid}
    OR ${alias}.assigned_department_id = ${department}
    OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = ${alias}.id AND w.department_id = ${department})
    OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = ${alias}.id AND cu.department_id = ${department})
    OR ${alias}.assigned_cadre_id = ${cadre} OR ${alias}.reporter_user_id = ${user})`;
}

/** The reporter kind a case the user files is filed as; null: their role does not file. */
export function reporterKindOf(u: User): ReporterKind | null {
  return ROLE_RULES[u.role].files;
}

/** Whether a filer must stay in their own area (the case's grid must be in it): everyone not city-wide. */
export function filesOnlyInOwnArea(u: User): boolean {
  return !scopeParams(u)[0];
}

// ---------------------------------------------------------------------------------------------
// Needs: like cases, wider than the area. A unit's staff see the needs dispatched to their unit,
// a party member the needs of their area branch (片区党支部: the grids the branch of their own
// grid covers, whose needs the branch screens and may take on), and anyone the needs they
// gathered or claimed. Every need query takes these seven values, in this order, as parameters.

export type NeedScopeParams = [
  city: boolean, subdistrict: number | null, community: number | null, grid: number | null,
  department: number | null, branchOfGrid: number | null, user: number,
];

export function needScopeParams(u: User): NeedScopeParams {
  const rule = ROLE_RULES[u.role];
  const [, subdistrict, community, grid] = scopeParams(u);
  const area = rule.needs.area;
  return [seesAllCases(u), area ? subdistrict : null, area ? community : null, area ? grid : null,
    ownDepartment(u), rule.needs.branch ? u.grid_id : null, u.id];
}

/** SQL condition that need `alias` is visible, given the parameter number of the first NeedScopeParams value. */
export function needInScope(p: number, alias = 'n'): string {
  return `($${p}::boolean OR ${alias}.subdistrict_id = $${p + 1}::int OR ${alias}.community_id = $${p + 2}::int
    OR ${alias}.grid_id = $${p + 3}::int OR ${alias}.department_id = $${p + 4}::int
    OR ${alias}.grid_id IN (SELECT b.grid_id FROM area_branch_grids a JOIN area_branch_grids b ON b.branch_id = a.branch_id
                             WHERE a.grid_id = $${p + 5}::int)
    OR ${alias}.claimed_by = $${p + 6}::int OR ${alias}.created_by = $${p + 6}::int)`;
}

// ---------------------------------------------------------------------------------------------
// Case events (the live stream) and KPIs: the area, and for a unit's staff member only their
// unit's cases. Events are tested twice over: as a JavaScript predicate for the hub's live
// fan-out (the event row carries the case's grid/community/subdistrict/department ids and the
// departments it was whistled to, so no join is needed) and as SQL for the replay after a
// reconnect.

export interface EventScope {
  city: boolean;
  subdistrict: number | null;
  community: number | null;
  grid: number | null;
  /** Set for department staff: only their department's cases. */
  department: number | null;
  /** Whether payload fields that identify a resident are kept. */
  personal: boolean;
}

export function eventScope(u: User): EventScope {
  const [city, subdistrict, community, grid] = scopeParams(u);
  return { city, subdistrict, community, grid, department: ownDepartment(u), personal: seesPersonalData(u.role) };
}

/** The area and department ids of an event's case, as the hub's rows carry them. */
export interface EventPlace {
  subdistrict_id: number | null;
  community_id: number | null;
  grid_id: number | null;
  department_id: number | null;
  whistled?: number[] | null;
}

/** Whether an event (or a case, given its ids) lies in the scope: the JavaScript twin of eventScopeSql. */
export function acceptsEvent(s: EventScope, e: EventPlace): boolean {
  const area = s.city || (s.subdistrict !== null && e.subdistrict_id === s.subdistrict)
    || (s.community !== null && e.community_id === s.community) || (s.grid !== null && e.grid_id === s.grid);
  if (!area) return false;
  if (s.department === null) return true;
  return e.department_id === s.department || (e.whistled ?? []).includes(s.department);
}

/**
 * SQL condition on case_events `e`, parameters $p..$p+4 = eventScopeParams(scope). The
 * department test also looks at case_whistles, like the live path.
 */
export function eventScopeSql(p: number): string {
  return `($${p}::boolean OR e.subdistrict_id = $${p + 1}::int OR e.community_id = $${p + 2}::int OR e.grid_id = $${p + 3}::int)
      AND ($${p + 4}::int IS NULL OR e.department_id = $${p + 4}::int
           OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = e.case_id AND w.department_id = $${p + 4}::int))`;
}

export function eventScopeParams(s: EventScope): unknown[] {
  return [s.city, s.subdistrict, s.community, s.grid, s.department];
}

/**
 * KPI rows in scope, of table alias `t` with the area columns of `cases` and its department in
 * `department`; parameters $p..$p+4 = eventScopeParams(scope). A unit's staff member counts the
 * cases assigned to their unit.
 */
export function kpiScopeSql(p: number, t = 'c', department = 'assigned_department_id'): string {
  return `($${p}::boolean OR ${t}.subdistrict_id = $${p + 1}::int OR ${t}.community_id = $${p + 2}::int OR ${t}.grid_id = $${p + 3}::int)
      AND ($${p + 4}::int IS NULL OR ${t}.${department} = $${p + 4}::int)`;
}

/**
 * The unit a KPI request names, if the scope reaches it: its display name, else null. The city
 * is a city-wide role's alone (not a unit's staff member's); a unit of a level is reached from
 * the scope at or above it.
 */
export async function visibleKpiUnit(db: Queryable, s: EventScope, level: KpiLevel, id: number | null): Promise<string | null> {
  const area = [s.city, s.subdistrict, s.community, s.grid];
  switch (level) {
    case 'city':
      return s.city && s.department === null ? '恩施市' : null;
    case 'subdistrict': {
      const { rows } = await db.query<{ name: string }>(`SELECT name FROM subdistricts sd WHERE sd.id = $1 AND ($2::boolean OR sd.id = $3::int)`,
        [id, s.city, s.subdistrict]);
      return rows[0]?.name ?? null;
    }
    case 'community': {
      const { rows } = await db.query<{ name: string }>(
        `SELECT cm.name FROM communities cm WHERE cm.id = $1 AND ($2::boolean OR cm.subdistrict_id = $3::int OR cm.id = $4::int)`,
        [id, ...area.slice(0, 3)]);
      return rows[0]?.name ?? null;
    }
    case 'grid': {
      const { rows } = await db.query<{ name: string }>(
        `SELECT g.name FROM grids g JOIN communities cm ON cm.id = g.community_id
          WHERE g.id = $1 AND ($2::boolean OR cm.subdistrict_id = $3::int OR cm.id = $4::int OR g.id = $5::int)`,
        [id, ...area]);
      return rows[0]?.name ?? null;
    }
    case 'department': {
      const { rows } = await db.query<{ name: string }>(`SELECT name FROM departments d WHERE d.id = $1 AND ($2::int IS NULL OR d.id = $2::int)`,
        [id, s.department]);
      return rows[0]?.name ?? null;
    }
  }
}
