import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import { hashPassword } from '../auth/password.ts';
import { MAX_PER_ACCOUNT, MAX_PER_ADDRESS } from '../auth/throttle.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
});
afterAll(async () => {
  await db.query('DELETE FROM auth_failures');
  await db?.close();
});

const login = (username: string, password: string, ip: string, url = 'http://localhost/api/auth/login') =>
  app.request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ username, password }),
  });

describe('sign-in', () => {
  it('sets an httpOnly, SameSite=Strict session cookie and returns a CSRF token', async () => {
    const res = await login('planner', 'enshi-demo', '10.2.0.1');
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ga_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    expect(((await res.json()) as any).csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it('marks the cookie Secure over https', async () => {
    const res = await login('planner', 'enshi-demo', '10.2.0.2', 'https://atlas.example/api/auth/login');
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('says the same thing for an unknown user and a wrong password', async () => {
    const a = await login('nobody-here', 'whatever-it-is', '10.2.0.3');
    const b = await login('planner', 'wrong-password', '10.2.0.3');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await a.json()).toEqual(await b.json());
  });

  it('rejects a form post and malformed bodies', async () => {
    const form = await app.request('/api/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=planner&password=enshi-demo',
    });
    expect([403, 415]).toContain(form.status);
    const empty = await app.request('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as any).error).toMatch(/username/);
  });

  it('refuses a cross-site form post by its Origin', async () => {
    const res = await app.request('http://localhost/api/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: 'username=planner&password=enshi-demo',
    });
    expect(res.status).toBe(403);
  });

  it('GET /api/me returns the user, role and scope', async () => {
    const s = await signIn(app, 'secretary-422801001001', 'enshi-demo', '10.2.0.4');
    const me = (await (await app.request('/api/me', { headers: s.headers })).json()) as any;
    expect(me).toMatchObject({ role: 'community_secretary', role_label: '社区书记', scope: { level: 'community', code: '422801001001', name: '官坡社区' } });
    expect(me.user.username).toBe('secretary-422801001001');
    expect(me).not.toHaveProperty('password_hash');
  });
});

describe('the interface language', () => {
  it('is zh-CN until the account chooses English, kept per account; a bad choice is a 400 and changes nothing', async () => {
    // An account of its own: the demo accounts are signed in by browser tests running beside this one.
    const username = `locale-probe-${process.pid}`;
    await db.query(`INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, '语言测试', 'planner', $2)`,
      [username, await hashPassword('enshi-demo')]);
    try {
      const s = await signIn(app, username, 'enshi-demo', '10.2.0.5');
      const me = async () => ((await (await app.request('/api/me', { headers: s.headers })).json()) as { locale: string }).locale;
      const put = (body: string, headers: Record<string, string> = s.write) =>
        app.request('/api/me/locale', { method: 'PUT', headers, body });
      expect(await me()).toBe('zh-CN');

      const res = await put(JSON.stringify({ locale: 'en' }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ locale: 'en' });
      expect(await me()).toBe('en');
      // another account is untouched
      const other = await signIn(app, 'planner', 'enshi-demo', '10.2.0.6');
      expect(((await (await app.request('/api/me', { headers: other.headers })).json()) as { locale: string }).locale).toBe('zh-CN');

      for (const [body, words] of [
        [JSON.stringify({ locale: 'fr' }), /语言只能是 zh-CN 或 en/],
        [JSON.stringify({ locale: 'en', theme: 'dark' }), /theme/],
        [JSON.stringify({}), /locale/],
        ['{"locale":', /JSON/i],
      ] as const) {
        const bad = await put(body);
        expect(bad.status, body).toBe(400);
        expect(((await bad.json()) as { error: string }).error).toMatch(words);
      }
      expect((await put(JSON.stringify({ locale: 'zh-CN' }), { ...s.write, 'X-CSRF-Token': 'forged' })).status).toBe(403);
      expect(await me()).toBe('en');
    } finally {
      await db.query(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)`, [username]);
      await db.query(`DELETE FROM users WHERE username = $1`, [username]);
    }
  });
});

describe('throttling', () => {
  it(`locks an account after ${MAX_PER_ACCOUNT} failures, even for the right password`, async () => {
    for (let i = 0; i < MAX_PER_ACCOUNT; i++) expect((await login('dept-24', 'wrong-password', `10.3.0.${i}`)).status).toBe(401);
    const locked = await login('dept-24', 'enshi-demo', '10.3.0.99');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as any).error).toMatch(/再试|try again/);
    // Other accounts are unaffected.
    expect((await login('dept-23', 'enshi-demo', '10.3.0.98')).status).toBe(200);
  });

  it(`locks an address after ${MAX_PER_ADDRESS} failures across accounts`, async () => {
    for (let i = 0; i < MAX_PER_ADDRESS; i++) await login(`no-such-user-${i}`, 'wrong-password', '10.4.0.1');
    expect((await login('dept-22', 'enshi-demo', '10.4.0.1')).status).toBe(429);
    expect((await login('dept-22', 'enshi-demo', '10.4.0.2')).status).toBe(200);
  });
});

describe('sessions and CSRF', () => {
  it('answers API calls without a session with 401, except health', async () => {
    expect((await app.request('/api/grids')).status).toBe(401);
    expect((await app.request('/api/me', { headers: { Cookie: 'ga_session=forged-token' } })).status).toBe(401);
    expect((await app.request('/api/health')).status).toBe(200);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const s = await signIn(app, 'planner', 'enshi-demo', '10.5.0.1');
    const none = await app.request('/api/auth/logout', { method: 'POST', headers: s.headers });
    expect(none.status).toBe(403);
    const wrong = await app.request('/api/auth/logout', { method: 'POST', headers: { ...s.headers, 'X-CSRF-Token': 'nope' } });
    expect(wrong.status).toBe(403);
    expect((await app.request('/api/me', { headers: s.headers })).status).toBe(200);
    const ok = await app.request('/api/auth/logout', { method: 'POST', headers: s.write });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/ga_session=;/);
    expect((await app.request('/api/me', { headers: s.headers })).status).toBe(401);
  });

  it('ends an expired session', async () => {
    const s = await signIn(app, 'planner', 'enshi-demo', '10.5.0.2');
    expect((await app.request('/api/me', { headers: s.headers })).status).toBe(200);
    await db.query(`UPDATE sessions SET expires_at = now() - interval '1 second'
                     WHERE user_id = (SELECT id FROM users WHERE username = 'planner')`);
    const res = await app.request('/api/me', { headers: s.headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error).toMatch(/登录|sign in/);
  });

  it('never extends a session past 12 hours from sign-in', async () => {
    const s = await signIn(app, 'leader', 'enshi-demo', '10.5.0.3');
    await db.query(`UPDATE sessions SET created_at = now() - interval '11 hours 59 minutes', last_seen_at = now() - interval '5 minutes'
                     WHERE user_id = (SELECT id FROM users WHERE username = 'leader')`);
    const me = (await (await app.request('/api/me', { headers: s.headers })).json()) as any;
    const left = new Date(me.expiresAt).getTime() - Date.now();
    expect(left).toBeLessThan(2 * 60_000);
  });
});

describe('security headers', () => {
  it('are on every response', async () => {
    for (const path of ['/api/health', '/api/grids', '/api/nothing']) {
      const res = await app.request(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY'); // and CSP frame-ancestors 'none'
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toBeTruthy();
    }
  });
});

describe('audit log', () => {
  it('records sign-ins, and only admins can read it', async () => {
    const s = await signIn(app, 'admin', 'enshi-demo', '10.6.0.1');
    const body = (await (await app.request('/api/audit?limit=5', { headers: s.headers })).json()) as any;
    expect(body.entries[0]).toMatchObject({ actor: 'admin', action: 'login', entity: 'session', ip: '10.6.0.1' });
    const leader = await signIn(app, 'leader', 'enshi-demo', '10.6.0.2');
    expect((await app.request('/api/audit', { headers: leader.headers })).status).toBe(403);
    expect((await app.request('/api/audit?limit=9999', { headers: s.headers })).status).toBe(400);
  });
});
