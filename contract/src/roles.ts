// Roles and their labels. What each role may see and do is the table in scope.ts. The SQL
// CHECK on users.role lists the same values (a test compares them).
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
