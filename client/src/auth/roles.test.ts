import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@grid-atlas/contract';
import {
  editsWorkforce, guardDecision, handlesCases, homeCommunityId, isCityRole, landingPath, readsAuditLog, safeNext, seesPersonalData, seesWorkforceRoster,
} from './roles';

const ALL: readonly Role[] = ROLES;

describe('roles', () => {
  it('splits city roles from area roles', () => {
    expect(ALL.filter(isCityRole)).toEqual(['admin', 'city_leader', 'planner', 'department_staff', 'task_force']);
    expect(ALL.filter(seesPersonalData)).toEqual(['subdistrict_admin', 'community_secretary', 'grid_worker']);
    expect(ALL.filter(readsAuditLog)).toEqual(['admin']);
  });

  it('shows the community workers roster to the personal-data roles and the administrator; the secretary and the administrator edit it', () => {
    expect(ALL.filter(seesWorkforceRoster)).toEqual(['admin', 'subdistrict_admin', 'community_secretary', 'grid_worker']);
    expect(ALL.filter(editsWorkforce)).toEqual(['admin', 'community_secretary']);
  });

  it('lands case handlers on /cases, secretaries and grid workers on /community, whole-city roles on /command', () => {
    expect(Object.fromEntries(ALL.map((r) => [r, landingPath(r)]))).toEqual({
      admin: '/command',
      city_leader: '/command',
      planner: '/command',
      department_staff: '/cases',
      subdistrict_admin: '/',
      community_secretary: '/community',
      grid_worker: '/community',
      task_force: '/cases',
      party_member: '/cases',
    });
  });

  it('gives every role but the planner a case inbox', () => {
    expect(ALL.filter((r) => !handlesCases(r))).toEqual(['planner']);
  });

  it('follows only same-origin paths in next', () => {
    expect(safeNext('/community?community=8')).toBe('/community?community=8');
    expect(safeNext('//evil.example/x')).toBeNull();
    expect(safeNext('/\\evil.example')).toBeNull();
    expect(safeNext('https://evil.example')).toBeNull();
    expect(safeNext('/login?next=/')).toBeNull();
    expect(safeNext(['/'])).toBeNull();
    expect(safeNext(undefined)).toBeNull();
  });

  it('finds the home community of a secretary and a grid worker', () => {
    expect(homeCommunityId({ scope: { level: 'community', id: 8, code: 'x', name: '官坡社区' } })).toBe(8);
    expect(homeCommunityId({ scope: { level: 'grid', id: 3, code: 'x', name: 'g', parent: { id: 8, name: '官坡社区' } } })).toBe(8);
    expect(homeCommunityId({ scope: { level: 'subdistrict', id: 1, code: 'x', name: 's' } })).toBeNull();
  });
});

describe('guardDecision', () => {
  const to = (name: string, fullPath: string, query: Record<string, unknown> = {}) => ({ name, fullPath, query });

  it('sends anonymous visitors to /login with where they were heading', () => {
    expect(guardDecision(to('map', '/'), null)).toBe('/login');
    expect(guardDecision(to('community', '/community?community=8'), null)).toBe('/login?next=%2Fcommunity%3Fcommunity%3D8');
    expect(guardDecision(to('login', '/login'), null)).toBe(true);
  });

  it('lets anyone, signed in or not, open the residents\' report pages', () => {
    expect(guardDecision(to('report', '/report'), null)).toBe(true);
    expect(guardDecision(to('report-follow', '/report/abc'), null)).toBe(true);
    expect(guardDecision(to('report', '/report'), 'grid_worker')).toBe(true);
  });

  it('keeps signed-in users off the login page', () => {
    expect(guardDecision(to('login', '/login'), 'community_secretary')).toBe('/community');
    expect(guardDecision(to('login', '/login'), 'city_leader')).toBe('/command');
    expect(guardDecision(to('login', '/login?next=/community', { next: '/community' }), 'subdistrict_admin')).toBe('/community');
    expect(guardDecision(to('login', '/login?next=//x', { next: '//x' }), 'city_leader')).toBe('/command');
  });

  it('routes by role between the city map and the community view', () => {
    for (const r of ['admin', 'city_leader', 'planner', 'department_staff'] as Role[]) {
      expect(guardDecision(to('community', '/community'), r)).toBe('/');
      expect(guardDecision(to('map', '/'), r)).toBe(true);
    }
    expect(guardDecision(to('map', '/'), 'community_secretary')).toBe('/community');
    expect(guardDecision(to('map', '/'), 'grid_worker')).toBe('/community');
    expect(guardDecision(to('map', '/'), 'subdistrict_admin')).toBe(true);
    expect(guardDecision(to('community', '/community'), 'subdistrict_admin')).toBe(true);
    expect(guardDecision(to('community', '/community'), 'community_secretary')).toBe(true);
  });

  it('opens the case inbox to the roles that handle cases', () => {
    for (const r of ['grid_worker', 'community_secretary', 'subdistrict_admin', 'department_staff', 'task_force', 'party_member'] as Role[]) {
      expect(guardDecision(to('cases', '/cases'), r)).toBe(true);
    }
    expect(guardDecision(to('cases', '/cases'), 'planner')).toBe(landingPath('planner'));
    expect(guardDecision(to('cases', '/cases?case=3'), null)).toBe('/login?next=%2Fcases%3Fcase%3D3');
  });

  it("opens the command centre to whole-city roles but a unit's staff, and to subdistrict admins", () => {
    for (const r of ALL.filter((r) => isCityRole(r) && r !== 'department_staff')) expect(guardDecision(to('command', '/command'), r)).toBe(true);
    // a unit's staff member's KPIs are their unit's, not the city's the centre shows
    expect(guardDecision(to('command', '/command'), 'department_staff')).toBe('/cases');
    // a subdistrict admin gets the centre of their subdistrict
    expect(guardDecision(to('command', '/command'), 'subdistrict_admin')).toBe(true);
    expect(guardDecision(to('command', '/command'), 'grid_worker')).toBe('/community');
    expect(guardDecision(to('command', '/command'), 'community_secretary')).toBe('/community');
    expect(guardDecision(to('command', '/command'), null)).toBe('/login?next=%2Fcommand');
  });

  it('opens the audit log to admins only, sending everyone else to their landing route', () => {
    expect(guardDecision(to('audit', '/audit'), 'admin')).toBe(true);
    expect(guardDecision(to('audit', '/audit?entity=user', { entity: 'user' }), 'admin')).toBe(true);
    for (const r of ALL.filter((r) => r !== 'admin')) {
      expect(guardDecision(to('audit', '/audit'), r)).toBe(landingPath(r));
    }
    expect(guardDecision(to('audit', '/audit'), 'city_leader')).toBe('/command');
    expect(guardDecision(to('audit', '/audit'), 'community_secretary')).toBe('/community');
    expect(guardDecision(to('audit', '/audit'), null)).toBe('/login?next=%2Faudit');
  });

  it('opens the boundaries import to admins only, sending everyone else to their landing route', () => {
    expect(guardDecision(to('boundaries', '/boundaries'), 'admin')).toBe(true);
    for (const r of ALL.filter((r) => r !== 'admin')) {
      expect(guardDecision(to('boundaries', '/boundaries'), r)).toBe(landingPath(r));
    }
    expect(guardDecision(to('boundaries', '/boundaries'), 'planner')).not.toBe(true);
    expect(guardDecision(to('boundaries', '/boundaries'), null)).toBe('/login?next=%2Fboundaries');
  });
});
