// Sign-in, sign-out and "who am I" (server/src/routes/auth.ts).
import { apiUrl, getJson, postJson } from './http';

export type Role =
  | 'admin'
  | 'city_leader'
  | 'planner'
  | 'department_staff'
  | 'subdistrict_admin'
  | 'community_secretary'
  | 'grid_worker';

export type ScopeLevel = 'city' | 'subdistrict' | 'community' | 'grid' | 'department';

export interface Scope {
  level: ScopeLevel;
  id: number | null;
  code: string | null;
  name: string;
  /** For a grid: its community; for a community: its subdistrict. */
  parent?: { id: number; name: string };
}

export interface Me {
  user: { id: number; username: string; display_name: string };
  role: Role;
  role_label: string;
  scope: Scope;
  csrfToken: string;
  expiresAt: string;
}

export interface LoginResult {
  csrfToken: string;
  expiresAt: string;
}

/** 401 here just means "not signed in": the caller decides, no redirect. */
export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return getJson<Me>(apiUrl('me'), signal, { redirectOn401: false });
}

export function login(username: string, password: string): Promise<LoginResult> {
  return postJson<LoginResult>(apiUrl('auth/login'), { username, password }, { redirectOn401: false });
}

export function logout(): Promise<{ ok: boolean }> {
  return postJson<{ ok: boolean }>(apiUrl('auth/logout'), {}, { redirectOn401: false });
}
