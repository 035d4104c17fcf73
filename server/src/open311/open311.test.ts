// Open311 GeoReport v2 with raw HTTP as the spec writes it: services, a single request, the
// standard filters, the spec's error array, no personal data in public reads, and POST with an
// API key (form fields as the spec sends them, or JSON).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import { parseOpen311Keys } from '../config.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
const PHONE = '13977770311';
// A window in 2021 that no other test files cases in.
const DAY = '2021-06-03';
const at = (h: number) => new Date(`${DAY}T0${h}:00:00+08:00`);
const KEY = 'test-open311-key-0123456789abcdef';
let openNo = '';
let closedNo = '';

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true, open311Keys: { [KEY]: 'hotline12345' } });
  const { rows } = await db.query<{ id: number }>('SELECT id FROM grids ORDER BY id OFFSET 40 LIMIT 1');
  const a = await insertCase(db, { grid_id: rows[0].id, status: 'in_progress', created_at: at(1), reporter_phone: PHONE });
  const b = await insertCase(db, { grid_id: rows[0].id, status: 'closed', created_at: at(2), reporter_phone: PHONE,
    resolved_at: at(3), closed_at: at(4) });
  const n = await db.query<{ id: number; number: string }>('SELECT id, number FROM cases WHERE id = ANY($1)', [[a.id, b.id]]);
  openNo = n.rows.find((r) => r.id === a.id)!.number;
  closedNo = n.rows.find((r) => r.id === b.id)!.number;
});
afterAll(() => db?.close());

const get = (path: string) => app.request(`http://localhost/open311/v2${path}`);

describe('Open311 GeoReport v2 (read)', () => {
  it('lists the case categories as services and describes one', async () => {
    const res = await get('/services.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const services = await res.json();
    const garbage = services.find((s: any) => s.service_code === 'garbage');
    expect(garbage).toMatchObject({ metadata: false, type: 'realtime' });
    expect(garbage.service_name).toBeTruthy();
    const one = await get('/services/garbage.json');
    expect(await one.json()).toEqual({ service_code: 'garbage', attributes: [] });
    const missing = await get('/services/no_such_service.json');
    expect(missing.status).toBe(404);
    const body = await missing.json();
    expect(body[0].code).toBe(404);
    expect(body[0].description).toMatch(/no such service/);
  });

  it('reads one request back: open or closed with status notes, and no personal data', async () => {
    const res = await get(`/requests/${closedNo}.json`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const [r] = JSON.parse(text);
    expect(r).toMatchObject({ service_request_id: closedNo, status: 'closed', service_code: 'garbage' });
    expect(r.status_notes).toBeTruthy();
    expect(r.requested_datetime).toBe(at(2).toISOString());
    // coordinates rounded to 3 decimals
    expect(Math.round(r.lat * 1000) / 1000).toBe(r.lat);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('测试事件');
    const open = await (await get(`/requests/${openNo}.json`)).json();
    expect(open[0].status).toBe('open');
    expect((await get('/requests/ES20990101-000000.json')).status).toBe(404);
  });

  it('filters by date, status, service code and ids', async () => {
    const window = `start_date=${DAY}T00:00:00%2B08:00&end_date=${DAY}T23:59:59%2B08:00`;
    const ids = async (q: string) => (await (await get(`/requests.json?${q}`)).json()).map((r: any) => r.service_request_id);
    expect((await ids(window)).filter((n: string) => n === openNo || n === closedNo).sort()).toEqual([openNo, closedNo].sort());
    expect(await ids(`${window}&status=open`)).toContain(openNo);
    expect(await ids(`${window}&status=open`)).not.toContain(closedNo);
    expect(await ids(`${window}&status=closed`)).toContain(closedNo);
    expect(await ids(`${window}&service_code=no_such_service`)).toEqual([]);
    expect(await ids(`service_request_id=${openNo},${closedNo}`)).toHaveLength(2);
    // the default window is the last 90 days: 2021 is outside it
    expect(await ids('')).not.toContain(openNo);
  });

  it('answers bad filters with the spec error array and a 4xx', async () => {
    for (const q of ['start_date=yesterday', 'end_date=2021-13-45', 'status=pending']) {
      const res = await get(`/requests.json?${q}`);
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body[0].code, q).toBe(400);
    }
    expect((await get('/requests.xml')).status).toBe(404);
    expect((await get(`/requests/${openNo}.xml`)).status).toBe(400);
    expect((await get('/requests.json?status=open%01')).status).toBe(400);
  });
});

describe('POST requests.json', () => {
  const point = async () => (await db.query<{ lon: number; lat: number }>(
    'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY id OFFSET 41 LIMIT 1) x')).rows[0];
  const form = (fields: Record<string, string | number>) => app.request('/open311/v2/requests.json', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))).toString(),
  });
  const count = async () => Number((await db.query('SELECT count(*) AS n FROM cases')).rows[0].n);

  it('files a resident\'s request with a valid api_key and answers the spec\'s array', async () => {
    const p = await point();
    const res = await form({ api_key: KEY, service_code: 'road_damage', lat: p.lat, long: p.lon, description: '人行道地砖松动，老人容易绊倒', phone: '13977770312', address_string: '金桂大道 3 号' });
    expect(res.status).toBe(201);
    const [body] = (await res.json()) as any[];
    expect(body.service_request_id).toMatch(/^ES\d{8}-\d{4}$/);
    const row = (await db.query<any>(
      `SELECT c.reporter_kind, c.reporter_user_id, c.reporter_phone, r.channel FROM cases c JOIN public_reports r ON r.case_id = c.id WHERE c.number = $1`,
      [body.service_request_id])).rows[0];
    expect(row).toEqual({ reporter_kind: 'resident', reporter_user_id: null, reporter_phone: '13977770312', channel: 'open311' });
    const audit = (await db.query<any>(`SELECT actor FROM audit_log WHERE entity = 'case' AND after->>'number' = $1`, [body.service_request_id])).rows[0];
    expect(audit.actor).toBe('open311:hotline12345');
    // It reads back through the public side, without the phone.
    const read = await app.request(`/open311/v2/requests/${body.service_request_id}.json`);
    expect(read.status).toBe(200);
    expect(await read.text()).not.toContain('13977770312');
  });

  it('refuses a missing or wrong api_key, bad fields and a place outside the city, storing nothing', async () => {
    const p = await point();
    const good = { api_key: KEY, service_code: 'road_damage', lat: p.lat, long: p.lon, description: '路灯不亮已经一周了' };
    const before = await count();
    const cases: [Record<string, string | number>, number, RegExp][] = [
      [{ ...good, api_key: '' }, 403, /api_key/],
      [{ ...good, api_key: `${KEY}x` }, 403, /api_key/],
      [{ ...good, service_code: 'nope' }, 400, /类别/],
      [{ ...good, long: 'east' }, 400, /long/],
      [{ ...good, description: '灯' }, 400, /description/],
      [{ ...good, phone: '1' }, 400, /phone/],
      [{ ...good, long: 100.0, lat: 30.0 }, 400, /不在恩施市城区/],
    ];
    for (const [fields, status, message] of cases) {
      const res = await form(fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      const body = (await res.json()) as any[];
      expect(body[0].code).toBe(status);
      expect(body[0].description).toMatch(message);
    }
    const xml = await app.request('/open311/v2/requests.json', { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<x/>' });
    expect(xml.status).toBe(415); // a body type the route does not read
    expect(((await xml.json()) as any[])[0].code).toBe(415);
    expect(await count()).toBe(before);
    // Without any key configured, POST is off for everyone.
    const off = createApp({ db });
    const res = await off.request('/open311/v2/requests.json', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...good }) });
    expect(res.status).toBe(403);
  });
});

describe('GRID_ATLAS_OPEN311_KEYS', () => {
  it('reads name=key pairs and refuses short or malformed keys', () => {
    const key = 'k'.repeat(24);
    expect(parseOpen311Keys({ GRID_ATLAS_OPEN311_KEYS: ` hotline=${key} , app=${key}2 ` })).toEqual({ [key]: 'hotline', [`${key}2`]: 'app' });
    expect(parseOpen311Keys({})).toEqual({});
    expect(() => parseOpen311Keys({ GRID_ATLAS_OPEN311_KEYS: 'hotline=short' })).toThrow(/name=key/);
    expect(() => parseOpen311Keys({ GRID_ATLAS_OPEN311_KEYS: key })).toThrow(/name=key/);
  });
});
