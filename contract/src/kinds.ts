// Kinds of things named in the data. The SQL CHECK constraints list the same values (a test
// compares them with pg_constraint), so a value added here without a migration fails CI.

/** cadres.kind: in-service party member (在职党员), sunk member (下沉党员), grid worker, task force. */
export const CADRE_KINDS = ['in_service', 'sunk', 'grid_worker', 'task_force'] as const;
export type CadreKind = (typeof CADRE_KINDS)[number];

export const CADRE_KIND_LABELS: Record<CadreKind, string> = {
  in_service: '在职党员',
  sunk: '下沉党员',
  grid_worker: '网格员',
  task_force: '工作队员',
};

/** cadre_household_links.kind: the family in difficulty and the neighbours of 双定三联, or an area branch's household. */
export const LINK_KINDS = ['difficulty', 'neighbour', 'branch'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** audit_log.action */
export const AUDIT_ACTIONS = [
  'login', 'logout', 'login_failed', 'lockout', 'create', 'set_role', 'reset_password', 'enable', 'disable', 'import',
  'transition', 'apply', 'revert', 'update', 'export', 'revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** audit_log.entity */
export const AUDIT_ENTITIES = ['session', 'user', 'boundaries', 'case', 'plan', 'resource', 'need', 'block', 'household', 'kpi', 'access_token', 'community_worker', 'vanguard_task', 'vanguard_member', 'evaluation_weights'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
