// Who sees which need, as SQL. Like cases, wider than the geography's rule: besides the area a
// user works in, a unit's staff see the needs dispatched to their unit, a party member the needs
// of their area branch (片区党支部: the grids the branch of their own grid covers, whose needs the
// branch screens and may take on), and anyone the needs they gathered or claimed. Every need
// query takes these seven values, in this order, as parameters.
import type { User } from '../auth/scope.ts';

export type NeedScopeParams = [
  city: boolean, subdistrict: number | null, community: number | null, grid: number | null,
  department: number | null, branchOfGrid: number | null, user: number,
];

/** City-wide readers: administrators, leaders, planners and a city task force. */
export function seesAllNeeds(u: User): boolean {
  return u.role === 'admin' || u.role === 'city_leader' || u.role === 'planner' || (u.role === 'task_force' && u.community_id === null);
}

export function needScopeParams(u: User): NeedScopeParams {
  const member = u.role === 'party_member';
  const area = u.role === 'department_staff' || member ? null : u;
  return [seesAllNeeds(u), area?.subdistrict_id ?? null, area?.community_id ?? null, area?.grid_id ?? null,
    u.role === 'department_staff' ? u.department_id : null, member ? u.grid_id : null, u.id];
}

/** SQL condition that need `alias` is visible, given the parameter number of the first NeedScopeParams value. */
export function needInScope(p: number, alias = 'n'): string {
  return `($${p}::boolean OR ${alias}.subdistrict_id = $${p + 1}::int OR ${alias}.community_id = $${p + 2}::int
    OR ${alias}.grid_id = $${p + 3}::int OR ${alias}.department_id = $${p + 4}::int
    OR ${alias}.grid_id IN (SELECT b.grid_id FROM area_branch_grids a JOIN area_branch_grids b ON b.branch_id = a.branch_id
                             WHERE a.grid_id = $${p + 5}::int)
    OR ${alias}.claimed_by = $${p + 6}::int OR ${alias}.created_by = $${p + 6}::int)`;
}
