// Issue 7: body limits, control characters, caching and CSP headers, the CSRF refusal's
// wording, JSON content types in any letter case, the exact absolute session limit, the
// statement timeout's answer, and a health check that never waits for the database.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import { parseBasemapOrigins } from '../config.ts';
import { openDb, type Db } from '../db/index.ts';
import { apiBodyLimit, KB, MB } from './body-limit.ts';
import { onError } from './errors.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let secretary: Signed, subdistrict: Signed, admin: Signed;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  secretary = await signIn(app, 'secretary-422801001001', 'enshi-demo', '10.8.0.1');
  subdistrict = await signIn(app, 'subdistrict-422801001', 'enshi-demo', '10.8.0.2');
  admin = await signIn(app, 'admin', 'enshi-demo', '10.8.0.3');
});
afterAll(() => db?.close());

const bilingual = /[\u4e00-\u9fff].*\(.*[a-z].*\)/;
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

describe('body limits', () => {
  it('refuses a 50 MB sign-in body with 413 before reading it', async () => {
    let pulled = 0;
    // A body that counts what is read from it: the limit must answer from Content-Length.
    const body = new ReadableStream({
      pull(controller) {
        pulled += 64 * KB;
        if (pulled > 50 * MB) controller.close();
        else controller.enqueue(new Uint8Array(64 * KB));
      },
    });
    const res = await app.request('/api/auth/login', {
      method: 'POST', body, duplex: 'half',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(50 * MB) },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(bilingual);
    expect(pulled).toBeLessThanOrEqual(64 * KB * 2); // at most the stream's read-ahead
  });

  it('refuses a chunked body as soon as it passes the limit', async () => {
    const res = await app.request('/api/auth/login', {
      method: 'POST', duplex: 'half',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: new Blob([JSON.stringify({ username: 'planner', password: 'x'.repeat(8 * KB) })]).stream(),
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(/4 KB/);
  });

  it('gives every other API route a 64 KB default', async () => {
    const res = await app.request('/api/auth/logout', {
      method: 'POST', headers: { ...secretary.write, 'Content-Length': String(65 * KB) }, body: 'x'.repeat(65 * KB),
    });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(/64 KB/);
  });

  it('lets a route ask for more than the default', async () => {
    const upload = new Hono().use(apiBodyLimit({ 'POST /photos': 20 * MB }, 64 * KB))
      .post('/api/photos', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }))
      .post('/api/notes', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
    upload.onError(onError);
    const big = new Uint8Array(MB);
    expect((await upload.request('/api/photos', { method: 'POST', body: big })).status).toBe(200);
    expect((await upload.request('/api/notes', { method: 'POST', body: big })).status).toBe(413);
  });
});

describe('control characters in text input', () => {
  // Every query parameter every GET route takes (the zod schemas in routes/*), plus one the
  // route does not know: a control character must be a 400 before anything else looks at it.
  const PARAMS: Record<string, string[]> = {
    '/api/health': ['x'],
    '/api/me': ['x'],
    '/api/subdistricts': ['x'],
    '/api/communities': ['subdistrict'],
    '/api/grids': ['subdistrict', 'community'],
    '/api/city-outline': ['x'],
    '/api/households': ['x'],
    '/api/households/records': ['community', 'grid', 'q', 'difficulty', 'unlinked', 'limit', 'offset'],
    '/api/roster': ['community'],
    '/api/links': ['community', 'grid'],
    '/api/business-links': ['community', 'grid'],
    '/api/audit': ['before', 'entity', 'limit'],
    '/api/client-config': ['x'],
    '/api/cases': ['status', 'category', 'level', 'overdue', 'grid', 'community', 'subdistrict', 'department', 'q', 'near', 'limit', 'offset'],
    '/api/cases/by-category': ['status', 'grid', 'community', 'subdistrict'],
    '/api/cases/:id': ['x'],
    '/api/cases/:id/party-members': ['x'],
    '/api/cases/:id/suggestions': ['x'],
    '/api/resources': ['department'],
    '/api/needs': ['status', 'community', 'stalled', 'limit', 'offset'],
    '/api/needs/summary': ['x'],
    '/api/needs/:id': ['x'],
    '/api/needs/:id/suggestions': ['x'],
    '/api/cases/:id/photos/:photoId': ['thumb'],
    '/api/case-categories': ['x'],
    '/api/events': ['lastEventId'],
    '/api/kpis': ['level', 'id', 'from', 'to', 'group'],
    '/api/kpis/trend': ['level', 'id', 'to', 'days'],
    '/api/blocks': ['community'],
    '/api/plans': ['community'],
    '/api/plans/:id': ['x'],
    '/api/plans/:id/geojson': ['x'],
    '/api/plans/:id/gpkg': ['x'],
    '/api/plans/:id/revert-preview': ['x'],
    '/api/departments': ['x'],
    '/api/tokens': ['x'],
    '/api/communities/:id/partners': ['x'],
    '/api/powers': ['kind', 'category', 'q'],
    '/api/workforce': ['x'],
    '/api/workforce/workers': ['community'],
    '/api/vanguard': ['community'],
    '/api/vanguard/teams/:id': ['x'],
    '/api/vanguard/teams/:id/candidates': ['x'],
    '/api/organisations': ['kind', 'community', 'serves', 'q', 'limit', 'offset'],
    '/api/organisations/:id': ['x'],
    '/api/evaluation': ['subject', 'community', 'limit', 'offset'],
    '/api/basemap': ['x'],
    '/api/coverage': ['kind'],
    '/api/public/categories': ['x'],
    '/api/public/reports/:token': ['x'],
    '/api/exports/households': ['format', 'community', 'grid', 'q', 'difficulty', 'unlinked'],
    '/api/exports/cases': ['format', 'status', 'category', 'level', 'overdue', 'grid', 'community', 'subdistrict', 'department', 'q'],
    '/api/exports/needs': ['format', 'status', 'community', 'stalled'],
    '/api/exports/kpis': ['format', 'level', 'id', 'from', 'to', 'group'],
    '/api/places': ['q'],
    '/api/places/at': ['lon', 'lat'],
    '/api/public/places': ['q'],
    '/api/public/places/at': ['lon', 'lat'],
  };

  it('the sweep covers every GET route', () => {
    const served = app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/api/') && !r.path.endsWith('*')).map((r) => r.path);
    expect([...new Set(served)].sort()).toEqual(Object.keys(PARAMS).sort());
  });

  for (const [route, params] of Object.entries(PARAMS)) {
    it(`GET ${route}: NUL, BEL, ESC and DEL in ${params.join(', ')} → 400`, async () => {
      for (const param of params) {
        for (const ch of ['%00', '%07', '%1B', '%7F', '%C2%85']) {
          const headers = route === '/api/audit' ? admin.headers : subdistrict.headers;
          const res = await app.request(`${route}?${param}=1${ch}2`, { headers });
          expect(res.status, `${route}?${param}=1${ch}2`).toBe(400);
          expect(await errorOf(res)).toMatch(/控制字符.*control character/);
        }
      }
    });
  }

  it('POST /api/auth/login: NUL in the username or the password → 400, no failure counted', async () => {
    for (const body of [{ username: 'plan\u0000ner', password: 'enshi-demo' }, { username: 'planner', password: 'enshi\u0000demo' },
                        { username: 'planner', password: 'enshi-demo', ['x\u0001']: 1 }]) {
      const res = await app.request('/api/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.8.1.1' }, body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(bilingual);
    }
    expect((await db.query(`SELECT count(*) AS n FROM auth_failures WHERE ip = '10.8.1.1'`)).rows[0].n).toBe(0);
  });

  it('still accepts ordinary Chinese text', async () => {
    const res = await app.request(`/api/households/records?q=${encodeURIComponent('路')}`, { headers: secretary.headers });
    expect(res.status).toBe(200);
  });
});

describe('headers', () => {
  it('personal data, tokens and errors are never cached', async () => {
    const login = await app.request('/api/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.8.2.1' },
      body: JSON.stringify({ username: 'planner', password: 'enshi-demo' }),
    });
    expect(login.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/api/households/records', '/api/roster', '/api/links', '/api/business-links', '/api/me', '/api/households/records?limit=0']) {
      const res = await app.request(path, { headers: secretary.headers });
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await app.request('/api/audit', { headers: admin.headers })).headers.get('cache-control')).toBe('no-store');
    expect((await app.request('/api/me')).headers.get('cache-control')).toBe('no-store');
    // Shared map layers keep their ETag revalidation.
    expect((await app.request('/api/grids', { headers: secretary.headers })).headers.get('cache-control')).toBe('no-cache');
  });

  it('the CSP names no wildcard and forbids framing, foreign base URIs and form targets', async () => {
    const csp = (await app.request('/api/health')).headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    for (const [name, values] of Object.entries(directives)) {
      for (const v of values) expect(v, name).not.toMatch(/^(https?:|\*|.*\*.*)$/);
    }
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'self'"]);
    expect(directives['form-action']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
  });

  it('lets exactly the configured basemap origins in', async () => {
    const origins = parseBasemapOrigins({ GRID_ATLAS_BASEMAP_ORIGINS: 'https://tiles.example.com, https://fonts.example.com:8443/' });
    expect(origins).toEqual(['https://tiles.example.com', 'https://fonts.example.com:8443']);
    expect(parseBasemapOrigins({ VITE_BASEMAP_STYLE_URL: 'https://tiles.example.com/styles/basic.json?key=1' })).toEqual(['https://tiles.example.com']);
    expect(() => parseBasemapOrigins({ GRID_ATLAS_BASEMAP_ORIGINS: '*' })).toThrow(/origin/);
    const csp = (await createApp({ db, basemapOrigins: origins }).request('/api/health')).headers.get('content-security-policy')!;
    expect(csp).toMatch(/connect-src 'self' https:\/\/tiles\.example\.com https:\/\/fonts\.example\.com:8443(;|$)/);
    expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/tiles\.example\.com/);
  });

  it('a cross-site form post is refused with the bilingual error body', async () => {
    const res = await app.request('http://localhost/api/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: 'username=planner&password=enshi-demo',
    });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatch(/跨站.*cross-site/);
  });

  it('accepts a JSON content type in any letter case', async () => {
    for (const type of ['Application/JSON', 'APPLICATION/JSON; charset=UTF-8']) {
      const res = await app.request('/api/auth/login', {
        method: 'POST', headers: { 'Content-Type': type, 'X-Forwarded-For': '10.8.3.1' },
        body: JSON.stringify({ username: 'planner', password: 'enshi-demo' }),
      });
      expect(res.status, type).toBe(200);
    }
  });
});

describe('sessions', () => {
  it('end exactly 12 hours after sign-in, even when the idle window says otherwise', async () => {
    const s = await signIn(app, 'dept-13', 'enshi-demo', '10.8.4.1');
    expect((await app.request('/api/me', { headers: s.headers })).status).toBe(200);
    // Used a minute ago (so no sliding write happens), idle window still open, but signed in 12 h 1 min ago.
    await db.query(`UPDATE sessions SET created_at = now() - interval '12 hours 1 minute', last_seen_at = now() - interval '30 seconds',
                           expires_at = now() + interval '1 hour'
                     WHERE user_id = (SELECT id FROM users WHERE username = 'dept-13')`);
    expect((await app.request('/api/me', { headers: s.headers })).status).toBe(401);
  });

  it('a sign-out counts from the very next request, also among concurrent ones', async () => {
    const s = await signIn(app, 'dept-14', 'enshi-demo', '10.8.4.2');
    const before = await Promise.all(Array.from({ length: 20 }, () => app.request('/api/me', { headers: s.headers })));
    expect(before.every((r) => r.status === 200)).toBe(true);
    expect((await app.request('/api/auth/logout', { method: 'POST', headers: s.write })).status).toBe(200);
    const after = await Promise.all(Array.from({ length: 20 }, () => app.request('/api/me', { headers: s.headers })));
    expect(after.every((r) => r.status === 401)).toBe(true);
  });
});

describe('slow queries and the health check', () => {
  it('a statement timeout is a 503 with a bilingual message', async () => {
    const timingOut = { ...db, query: async () => { throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }); } } as Db;
    const res = await createApp({ db: timingOut }).request('/api/me', { headers: secretary.headers });
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toMatch(/超时.*took too long/);
  });

  it('PostgreSQL cancels a statement past statement_timeout; PGlite does not (so the embedded queries are bounded instead)', async () => {
    const short = await openDb({ ...(db.kind === 'postgres' ? { databaseUrl: db.connectionString } : { embeddedUrl: db.connectionString }), dataDir: '', statementTimeoutMs: 100 });
    try {
      const run = short.query('SELECT pg_sleep(0.4)').then(() => 'finished', (err) => (err as { code?: string }).code);
      expect(await run).toBe(db.kind === 'postgres' ? '57014' : 'finished');
    } finally {
      await short.close();
    }
  });

  it('/api/health answers from memory while the database is busy', async () => {
    let release!: () => void;
    const busy = new Promise<void>((r) => (release = r));
    let blocked = false;
    const gated = { ...db, query: async (text: string, values?: unknown[]) => {
      if (blocked) await busy;
      return db.query(text, values);
    } } as Db;
    const gatedApp = createApp({ db: gated });
    expect((await gatedApp.request('/api/health')).status).toBe(200); // the first probe fills the cache
    blocked = true;
    const order: string[] = [];
    const probe = Promise.resolve(gatedApp.request('/api/health')).then(async (r) => { order.push(`health ${r.status}`); return r.json(); });
    const unblock = new Promise((r) => setTimeout(r, 1000)).then(() => { order.push('database free'); release(); });
    const body = (await probe) as any;
    await unblock;
    expect(order).toEqual(['health 200', 'database free']);
    expect(body.counts.households).toBe(95_402);
  });
});
