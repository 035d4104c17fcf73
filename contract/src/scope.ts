// Who sees what and who may do what, per role: the one table both sides read. The server turns
// it into parameterised SQL scope clauses and 403s (its auth/scope module); the client reads
// the same predicates only to decide which view a person lands on and which buttons to show.
// A role's account holds exactly the scope column its `area` names (the SQL CHECK users_check
// on users requires the same; a test compares them).
import type { ReporterKind } from './cases.ts';
import { ROLES, type Role } from './roles.ts';

/**
 * The area a role's geography (grids, households, communities, plans, events, KPIs) is bounded
 * to: the whole city, the one subdistrict, community or grid of the account, or for a task-force
 * member (专班) the account's community when it has one and the whole city otherwise.
 */
export type RoleArea = 'city' | 'subdistrict' | 'community' | 'grid' | 'community_or_city';

/** What a role may do or see beyond its area. */
export const CAPABILITIES = [
  /** Household heads' names, phones and exact addresses. */
  'personal_data',
  /** City-wide aggregates (a task-force member with a community gets its community's from the server). */
  'city_aggregates',
  /** The community view is their home: their work is one community or one grid of it. */
  'community_home',
  /** The audit log. */
  'audit_log',
  /** A case inbox (/cases): dispatching, handling, verifying or supervising cases. */
  'case_inbox',
  /** The command centre's wall screen (city figures, or a subdistrict's). */
  'command_centre',
  /** The grid planner: reading blocks, plans and their validation. */
  'view_plans',
  /** Drafting, importing and editing plans. */
  'draft_plans',
  /** Applying and reverting plans, splitting blocks and redrawing edges: changing the live grids. */
  'apply_plans',
  /** The community workers' roster with names (staff data). */
  'workforce_roster',
  /** Editing a worker's education, certification, post or whether active. */
  'edit_workforce',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface RoleRule {
  area: RoleArea;
  /** The role works for one department (its account's department_id): cases, needs, events and KPIs are that unit's. */
  department: boolean;
  /** Cases: whether the account's area reaches them (department staff see only their unit's), and whether the cases dispatched to the account's cadre do. */
  cases: { area: boolean; cadre: boolean };
  /** Needs: whether the account's area reaches them, and whether the needs of the area branch (片区党支部) of the account's grid do. */
  needs: { area: boolean; branch: boolean };
  /** The reporter kind a case the role files is filed as; null: the role does not file cases. */
  files: ReporterKind | null;
  can: readonly Capability[];
}

export const ROLE_RULES: Record<Role, RoleRule> = {
  admin: {
    area: 'city', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    // Taking down a resident's call or visit (12345 hotline, the service desk).
    files: 'resident',
    can: ['city_aggregates', 'audit_log', 'case_inbox', 'command_centre', 'workforce_roster', 'edit_workforce'],
  },
  city_leader: {
    area: 'city', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    files: null, // leaders read cases; they do not file
    can: ['city_aggregates', 'case_inbox', 'command_centre', 'view_plans'],
  },
  planner: {
    area: 'city', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    files: null, // planners draw grids, not cases
    can: ['city_aggregates', 'command_centre', 'view_plans', 'draft_plans', 'apply_plans'],
  },
  subdistrict_admin: {
    area: 'subdistrict', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    files: 'resident',
    can: ['personal_data', 'case_inbox', 'command_centre', 'view_plans', 'draft_plans', 'workforce_roster'],
  },
  community_secretary: {
    area: 'community', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    files: 'secretary',
    can: ['personal_data', 'community_home', 'case_inbox', 'view_plans', 'draft_plans', 'workforce_roster', 'edit_workforce'],
  },
  grid_worker: {
    area: 'grid', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    files: 'grid_worker',
    can: ['personal_data', 'community_home', 'case_inbox', 'workforce_roster'],
  },
  // A unit's staff member sees the city's geography, but only the cases, needs, events and
  // KPIs of their unit (the server answers 404 for the city's KPIs).
  department_staff: {
    area: 'city', department: true, cases: { area: false, cadre: false }, needs: { area: false, branch: false },
    files: 'department',
    can: ['city_aggregates', 'case_inbox'],
  },
  task_force: {
    area: 'community_or_city', department: false, cases: { area: true, cadre: false }, needs: { area: true, branch: false },
    files: 'resident',
    can: ['city_aggregates', 'case_inbox', 'command_centre'],
  },
  // 在职党员: one grid; the cases dispatched to them; the needs their area branch screens.
  party_member: {
    area: 'grid', department: false, cases: { area: true, cadre: true }, needs: { area: false, branch: true },
    files: 'party_member',
    can: ['case_inbox'],
  },
};

/** Whether `role` has capability `cap`. */
export function can(role: Role, cap: Capability): boolean {
  return ROLE_RULES[role].can.includes(cap);
}

/** The roles with capability `cap`, in ROLES order (for a server's requireRole list). */
export function rolesThat(cap: Capability): Role[] {
  return ROLES.filter((r) => can(r, cap));
}

/** The account column a role's area lives in (null: none; a task-force member's community is optional). */
export function areaColumnOf(role: Role): 'subdistrict' | 'community' | 'grid' | null {
  const a = ROLE_RULES[role].area;
  return a === 'city' ? null : a === 'community_or_city' ? 'community' : a;
}

/** Household heads' names, phones and exact addresses: only for roles that work their own area. */
export const seesPersonalData = (role: Role): boolean => can(role, 'personal_data');

/**
 * Roles that see city-wide aggregates. A party member (在职党员) works one grid; a task-force
 * member (专班) works a community or, with no community, the whole city: the server decides
 * that one by the account's scope, so it counts as a city role here.
 */
export const isCityRole = (role: Role): boolean => can(role, 'city_aggregates');

/** Roles whose work is one community (or one grid of it): the community view is their home. */
export const worksInCommunity = (role: Role): boolean => can(role, 'community_home');

/** The audit log is the administrator's alone. */
export const readsAuditLog = (role: Role): boolean => can(role, 'audit_log');

/**
 * Roles with a case inbox (/cases): everyone who dispatches, handles, verifies or supervises
 * cases, plus the administrator and city leaders who oversee them. Planners draw grids, not cases.
 */
export const handlesCases = (role: Role): boolean => can(role, 'case_inbox');

/** Roles that file cases (a leader reads them; the server refuses the others with 403). */
export const filesCases = (role: Role): boolean => ROLE_RULES[role].files !== null;

/** Roles that open the grid planner and read plans. */
export const seesPlanner = (role: Role): boolean => can(role, 'view_plans');

/** Roles that save, import and edit draft plans. */
export const draftsPlans = (role: Role): boolean => can(role, 'draft_plans');

/** Roles that apply and revert plans, split blocks and redraw edges. */
export const appliesPlans = (role: Role): boolean => can(role, 'apply_plans');

/** The community workers' roster (names are staff data): the roles that see personal data, and the administrator. */
export const seesWorkforceRoster = (role: Role): boolean => can(role, 'workforce_roster');

/** Who edits a worker's education, certification, post or whether active: the community's secretary, or the administrator. */
export const editsWorkforce = (role: Role): boolean => can(role, 'edit_workforce');

/**
 * The command centre shows the whole city's figures to city roles and a subdistrict's to its
 * administrator (every figure comes scoped from the server). Communities and grids have their own
 * view, and a unit's staff member's figures are their unit's, so they work from their inbox.
 */
export const seesCommandCentre = (role: Role): boolean => can(role, 'command_centre');
