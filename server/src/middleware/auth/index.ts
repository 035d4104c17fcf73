// Requires a signed-in session for every API route except the public ones, and a matching
// CSRF token on every state-changing request. Unauthenticated → 401; bad CSRF token → 403.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { lookupSession, SESSION_COOKIE } from '../../auth/sessions.ts';
import type { Db } from '../../db/index.ts';
import type { AppEnv } from '../../http/env.ts';

export interface AuthOptions {
  /**
   * "METHOD /path" pairs (path relative to the API mount) that need no session; a path ending
   * in "/*" covers everything below it (e.g. a resident's follow link, whose token is in the path).
   */
  publicRoutes: string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'X-CSRF-Token';

export function requireSession(db: Db, options: AuthOptions): MiddlewareHandler<AppEnv> {
  const publicRoutes = new Set(options.publicRoutes.filter((r) => !r.endsWith('/*')));
  const publicPrefixes = options.publicRoutes.filter((r) => r.endsWith('/*')).map((r) => r.slice(0, -1));
  return async (c, next) => {
    const route = `${c.req.method} ${c.req.path.replace(/^\/api/, '')}`;
    if (publicRoutes.has(route) || publicPrefixes.some((p) => route.startsWith(p))) return next();
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await lookupSession(db, token) : null;
    if (!found) throw new HTTPException(401, { message: '请先登录 (sign in first; the session is missing or has expired)' });
    if (!SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== found.session.csrfToken) {
      throw new HTTPException(403, { message: `缺少或错误的 ${CSRF_HEADER} (missing or wrong CSRF token)` });
    }
    c.set('user', found.user);
    c.set('session', found.session);
    c.set('dataVersion', found.dataVersion);
    await next();
  };
}
