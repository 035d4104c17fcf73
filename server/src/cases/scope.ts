// Who sees which case, as SQL. Cases have their own scope rule, wider than the geography's:
// besides the area a user works in, department staff see the cases dispatched or whistled to
// their department or routed to it under a leader or the party committee (case_units), a party member the cases dispatched to them, and anyone the cases they
// filed. Every case query takes these seven values, in this order, as parameters.
import type { User } from '../auth/scope.ts';

export type CaseScopeParams = [
  city: boolean, subdistrict: number | null, community: number | null, grid: number | null,
  department: number | null, cadre: number | null, user: number,
];

/** City-wide readers of cases: administrators, leaders, planners and a city task force. */
export function seesAllCases(u: User): boolean {
  return u.role === 'admin' || u.role === 'city_leader' || u.role === 'planner' || (u.role === 'task_force' && u.community_id === null);
}

export function caseScopeParams(u: User): CaseScopeParams {
  // A department's staff member has a department, not an area: only the department's cases.
  const area = u.role === 'department_staff' ? null : u;
  return [seesAllCases(u), area?.subdistrict_id ?? null, area?.community_id ?? null, area?.grid_id ?? null,
    u.role === 'department_staff' ? u.department_id : null, u.role === 'party_member' ? (u.cadre_id ?? null) : null, u.id];
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

/** Roles that may file a case, and the reporter kind it is filed as. */
export function reporterKindOf(u: User) {
  switch (u.role) {
    case 'grid_worker': return 'grid_worker' as const;
    case 'party_member': return 'party_member' as const;
    case 'department_staff': return 'department' as const;
    case 'community_secretary': return 'secretary' as const;
    // Taking down a resident's call or visit (12345 hotline, the service desk).
    case 'admin': case 'subdistrict_admin': case 'task_force': return 'resident' as const;
    default: return null; // leaders and planners read; they do not file
  }
}

/** Whether a filer must stay in their own area (the case's grid must be in it). */
export function filesOnlyInOwnArea(u: User): boolean {
  return ['subdistrict_admin', 'community_secretary', 'grid_worker', 'party_member'].includes(u.role) || (u.role === 'task_force' && u.community_id !== null);
}
