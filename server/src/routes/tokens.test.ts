// Personal access tokens: created and shown once, listed without the secret, used as
// Authorization: Bearer on the OGC API with the user's own scope (and refused by the /api
// routes), revoked by their owner only; bad input refused with a 4xx that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_TOKENS } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
const as: Record<string, Signed> = {};
const SECRETARY = 'secretary-422801001001';
// A user no other test file signs in as, for the limit on active tokens and deactivation.
const SPARE = 'secretary-422801002003';

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  as.secretary = await signIn(app, SECRETARY, undefined, '10.8.0.1');
  as.leader = await signIn(app, 'leader', undefined, '10.8.0.2');
  as.spare = await signIn(app, SPARE, undefined, '10.8.0.3');
});
afterAll(async () => {
  await db?.query('UPDATE users SET active = true WHERE username = $1', [SPARE]);
  // Revoked, so a database reused by the next run has room (10 active a user).
  await db?.query(`UPDATE personal_access_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND name IN ('QGIS 办公室', 'GDAL')`);
  await db?.close();
});

const create = (who: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request('/api/tokens', { method: 'POST', headers: { ...as[who].write, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const revoke = (who: string, id: number | string) =>
  app.request(`/api/tokens/${id}/revoke`, { method: 'POST', headers: as[who].write });
const list = async (who: string) => ((await (await app.request('/api/tokens', { headers: as[who].headers })).json()) as any).tokens as any[];
const ogc = (path: string, token: string) => app.request(`http://atlas.test/ogc${path}`, { headers: { Authorization: `Bearer ${token}` } });
const tokenRows = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_access_tokens')).rows[0].n;

describe('personal access tokens', () => {
  it('created once, shown once, listed without the secret, audited without it', async () => {
    const res = await create('secretary', { name: '  QGIS 办公室  ' });
    expect(res.status).toBe(201);
    const made = (await res.json()) as any;
    expect(made.token).toMatch(/^gat_[A-Za-z0-9_-]{43}$/);
    expect(made).toMatchObject({ name: 'QGIS 办公室', prefix: made.token.slice(0, 10), last_used_at: null, revoked_at: null });
    const listed = await list('secretary');
    expect(listed.find((t) => t.id === made.id)).toEqual({ id: made.id, name: 'QGIS 办公室', prefix: made.prefix, created_at: made.created_at, last_used_at: null, revoked_at: null });
    const stored = (await db.query<{ token_hash: string }>('SELECT token_hash FROM personal_access_tokens WHERE id = $1', [made.id])).rows[0];
    expect(stored.token_hash).not.toContain(made.token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await db.query<{ row: string }>(`SELECT row_to_json(a)::text AS row FROM audit_log a WHERE entity = 'access_token' AND entity_id = $1`, [String(made.id)]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].row).not.toContain(made.token.slice(4));
    // another user's list does not show it
    expect((await list('leader')).some((t) => t.id === made.id)).toBe(false);
  });

  it('reads the OGC API with its user\'s scope, and nothing under /api', async () => {
    const made = (await (await create('secretary', { name: 'GDAL' })).json()) as any;
    const community = (await db.query<{ id: number; n: number }>(
      `SELECT c.id, count(g.id)::int AS n FROM communities c JOIN grids g ON g.community_id = c.id WHERE c.code = '422801001001' GROUP BY c.id`)).rows[0];
    const res = await ogc('/collections/grids/items?limit=1000', made.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.numberMatched).toBe(community.n);
    expect(body.features.every((f: any) => f.properties.community_id === community.id)).toBe(true);
    expect((await list('secretary')).find((t) => t.id === made.id).last_used_at).not.toBeNull();
    // a token is no session: the API answers 401, and no write gets through with it
    for (const [method, path] of [['GET', '/api/me'], ['GET', '/api/grids'], ['POST', '/api/tokens']]) {
      const r = await app.request(path, { method, headers: { Authorization: `Bearer ${made.token}`, 'Content-Type': 'application/json' }, body: method === 'POST' ? '{"name":"x"}' : undefined });
      expect(r.status, path).toBe(401);
    }
  });

  it('revoked by its owner: refused from then on; another user\'s token is a 404 and stays', async () => {
    const made = (await (await create('secretary', { name: '临时' })).json()) as any;
    expect((await ogc('/collections', made.token)).status).toBe(200);
    const other = await revoke('leader', made.id);
    expect(other.status).toBe(404);
    expect((await ogc('/collections', made.token)).status).toBe(200);
    const res = await revoke('secretary', made.id);
    expect(res.status).toBe(200);
    const revoked = (await res.json()) as any;
    expect(revoked.revoked_at).not.toBeNull();
    const refused = await ogc('/collections', made.token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any)).toMatchObject({ code: 'Unauthorized', description: expect.stringMatching(/revoked/) });
    // even the public landing page: a stale credential is said to be stale
    expect((await ogc('', made.token)).status).toBe(401);
    // revoking again changes nothing
    const again = (await (await revoke('secretary', made.id)).json()) as any;
    expect(again.revoked_at).toBe(revoked.revoked_at);
    const listed = await list('secretary');
    // unrevoked first
    const firstRevoked = listed.findIndex((t) => t.revoked_at !== null);
    expect(listed.slice(firstRevoked).every((t) => t.revoked_at !== null)).toBe(true);
  });

  it('a deactivated user\'s tokens stop working', async () => {
    const made = (await (await create('spare', { name: '停用测试' })).json()) as any;
    expect((await ogc('/collections', made.token)).status).toBe(200);
    await db.query('UPDATE users SET active = false WHERE username = $1', [SPARE]);
    expect((await ogc('/collections', made.token)).status).toBe(401);
    await db.query('UPDATE users SET active = true WHERE username = $1', [SPARE]);
    expect((await ogc('/collections', made.token)).status).toBe(200);
    await revoke('spare', made.id);
  });

  it(`at most ${MAX_ACTIVE_TOKENS} active tokens; revoking one makes room`, async () => {
    const active = (await list('spare')).filter((t) => t.revoked_at === null).length;
    for (let i = active; i < MAX_ACTIVE_TOKENS; i++) expect((await create('spare', { name: `第 ${i + 1} 个` })).status).toBe(201);
    const before = await tokenRows();
    const full = await create('spare', { name: '多一个' });
    expect(full.status).toBe(409);
    expect(((await full.json()) as any).error).toMatch(/at most 10 active tokens/);
    expect(await tokenRows()).toBe(before);
    const first = (await list('spare')).find((t) => t.revoked_at === null);
    await revoke('spare', first.id);
    expect((await create('spare', { name: '腾出位置后' })).status).toBe(201);
    for (const t of (await list('spare')).filter((x) => x.revoked_at === null)) await revoke('spare', t.id);
  });

  it('bad input: a clear 4xx, and no token made or revoked', async () => {
    const before = await tokenRows();
    const bad: [unknown, number, RegExp][] = [
      [{}, 400, /name/],
      [{ name: '   ' }, 400, /name is required/],
      [{ name: 'x'.repeat(61) }, 400, /at most 60/],
      [{ name: 'ok', scope: 'admin' }, 400, /unknown parameter.*scope|scope/],
      [{ name: 42 }, 400, /name/],
      ['{"name":', 400, /JSON/],
      [{ name: 'a\u0000b' }, 400, /control character/],
    ];
    for (const [body, status, message] of bad) {
      const res = await create('secretary', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(((await res.json()) as any).error).toMatch(message);
    }
    const form = await create('secretary', 'name=x', { 'Content-Type': 'text/plain', Origin: 'http://localhost' });
    expect(form.status).toBe(415);
    const big = await create('secretary', { name: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(await tokenRows()).toBe(before);
    const revokedBefore = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_access_tokens WHERE revoked_at IS NOT NULL')).rows[0].n;
    for (const id of ['0', '01', 'abc', '2147483648']) expect((await revoke('secretary', id)).status, id).toBe(400);
    expect((await revoke('secretary', 2_000_000_000)).status).toBe(404);
    expect((await app.request('/api/tokens?all=1', { headers: as.secretary.headers })).status).toBe(400);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_access_tokens WHERE revoked_at IS NOT NULL')).rows[0].n).toBe(revokedBefore);
    // malformed bearer credentials on the OGC API
    for (const header of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer gat_short', `Bearer gat_${'A'.repeat(43)}`]) {
      const res = await app.request('http://atlas.test/ogc/collections', { headers: { Authorization: header } });
      expect(res.status, header).toBe(401);
      expect(((await res.json()) as any).code).toBe('Unauthorized');
    }
  });

  it('anonymous: 401 on every token route', async () => {
    expect((await app.request('/api/tokens')).status).toBe(401);
    expect((await app.request('/api/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' })).status).toBe(401);
    expect((await app.request('/api/tokens/1/revoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
  });
});
