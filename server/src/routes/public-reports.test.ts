// The residents' report API without an account: filing, bad input refused with nothing stored,
// abuse limits per address and per phone, the private follow link showing only its own case and
// no one's personal data, and the rating once the case is closed.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PUBLIC_REPORT_LIMITS } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { act, call, castAround, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.71.0');
});
afterAll(() => db?.close());

// Every test files from its own addresses and phone numbers: the suite shares one database.
const address = () => `198.51.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
const phone = () => `139${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;

function post(body: unknown, ip = address()) {
  return app.request('/api/public/reports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify(body),
  });
}
const good = (extra: Record<string, unknown> = {}) => ({ category: 'garbage', description: '小区门口垃圾桶满溢好几天了', ...cast.point, ...extra });

const counts = async () => (await db.query(
  `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM public_reports) AS reports,
          (SELECT count(*) FROM case_photos) AS photos, (SELECT count(*) FROM audit_log) AS audit`)).rows[0];

describe('filing a report without an account', () => {
  it('lists the categories to anyone', async () => {
    const res = await app.request('/api/public/categories');
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.categories.length).toBeGreaterThan(5);
    expect(Object.keys(body.categories[0]).sort()).toEqual(['code', 'group', 'name']);
  });

  it('files a case the community sees, and returns a follow link that only stores its hash', async () => {
    const tel = phone();
    const res = await post(good({ phone: tel.replace(/^(\d{3})(\d{4})/, '$1-$2 '), address: '舞阳大街 12 号门口' }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.number).toMatch(/^ES\d{8}-\d{4}$/);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.follow).toBe(`/report/${body.token}`);
    const row = (await db.query<any>(
      `SELECT c.id, c.reporter_kind, c.reporter_user_id, c.reporter_phone, c.status, c.community_id, r.token_hash, r.channel
         FROM cases c JOIN public_reports r ON r.case_id = c.id WHERE c.number = $1`, [body.number])).rows[0];
    expect(row).toMatchObject({ reporter_kind: 'resident', reporter_user_id: null, reporter_phone: tel, status: 'submitted', community_id: cast.grid.community_id, channel: 'web' });
    expect(row.token_hash).toBe(crypto.createHash('sha256').update(body.token).digest('hex'));
    expect(JSON.stringify(await db.query('SELECT * FROM public_reports WHERE case_id = $1', [row.id]))).not.toContain(body.token);
    const ev = (await db.query<any>('SELECT actor_user_id, actor_label FROM case_events WHERE case_id = $1', [row.id])).rows;
    expect(ev).toEqual([{ actor_user_id: null, actor_label: '居民' }]);
    // The community's secretary has it in the inbox, with the phone to call back.
    const seen = await call(app, cast.signed.secretary, 'GET', `/api/cases/${row.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.case).toMatchObject({ reporter_kind: 'resident', reporter_phone: tel });
  });

  it('takes photos as multipart, like the staff form', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#a74' } }).jpeg().toBuffer();
    const form = new FormData();
    for (const [k, v] of Object.entries(good())) form.append(k, String(v));
    form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'a.jpg');
    form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'b.jpg');
    const res = await app.request('/api/public/reports', { method: 'POST', headers: { 'X-Forwarded-For': address(), Origin: 'http://localhost' }, body: form });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as any;
    const status = (await (await app.request(`/api/public/reports/${token}`)).json()) as any;
    expect(status.photos).toBe(2);
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    const before = await counts();
    const west = (await db.query<any>(`SELECT ST_XMin(ST_Extent(geom)) AS x, ST_YMin(ST_Extent(geom)) AS y FROM grids`)).rows[0];
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    const cases: [string, () => Response | Promise<Response>, number, RegExp][] = [
      ['no place', () => post({ category: 'garbage', description: '没有位置的反映内容' }), 400, /地图上选择位置/],
      ['outside the city', () => post(good({ lon: Number(west.x) - 0.05, lat: Number(west.y) })), 400, /不在恩施市城区/],
      ['too short', () => post(good({ description: '脏' })), 400, /至少 5 个字/],
      ['bad phone', () => post(good({ phone: '12345' })), 400, /手机号/],
      ['unknown category', () => post(good({ category: 'no_such_thing' })), 400, /未知的案件类别/],
      ['unknown field', () => post(good({ status: 'closed' })), 400, /status/],
      ['not JSON', () => app.request('/api/public/reports', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address() }, body: '{' }), 400, /JSON/],
      ['five photos', () => {
        const form = new FormData();
        for (const [k, v] of Object.entries(good())) form.append(k, String(v));
        for (let i = 0; i < 5; i++) form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), `${i}.jpg`);
        return app.request('/api/public/reports', { method: 'POST', headers: { 'X-Forwarded-For': address(), Origin: 'http://localhost' }, body: form });
      }, 400, /最多 4 张/],
      ['a photo over 5 MB', () => {
        const form = new FormData();
        for (const [k, v] of Object.entries(good())) form.append(k, String(v));
        form.append('photo', new Blob([new Uint8Array(5 * 1024 * 1024 + 1)], { type: 'image/jpeg' }), 'big.jpg');
        return app.request('/api/public/reports', { method: 'POST', headers: { 'X-Forwarded-For': address(), Origin: 'http://localhost' }, body: form });
      }, 413, /5 MB/],
      ['not an image', () => {
        const form = new FormData();
        for (const [k, v] of Object.entries(good())) form.append(k, String(v));
        form.append('photo', new Blob([new TextEncoder().encode('<script>')], { type: 'image/jpeg' }), 'x.jpg');
        return app.request('/api/public/reports', { method: 'POST', headers: { 'X-Forwarded-For': address(), Origin: 'http://localhost' }, body: form });
      }, 415, /照片|image|photo/i],
    ];
    for (const [what, send, status, message] of cases) {
      const res = await send();
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as any).error, what).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('abuse limits', () => {
  it(`refuses the ${PUBLIC_REPORT_LIMITS.perAddressHour + 1}th report from one address within the hour, with Retry-After`, async () => {
    const ip = address();
    for (let i = 0; i < PUBLIC_REPORT_LIMITS.perAddressHour; i++) expect((await post(good(), ip)).status).toBe(201);
    const before = await counts();
    const res = await post(good(), ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(3000);
    expect(((await res.json()) as any).error).toMatch(/每小时最多 5 条/);
    expect(await counts()).toEqual(before);
    // Another address is not affected.
    expect((await post(good())).status).toBe(201);
  });

  it(`refuses a phone number's ${PUBLIC_REPORT_LIMITS.perPhoneDay + 1}th report of the day from any address`, async () => {
    const tel = phone();
    for (let i = 0; i < PUBLIC_REPORT_LIMITS.perPhoneDay; i++) expect((await post(good({ phone: tel }))).status).toBe(201);
    const res = await post(good({ phone: tel }));
    expect(res.status).toBe(429);
    expect(((await res.json()) as any).error).toMatch(/电话号码今天已提交/);
  });

  it('lets only the limit through when the same address files in parallel', async () => {
    const ip = address();
    const all = await Promise.all(Array.from({ length: 8 }, () => post(good(), ip)));
    expect(all.filter((r) => r.status === 201)).toHaveLength(PUBLIC_REPORT_LIMITS.perAddressHour);
    expect(all.filter((r) => r.status === 429)).toHaveLength(8 - PUBLIC_REPORT_LIMITS.perAddressHour);
  });
});

describe('the private follow link', () => {
  async function filed(extra: Record<string, unknown> = {}) {
    const body = (await (await post(good(extra))).json()) as any;
    const id = (await db.query<{ id: number }>('SELECT id FROM cases WHERE number = $1', [body.number])).rows[0].id;
    return { ...body, id };
  }

  it('shows its own case, its progress and no personal data or staff names', async () => {
    const tel = phone();
    const mine = await filed({ phone: tel, address: '自家楼下' });
    const other = await filed({ description: '另一位居民反映的路灯不亮问题' });
    const res = await app.request(`/api/public/reports/${mine.token}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ number: mine.number, status: 'submitted', status_label: '已收到', rating: null, can_rate: false });
    expect(body.category).toMatch(/^[a-z_]+$/);
    expect(body.level_label).toBe(({ grid: '网格', community: '社区', subdistrict: '街道', city: '市级' } as Record<string, string>)[body.level]);
    expect(body.timeline).toEqual([expect.objectContaining({ action: 'submit', label: '已收到您的反映' })]);
    const text = JSON.stringify(body);
    for (const secret of [tel, '自家楼下', other.number, '另一位居民']) expect(text).not.toContain(secret);
    // The secretary accepts it: the resident sees the step, not who took it.
    await act(app, cast, 'grid', mine.id, { action: 'accept' });
    const later = (await (await app.request(`/api/public/reports/${mine.token}`)).json()) as any;
    expect(later.timeline.map((e: any) => [e.action, e.label])).toEqual([['submit', '已收到您的反映'], ['accept', '已受理']]);
    expect(JSON.stringify(later)).not.toMatch(/grid-|网格员|actor/);
  });

  it('answers 404 for a wrong or malformed token', async () => {
    for (const t of [crypto.randomBytes(32).toString('base64url'), 'short', '../../cases/1', `${'a'.repeat(43)}/rate`]) {
      const res = await app.request(`/api/public/reports/${encodeURIComponent(t)}`);
      expect(res.status, t).toBe(404);
    }
  });

  it('takes one rating once the case is closed; bad ratings change nothing', async () => {
    const mine = await filed();
    const rate = (body: unknown, token = mine.token) => app.request(`/api/public/reports/${token}/rate`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const early = await rate({ rating: 5 });
    expect(early.status).toBe(409);
    expect(((await early.json()) as any).error).toMatch(/办结后才能评价/);
    // Worked to the end by the people who would do it.
    for (const [who, body] of [
      ['grid', { action: 'accept' }],
      ['grid', { action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment }],
      ['deptAssigned', { action: 'claim' }],
      ['deptAssigned', { action: 'start' }],
      ['deptAssigned', { action: 'resolve', note: '已清运完毕' }],
      ['grid', { action: 'verify' }],
      ['grid', { action: 'close' }],
    ] as const) await act(app, cast, who, mine.id, body);
    expect(((await (await app.request(`/api/public/reports/${mine.token}`)).json()) as any).can_rate).toBe(true);
    for (const bad of [{ rating: 6 }, { rating: 0 }, { rating: 4.5 }, {}, { rating: 5, extra: 1 }]) {
      const res = await rate(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await rate({ rating: 5 }, crypto.randomBytes(32).toString('base64url'))).status).toBe(404);
    const ok = await rate({ rating: 4, note: '处理及时，谢谢' });
    expect(ok.status).toBe(200);
    const again = await rate({ rating: 1 });
    expect(again.status).toBe(409);
    const row = (await db.query<any>('SELECT rating, rated_at FROM cases WHERE id = $1', [mine.id])).rows[0];
    expect(row.rating).toBe(4);
    expect(row.rated_at).not.toBeNull();
    const status = (await (await app.request(`/api/public/reports/${mine.token}`)).json()) as any;
    expect(status).toMatchObject({ rating: 4, can_rate: false });
    expect(status.timeline.at(-1)).toMatchObject({ label: '您已评价', note: '处理及时，谢谢' });
  });
});
