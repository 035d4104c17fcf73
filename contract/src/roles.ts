// Roles, their labels and what each may see. The server enforces all of it (scoped SQL,
// 403s); the client reads the same predicates only to route people to the view that fits
// their work. The SQL CHECK on users.role lists the same values (a test compares them).
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

/** The level of the area a user works in. */
export const SCOPE_LEVELS = ['city', 'subdistrict', 'community', 'grid', 'department'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** Roles whose scope is one subdistrict, community or grid; every other role sees the whole city. */
const AREA_ROLES: readonly Role[] = ['subdistrict_admin', 'community_secretary', 'grid_worker'];

/**
 * Roles that see city-wide aggregates. A party member (在职党员) works one grid; a task-force
 * member (专班) works a community or, with no community, the whole city: the server decides
 * that one by the account's scope, so it counts as a city role here.
 */
export function isCityRole(role: Role): boolean {
  return !AREA_ROLES.includes(role) && role !== 'party_member';
}

/** Household heads' names, phones and exact addresses: only for roles that work their own area. */
export function seesPersonalData(role: Role): boolean {
  return AREA_ROLES.includes(role);
}

/** Roles whose work is one community (or one grid of it): the community view is their home. */
export function worksInCommunity(role: Role): boolean {
  return role === 'community_secretary' || role === 'grid_worker';
}

/** The audit log is the administrator's alone. */
export function readsAuditLog(role: Role): boolean {
  return role === 'admin';
}
