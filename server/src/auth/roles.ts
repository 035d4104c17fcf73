// Roles, their scopes, and what each may see. The server enforces scope in SQL through
// ScopeParams; this module is the single place that says which role sees what.
export const ROLES = [
  'admin', 'city_leader', 'planner', 'subdistrict_admin', 'community_secretary', 'grid_worker', 'department_staff',
  'task_force', 'party_member',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  city_leader: '市领导',
  planner: '网格规划员',
  subdistrict_admin: '街道管理员',
  community_secretary: '社区书记',
  grid_worker: '网格员',
  department_staff: '部门工作人员',
  task_force: '专班成员',
  party_member: '在职党员',
};

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  subdistrict_id: number | null;
  community_id: number | null;
  grid_id: number | null;
  department_id: number | null;
  /** party_member only: the in-service cadre the account is (cases: the party member a case is dispatched to). */
  cadre_id?: number | null;
}

/**
 * Query parameters that restrict rows to a user's area: `city` sees everything, otherwise a
 * row is visible when it lies in the user's subdistrict, community or grid. Every scoped
 * query takes these four values, in this order, as parameters.
 */
export type ScopeParams = [city: boolean, subdistrict: number | null, community: number | null, grid: number | null];

export function scopeParams(u: User): ScopeParams {
  const city = !['subdistrict_admin', 'community_secretary', 'grid_worker'].includes(u.role) && !worksAnArea(u);
  return [city, u.subdistrict_id, u.community_id, u.grid_id];
}

// --- cases (migration 0006): the two roles added for live cases ---
/**
 * A party member (在职党员) works one grid; a task-force member (专班) works one community, or
 * the whole city when the account has no community. Neither sees personal household data.
 */
function worksAnArea(u: User): boolean {
  return u.role === 'party_member' || (u.role === 'task_force' && u.community_id !== null);
}
// --- end cases ---

/** Household heads' names, phones and exact addresses: only for roles that work their own area. */
export function seesPersonalData(u: User): boolean {
  return u.role === 'subdistrict_admin' || u.role === 'community_secretary' || u.role === 'grid_worker';
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
