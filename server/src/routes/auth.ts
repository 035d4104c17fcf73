// Sign-in, sign-out and "who am I". The session cookie is httpOnly and SameSite=Strict
// (Secure over https); the CSRF token travels in the JSON body and comes back in a header.
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { DEFAULT_LOCALE, localeBody, loginBody, ROLE_LABELS, type Locale, type LocaleBody, type LoginResult, type Me } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { verifyPassword } from '../auth/password.ts';
import { createSession, deleteSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { attemptFailed, attemptSucceeded, reserveAttempt, WINDOW_MINUTES } from '../auth/throttle.ts';
import type { Db } from '../db/index.ts';
import { clientIp } from '../http/client-ip.ts';
import type { AppEnv } from '../http/env.ts';
import { requireJson, validJson } from '../http/validate.ts';
import { describeScope } from '../users/scope-names.ts';

export interface AuthRouteOptions {
  trustProxy: boolean;
  /** Mark the cookie Secure even when the request arrives over plain http (behind TLS termination). */
  secureCookies: boolean;
}

// A fixed hash to verify against when the username is unknown, so the response time does
// not reveal which usernames exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function authRoutes(db: Db, options: AuthRouteOptions) {
  return new Hono<AppEnv>()
    .post('/auth/login', requireJson, validJson(loginBody), async (c) => {
      const { username, password } = c.req.valid('json');
      const ip = clientIp(c, options.trustProxy);

      // The attempt is counted before the password is checked (see auth/throttle.ts).
      const reservation = await reserveAttempt(db, username, ip);
      if (!reservation.allowed) {
        const wait = reservation.retryAfter;
        c.header('Retry-After', String(wait));
        throw new HTTPException(429, { message: `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试 (too many failed sign-ins; try again in ${wait} s)` });
      }
      const { rows } = await db.query<{ id: number; username: string; password_hash: string; active: boolean }>(
        `SELECT id, username, password_hash, active FROM users WHERE username = $1`, [username]);
      const user = rows[0];
      const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) {
        await attemptFailed(db);
        const who = { userId: user?.id ?? null, actor: username, entity: 'session' as const, ip };
        await db.withClient(async (client) => {
          await audit(client, { ...who, action: 'login_failed' });
          // The failure that uses up the allowance locks the account (or the address).
          if (reservation.locks) {
            await audit(client, { ...who, action: 'lockout', after: { locked: reservation.locks, for_minutes: WINDOW_MINUTES } });
          }
        });
        throw new HTTPException(401, { message: '用户名或密码错误 (wrong username or password)' });
      }
      await attemptSucceeded(db, username, reservation.attemptId);
      const session = await createSession(db, user.id, { ip, userAgent: c.req.header('User-Agent') ?? '' });
      await audit(db, { userId: user.id, actor: user.username, action: 'login', entity: 'session', ip });
      const https = new URL(c.req.url).protocol === 'https:';
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true, sameSite: 'Strict', secure: https || options.secureCookies, path: '/',
        // The cookie may outlive the idle window; the server decides when the session ends.
        maxAge: 12 * 3600,
      });
      const result: LoginResult = { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
      return c.json(result);
    })
    .post('/auth/logout', async (c) => {
      const user = c.get('user');
      await deleteSession(db, c.get('session').tokenHash);
      await audit(db, { userId: user.id, actor: user.username, action: 'logout', entity: 'session', ip: clientIp(c, options.trustProxy) });
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true as const });
    })
    .get('/me', async (c) => {
      const user = c.get('user');
      const { rows } = await db.query<{ locale: Locale }>(`SELECT locale FROM users WHERE id = $1`, [user.id]);
      const me: Me = {
        user: { id: user.id, username: user.username, display_name: user.display_name },
        role: user.role,
        role_label: ROLE_LABELS[user.role],
        locale: rows[0]?.locale ?? DEFAULT_LOCALE,
        scope: await describeScope(db, user),
        csrfToken: c.get('session').csrfToken,
        expiresAt: c.get('session').expiresAt.toISOString(),
      };
      return c.json(me);
    })
    // The account's interface language: a preference of the person signed in, nobody else's.
    .put('/me/locale', requireJson, validJson(localeBody), async (c) => {
      const { locale } = c.req.valid('json');
      await db.query(`UPDATE users SET locale = $2 WHERE id = $1`, [c.get('user').id, locale]);
      return c.json<LocaleBody>({ locale });
    });
}
