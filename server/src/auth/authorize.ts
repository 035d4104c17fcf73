// Role checks as middleware on the route chains, so a handler never starts for a caller
// who may not use it. Scope (which rows) is enforced in SQL; these decide whether at all.
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { ROLE_LABELS, seesPersonalData, type Role } from '@grid-atlas/contract';
import type { AppEnv } from '../http/env.ts';

/** Only these roles; everyone else gets 403 naming who may. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(roles);
  const who = roles.map((r) => ROLE_LABELS[r]).join('、');
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!allowed.has(c.get('user').role)) {
      throw new HTTPException(403, { message: `只有${who}可以使用此功能 (only ${roles.join(', ')} may use this)` });
    }
    await next();
  });
}

/** Household heads' names, phones and exact addresses: only roles that work their own area. */
export const requirePersonalData: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  if (!seesPersonalData(c.get('user').role)) {
    throw new HTTPException(403, { message: '此角色不能查看住户个人信息 (this role does not see personal household data)' });
  }
  await next();
});
