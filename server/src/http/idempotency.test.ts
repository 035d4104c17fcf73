// Idempotency-Key on every filing route (cases, the residents' reports, Open311, needs): a retry
// with the same key and request is answered what the first got and files nothing; the same key
// with another request is 422; a bad key 400; keys are per caller and forgotten after 24 hours;
// and the key is committed with the filing or not at all.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { openTestDb } from '../../../test/db.ts';
import { castAround, type Cast, type Persona } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { filingStats } from '../cases/filing.ts';
import { idempotencyKeyHash, pruneIdempotencyKeys } from './idempotency.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
const OPEN311_KEY = 'test-idempotency-open311-key-0123456789';

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true, open311Keys: { [OPEN311_KEY]: 'idem-hotline' } });
  cast = await castAround(app, db, '10.92.0');
});
afterAll(() => db?.close());

const newKey = () => crypto.randomUUID();
const tagged = (what: string) => `${what} ${crypto.randomUUID()}`;

async function send(path: string, init: RequestInit) {
  const res = await app.request(path, init);
  const text = await res.text();
  let body: any = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, text, replayed: res.headers.get('Idempotent-Replayed') };
}

const fileCase = (key: string | null, body: Record<string, unknown>, who: Persona = 'grid') => send('/api/cases', {
  method: 'POST',
  headers: { ...cast.signed[who].write, ...(key === null ? {} : { 'Idempotency-Key': key }) },
  body: JSON.stringify(body),
});
const caseBody = (description: string, extra: Record<string, unknown> = {}) => ({ category: 'garbage', description, ...cast.point, ...extra });
const casesWith = async (description: string) =>
  Number((await db.query('SELECT count(*)::int AS n FROM cases WHERE description = $1', [description])).rows[0].n);

describe('POST /api/cases with an Idempotency-Key', () => {
  it('a retry with the same key and body is answered the first answer and files nothing', async () => {
    const key = newKey();
    const d = tagged('幂等重试');
    const first = await fileCase(key, caseBody(d));
    expect(first.status, first.text).toBe(201);
    expect(first.replayed).toBeNull();
    for (let i = 0; i < 2; i++) {
      const again = await fileCase(key, caseBody(d));
      expect(again.status, again.text).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.replayed).toBe('true');
    }
    expect(await casesWith(d)).toBe(1);
    // Without a key, the same body is another filing.
    expect((await fileCase(null, caseBody(d))).status).toBe(201);
    expect(await casesWith(d)).toBe(2);
  });

  it('the same key with another body is 422 and files nothing', async () => {
    const key = newKey();
    const d = tagged('幂等冲突');
    expect((await fileCase(key, caseBody(d))).status).toBe(201);
    const other = await fileCase(key, caseBody(`${d} 改`));
    expect(other.status, other.text).toBe(422);
    expect(other.body.error).toMatch(/^[^(]*[\u4e00-\u9fff][^(]*\(.+\)$/);
    expect(await casesWith(`${d} 改`)).toBe(0);
  });

  it('refuses an ill-formed key with 400 and files nothing', async () => {
    const d = tagged('坏键');
    for (const key of ['', 'x'.repeat(256), 'a\tb', '\u00e9t\u00e9']) {
      const r = await fileCase(key, caseBody(d));
      expect(r.status, JSON.stringify(key)).toBe(400);
      expect(r.body.error).toMatch(/Idempotency-Key/);
    }
    expect((await fileCase('x'.repeat(255), caseBody(d))).status).toBe(201);
    expect(await casesWith(d)).toBe(1);
  });

  it('keys are per user: the same key from another user is their own filing', async () => {
    const key = newKey();
    const d = tagged('各自的键');
    const a = await fileCase(key, caseBody(d), 'grid');
    const b = await fileCase(key, caseBody(d), 'admin');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
    expect(await casesWith(d)).toBe(2);
  });

  it('the same request sent twice at once files once: the other is 409 or the replayed answer', async () => {
    for (let round = 0; round < 3; round++) {
      const key = newKey();
      const d = tagged('并发重试');
      const [a, b] = await Promise.all([fileCase(key, caseBody(d)), fileCase(key, caseBody(d))]);
      const ok = [a, b].filter((r) => r.status === 201);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      for (const r of [a, b]) expect([201, 409], r.text).toContain(r.status);
      if (ok.length === 2) expect(ok[0].body).toEqual(ok[1].body);
      expect(await casesWith(d)).toBe(1);
    }
  });

  it('filings batched together each store their own answer under their own key', async () => {
    const tag = tagged('批量幂等');
    const burst = Array.from({ length: 24 }, (_, i) => ({ key: newKey(), d: `${tag} #${i}` }));
    const before = filingStats(db).batches;
    const first = await Promise.all(burst.map((b) => fileCase(b.key, caseBody(b.d))));
    for (const r of first) expect(r.status, r.text).toBe(201);
    // They did ride in batches of several.
    expect(filingStats(db).batches - before).toBeLessThan(burst.length);
    const again = await Promise.all(burst.map((b) => fileCase(b.key, caseBody(b.d))));
    again.forEach((r, i) => {
      expect(r.status).toBe(201);
      expect(r.replayed).toBe('true');
      expect(r.body).toEqual(first[i].body);
    });
    for (const b of burst) expect(await casesWith(b.d)).toBe(1);
  });

  it('with photos: a retry with a new form of the same content replays; other photos are 422', async () => {
    const jpeg = (colour: string) => sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).jpeg().toBuffer();
    const [red, blue] = [await jpeg('#c33'), await jpeg('#33c')];
    const d = tagged('带照片');
    const key = newKey();
    const form = (photo: Buffer) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(caseBody(d))) f.append(k, String(v));
      f.append('photo', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'p.jpg');
      return f;
    };
    const { 'Content-Type': _json, ...headers } = cast.signed.grid.write;
    const post = (photo: Buffer) => send('/api/cases', {
      method: 'POST', headers: { ...headers, Origin: 'http://localhost', 'Idempotency-Key': key }, body: form(photo),
    });
    const first = await post(red);
    expect(first.status, first.text).toBe(201);
    const again = await post(red);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await post(blue)).status).toBe(422);
    expect(await casesWith(d)).toBe(1);
  });

  it('commits the key with the case or neither: a key already taken rolls the filing back', async () => {
    // As if another server process had stored this key for another request a moment earlier:
    // the batch's statement fails on the key, and no case of it is left behind.
    const key = newKey();
    const d = tagged('同语句');
    await db.query(`INSERT INTO idempotency_keys (key_hash, fingerprint, status, body) VALUES ($1, 'another request', 201, '{}')`,
      [idempotencyKeyHash(`user:${cast.users.grid.id}`, key)]);
    const r = await fileCase(key, caseBody(d));
    expect(r.status, r.text).toBe(422);
    expect(await casesWith(d)).toBe(0);
    // Every answer stored for this test file's filings belongs to a committed case.
    const orphans = await db.query(
      `SELECT k.body FROM idempotency_keys k WHERE k.body LIKE '{"id"%' AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = (k.body::json ->> 'id')::int)`);
    expect(orphans.rows).toEqual([]);
  });

  it('forgets a key after 24 hours: the request is then filed anew, and old keys are pruned', async () => {
    const key = newKey();
    const d = tagged('过期');
    expect((await fileCase(key, caseBody(d))).status).toBe(201);
    const hash = idempotencyKeyHash(`user:${cast.users.grid.id}`, key);
    await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key_hash = $1`, [hash]);
    const later = await fileCase(key, caseBody(d));
    expect(later.status).toBe(201);
    expect(later.replayed).toBeNull();
    expect(await casesWith(d)).toBe(2);
    await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key_hash = $1`, [hash]);
    expect(await pruneIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    expect((await db.query('SELECT 1 FROM idempotency_keys WHERE key_hash = $1', [hash])).rowCount).toBe(0);
  });
});

describe('POST /api/public/reports with an Idempotency-Key', () => {
  const report = (key: string, body: unknown, ip = `203.0.113.${crypto.randomInt(1, 255)}`) => send('/api/public/reports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip, 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });

  it('a retry (from another address too) gets the same case and follow token; the token is not stored readable', async () => {
    const key = newKey();
    const d = tagged('居民重试');
    const first = await report(key, caseBody(d));
    expect(first.status, first.text).toBe(201);
    const again = await report(key, caseBody(d));
    expect(again.status).toBe(201);
    expect(again.replayed).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await casesWith(d)).toBe(1);
    const stored = (await db.query<{ body: string | null; sealed: Buffer }>('SELECT body, sealed FROM idempotency_keys WHERE key_hash = $1',
      [idempotencyKeyHash('public:web', key)])).rows[0];
    expect(stored.body).toBeNull();
    expect(stored.sealed.toString('latin1')).not.toContain(first.body.token);
    expect((await report(key, caseBody(`${d} 改`))).status).toBe(422);
    expect(await casesWith(`${d} 改`)).toBe(0);
  });
});

describe('Open311 POST requests.json with an Idempotency-Key', () => {
  const post = (key: string, description: string) => send('http://localhost/open311/v2/requests.json', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': key },
    body: new URLSearchParams({ api_key: OPEN311_KEY, service_code: 'garbage', lat: String(cast.point.lat), long: String(cast.point.lon), description }),
  });

  it('replays the first answer; another request under the key is a GeoReport 422; a bad key a GeoReport 400', async () => {
    const key = newKey();
    const d = tagged('热线重试');
    const first = await post(key, d);
    expect(first.status, first.text).toBe(201);
    const again = await post(key, d);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await casesWith(d)).toBe(1);
    const other = await post(key, `${d} 改`);
    expect(other.status).toBe(422);
    expect(other.body).toEqual([{ code: 422, description: expect.stringMatching(/Idempotency-Key/) }]);
    const bad = await post('x'.repeat(300), d);
    expect(bad.status).toBe(400);
    expect(bad.body[0].code).toBe(400);
    expect(await casesWith(`${d} 改`)).toBe(0);
  });
});

describe('POST /api/needs with an Idempotency-Key', () => {
  it('a retry gets the first answer and gathers nothing more', async () => {
    const key = newKey();
    const title = tagged('加装扶手');
    const body = { title, description: '3 栋老人多', category: 'garbage', building: '3栋', households: 12, ...cast.point };
    const gather = (b: unknown) => send('/api/needs', {
      method: 'POST', headers: { ...cast.signed.member.write, 'Idempotency-Key': key }, body: JSON.stringify(b),
    });
    const first = await gather(body);
    expect(first.status, first.text).toBe(201);
    const again = await gather(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await gather({ ...body, households: 13 })).status).toBe(422);
    expect(Number((await db.query('SELECT count(*)::int AS n FROM needs WHERE title = $1', [title])).rows[0].n)).toBe(1);
  });
});
