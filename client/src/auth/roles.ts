// What each role sees and where it lands. The server enforces all of this (scoped SQL, 403s);
// the client mirrors it only to route people to the view that fits their work.
import type { Me, Role } from '../api/session';

/** Roles that see city-wide aggregates and no personal data. */
export const CITY_ROLES: readonly Role[] = ['admin', 'city_leader', 'planner', 'department_staff'];

export function isCityRole(role: Role): boolean {
  return CITY_ROLES.includes(role);
}

/** Roles that work their own area with household names, phones and addresses. */
export function seesPersonalData(role: Role): boolean {
  return role === 'subdistrict_admin' || role === 'community_secretary' || role === 'grid_worker';
}

/** Roles whose work is one community (or one grid of it): the community view is their home. */
export function worksInCommunity(role: Role): boolean {
  return role === 'community_secretary' || role === 'grid_worker';
}

/** The audit log is the administrator's alone (the server answers 403 to everyone else). */
export function readsAuditLog(role: Role): boolean {
  return role === 'admin';
}

/** The same labels as the server's (server/src/auth/roles.ts), for roles named in data. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  city_leader: '市领导',
  planner: '网格规划员',
  subdistrict_admin: '街道管理员',
  community_secretary: '社区书记',
  grid_worker: '网格员',
  department_staff: '部门工作人员',
};

export type RouteName = 'map' | 'community' | 'audit' | 'login';

/** Where a role goes after sign-in when no `next` was asked for. */
export function landingPath(role: Role): string {
  return worksInCommunity(role) ? '/community' : '/';
}

/**
 * A `next` query value that is safe to follow: a same-origin absolute path (not "//host", not a
 * scheme), and not the login page itself. Anything else is dropped, so a crafted link cannot
 * bounce a freshly signed-in user to another site.
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return null;
  return next;
}

/** The community a user's community view shows by default (null: they must pick one). */
export function homeCommunityId(me: Pick<Me, 'scope'>): number | null {
  if (me.scope.level === 'community') return me.scope.id;
  if (me.scope.level === 'grid') return me.scope.parent?.id ?? null;
  return null;
}

export interface GuardTarget {
  name: RouteName | string | null | undefined;
  fullPath: string;
  query: Record<string, unknown>;
}

/**
 * The router guard's decision, as a pure function: `true` to go on, or a path to go to instead.
 * `role` is null when nobody is signed in.
 */
export function guardDecision(to: GuardTarget, role: Role | null): true | string {
  if (to.name === 'login') {
    // Already signed in: the login page has nothing to offer; go where they were heading.
    return role ? (safeNext(to.query.next) ?? landingPath(role)) : true;
  }
  if (!role) return to.fullPath === '/' ? '/login' : `/login?${new URLSearchParams({ next: to.fullPath })}`;
  if (to.name === 'community' && !seesPersonalData(role)) return '/';
  if (to.name === 'audit' && !readsAuditLog(role)) return landingPath(role);
  // The city overview is not a secretary's or grid worker's tool: their map is the community view.
  if (to.name === 'map' && worksInCommunity(role)) return '/community';
  return true;
}
