// Where each role lands and which pages it may open. The role predicates are the contract's
// scope table (the server enforces the same rules with scoped SQL and 403s); the client uses
// them only to route people to the view that fits their work and to show the buttons they may use.
import {
  appliesPlans, draftsPlans, editsWorkforce, filesCases, handlesCases, isCityRole, readsAuditLog, seesCommandCentre, seesPersonalData,
  seesPlanner, seesWorkforceRoster, worksInCommunity, type Me, type Role,
} from '@grid-atlas/contract';

export {
  appliesPlans, draftsPlans, editsWorkforce, filesCases, handlesCases, isCityRole, readsAuditLog, seesCommandCentre, seesPersonalData,
  seesPlanner, seesWorkforceRoster, worksInCommunity,
};

export type RouteName = 'map' | 'command' | 'community' | 'audit' | 'boundaries' | 'cases' | 'planner' | 'resources' | 'powers' | 'workforce' | 'vanguard' | 'organisations' | 'evaluation' | 'needs' | 'report' | 'report-follow' | 'login';

/**
 * Replacing the city's boundaries from files (POST /api/boundaries/import): the administrator's
 * alone, as the server's requireRole('admin') on that route says.
 */
export const importsBoundaries = (role: Role): boolean => role === 'admin';

/** Roles whose daily work IS the case inbox: it is where they land. */
const INBOX_ROLES: readonly Role[] = ['department_staff', 'task_force', 'party_member'];

/** Where a role goes after sign-in when no `next` was asked for. */
export function landingPath(role: Role): string {
  if (INBOX_ROLES.includes(role)) return '/cases';
  if (worksInCommunity(role)) return '/community';
  // Leaders and the other whole-city roles start on the command centre's wall screen.
  return isCityRole(role) ? '/command' : '/';
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
  // The residents' pages need no account, and a signed-in worker may open them too.
  if (to.name === 'report' || to.name === 'report-follow') return true;
  if (!role) return to.fullPath === '/' ? '/login' : `/login?${new URLSearchParams({ next: to.fullPath })}`;
  if (to.name === 'community' && !seesPersonalData(role)) return '/';
  if (to.name === 'audit' && !readsAuditLog(role)) return landingPath(role);
  if (to.name === 'boundaries' && !importsBoundaries(role)) return landingPath(role);
  if (to.name === 'cases' && !handlesCases(role)) return landingPath(role);
  if (to.name === 'planner' && !seesPlanner(role)) return landingPath(role);
  // The city overview is not a secretary's or grid worker's tool: their map is the community view.
  if (to.name === 'map' && worksInCommunity(role)) return '/community';
  if (to.name === 'command' && !seesCommandCentre(role)) return landingPath(role);
  return true;
}
