// The per-role rules, table-driven: for each of the nine roles, by hand, what it is bounded to
// and what it may do. A change to ROLE_RULES that is not also made here fails.
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from './roles.ts';
import {
  appliesPlans, areaColumnOf, can, CAPABILITIES, draftsPlans, editsWorkforce, filesCases, handlesCases, isCityRole, readsAuditLog,
  ROLE_RULES, rolesThat, seesCommandCentre, seesPersonalData, seesPlanner, seesWorkforceRoster, worksInCommunity,
} from './scope.ts';

type Row = [area: string, column: string | null, department: boolean, casesByArea: boolean, casesByCadre: boolean,
  needsByArea: boolean, needsByBranch: boolean, files: string | null];

const EXPECTED: Record<Role, Row> = {
  admin: ['city', null, false, true, false, true, false, 'resident'],
  city_leader: ['city', null, false, true, false, true, false, null],
  planner: ['city', null, false, true, false, true, false, null],
  subdistrict_admin: ['subdistrict', 'subdistrict', false, true, false, true, false, 'resident'],
  community_secretary: ['community', 'community', false, true, false, true, false, 'secretary'],
  grid_worker: ['grid', 'grid', false, true, false, true, false, 'grid_worker'],
  department_staff: ['city', null, true, false, false, false, false, 'department'],
  task_force: ['community_or_city', 'community', false, true, false, true, false, 'resident'],
  party_member: ['grid', 'grid', false, true, true, false, true, 'party_member'],
};

// Each predicate and, by hand, the roles that have it (in ROLES order).
const PREDICATES: [string, (r: Role) => boolean, Role[]][] = [
  ['seesPersonalData', seesPersonalData, ['subdistrict_admin', 'community_secretary', 'grid_worker']],
  ['isCityRole', isCityRole, ['admin', 'city_leader', 'planner', 'department_staff', 'task_force']],
  ['worksInCommunity', worksInCommunity, ['community_secretary', 'grid_worker']],
  ['readsAuditLog', readsAuditLog, ['admin']],
  ['handlesCases', handlesCases, ['admin', 'city_leader', 'subdistrict_admin', 'community_secretary', 'grid_worker', 'department_staff', 'task_force', 'party_member']],
  ['filesCases', filesCases, ['admin', 'subdistrict_admin', 'community_secretary', 'grid_worker', 'department_staff', 'task_force', 'party_member']],
  ['seesPlanner', seesPlanner, ['city_leader', 'planner', 'subdistrict_admin', 'community_secretary']],
  ['draftsPlans', draftsPlans, ['planner', 'subdistrict_admin', 'community_secretary']],
  ['appliesPlans', appliesPlans, ['planner']],
  ['seesWorkforceRoster', seesWorkforceRoster, ['admin', 'subdistrict_admin', 'community_secretary', 'grid_worker']],
  ['editsWorkforce', editsWorkforce, ['admin', 'community_secretary']],
  ['seesCommandCentre', seesCommandCentre, ['admin', 'city_leader', 'planner', 'subdistrict_admin', 'task_force']],
];

describe('ROLE_RULES', () => {
  it('has a rule for each of the nine roles and no other', () => {
    expect(ROLES).toHaveLength(9);
    expect(Object.keys(ROLE_RULES).sort()).toEqual([...ROLES].sort());
  });

  it.each(ROLES.map((r) => [r]))('%s: area, account column, department and the links that reach its cases and needs', (role) => {
    const r = ROLE_RULES[role];
    expect([r.area, areaColumnOf(role), r.department, r.cases.area, r.cases.cadre, r.needs.area, r.needs.branch, r.files]).toEqual(EXPECTED[role]);
  });

  it.each(PREDICATES)('%s holds for exactly its roles', (_name, predicate, roles) => {
    expect(ROLES.filter(predicate)).toEqual(roles);
  });

  it('names each capability with rolesThat as can() decides it', () => {
    for (const cap of CAPABILITIES) expect(rolesThat(cap)).toEqual(ROLES.filter((r) => can(r, cap)));
  });

  it('never gives more than the rules that contain it', () => {
    for (const role of ROLES) {
      const r = ROLE_RULES[role];
      // Applying a plan needs drafting, drafting needs reading.
      if (appliesPlans(role)) expect(draftsPlans(role)).toBe(true);
      if (draftsPlans(role)) expect(seesPlanner(role)).toBe(true);
      // Personal data only for roles bounded to one area, never for a city-wide one.
      if (seesPersonalData(role)) expect(['subdistrict', 'community', 'grid']).toContain(r.area);
      // A department's staff member reaches cases and needs only through the department.
      if (r.department) expect([r.cases.area, r.cases.cadre, r.needs.area, r.needs.branch]).toEqual([false, false, false, false]);
      // Whoever files a case has an inbox to see it in.
      if (filesCases(role)) expect(handlesCases(role)).toBe(true);
    }
  });
});
