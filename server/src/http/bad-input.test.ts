// Bad input that used to reach the database (a 500) or be stored as sent: look-alike JSON
// content types, control characters in forms and paths, ids out of PostgreSQL's int4 range or
// in a non-canonical spelling, filters naming units that do not exist, and Open311 errors in
// the spec's shape. Each answer is a 4xx and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { call, castAround, fileCase, type Cast } from '../../../test/cases.ts';
import { tableChecksums } from '../../../test/checksum.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
let caseId: number;
let resourceId: number;
const KEY = 'bad-input-open311-key-0123456789';
const TOKEN = 'A'.repeat(43);

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true, open311Keys: { [KEY]: 'bad-input' } });
  cast = await castAround(app, db, '10.91.0');
  caseId = (await fileCase(app, cast)).id;
  const r = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', {
    name: '坏输入测试资源', kind: 'service', capacity: 3, categories: ['garbage'], community_ids: null,
  });
  expect(r.status).toBe(201);
  resourceId = r.body.id;
});
afterAll(() => db?.close());

const bilingual = /[\u4e00-\u9fff].*\(.*[a-z].*\)/;
// A same-site page: hono/csrf lets form-like types (text/plain, forms, no type) through only from our origin.
const SAME_SITE = { Origin: 'http://localhost' };

/** Every state-changing route the app serves, with its path parameters filled in. */
function writeRoutes(): { route: string; method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { route: string; method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) || r.path.endsWith('*')) continue;
    const route = `${r.method} ${r.path}`;
    if (seen.has(route)) continue;
    seen.add(route);
    out.push({ route, method: r.method, path: r.path.replace(':id', String(caseId)).replace(':token', TOKEN) });
  }
  return out;
}

describe('1. a JSON route takes application/json only', () => {
  const LOOK_ALIKES = ['application/jsonp', 'application/json5', 'text/plain', 'text/plain; charset=utf-8', 'application/json-patch+json', null];

  it('the routes named in the issue answer a look-alike type with 415 and store nothing', async () => {
    const routes: [string, string, Record<string, unknown>, keyof Cast['signed'] | null][] = [
      ['POST', '/api/cases', { category: 'garbage', ...cast.point, description: '坏\u0000输入' }, 'grid'],
      ['POST', `/api/cases/${caseId}/actions`, { action: 'comment', note: '坏\u0000输入' }, 'grid'],
      ['POST', '/api/public/reports', { category: 'garbage', ...cast.point, description: '坏\u0000输入很长的描述' }, null],
      ['POST', '/api/needs', { title: '坏\u0000输入', category: 'garbage', ...cast.point }, 'grid'],
      ['POST', '/api/needs/1/actions', { action: 'urge', note: '坏\u0000输入' }, 'taskforce'],
      ['POST', '/api/resources', { name: '坏\u0000输入', kind: 'service', capacity: 1, categories: [], community_ids: null }, 'deptAssigned'],
      ['PATCH', `/api/resources/${resourceId}`, { name: '坏\u0000输入' }, 'deptAssigned'],
    ];
    const before = await tableChecksums(db);
    for (const [method, path, body, who] of routes) {
      for (const type of LOOK_ALIKES) {
        const headers: Record<string, string> = { ...SAME_SITE, ...(who ? cast.signed[who].write : { 'X-Forwarded-For': '10.91.9.9' }) };
        delete headers['Content-Type'];
        if (type) headers['Content-Type'] = type;
        const res = await app.request(path, { method, headers, body: JSON.stringify(body) });
        expect(res.status, `${method} ${path} as ${type}`).toBe(415);
        expect(((await res.json()) as any).error, `${method} ${path} as ${type}`).toMatch(bilingual);
      }
    }
    expect(await tableChecksums(db)).toEqual(before);
  });

  it('every other write route too (found from the app, so a new route is covered)', async () => {
    for (const { route, method, path } of writeRoutes()) {
      for (const type of ['application/jsonp', 'text/plain', null]) {
        const headers: Record<string, string> = { ...SAME_SITE, ...cast.signed.planner.write };
        delete headers['Content-Type'];
        if (type) headers['Content-Type'] = type;
        const res = await app.request(path, { method, headers, body: '{"x":"\u0000"}' });
        expect(res.status, `${route} as ${type}`).toBe(415);
      }
    }
  });

  it('application/json with parameters, in any letter case, is still JSON', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      const res = await app.request(`/api/resources/${resourceId}`, {
        method: 'PATCH', headers: { ...cast.signed.deptAssigned.write, 'Content-Type': type }, body: JSON.stringify({ capacity: 4 }),
      });
      expect(res.status, type).toBe(200);
    }
  });

  it('routes that read no body still take a request without one', async () => {
    // a session of its own, so the cast's stay signed in
    const other = await signIn(app, 'planner', undefined, '10.91.8.1');
    const headers: Record<string, string> = { ...SAME_SITE, ...other.write };
    delete headers['Content-Type'];
    expect((await app.request('/api/auth/logout', { method: 'POST', headers })).status).toBe(200);
  });
});

describe('2. control characters in forms are refused like those in JSON', () => {
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };

  it('multipart case filings and public reports: NUL, ESC, BEL, BS, C1 → 400 naming the field, nothing stored', async () => {
    const before = await tableChecksums(db);
    for (const ch of ['\u0000', '\u001b', '\u0007', '\u0008', '\u0085', '\u007f']) {
      const fields = { category: 'garbage', lon: String(cast.point.lon), lat: String(cast.point.lat), description: `楼下垃圾${ch}三天未清运` };
      const headers: Record<string, string> = { ...SAME_SITE, ...cast.signed.grid.write };
      delete headers['Content-Type'];
      const staff = await app.request('/api/cases', { method: 'POST', headers, body: form(fields) });
      expect(staff.status, JSON.stringify(ch)).toBe(400);
      expect(((await staff.json()) as any).error).toMatch(/description.*控制字符|控制字符.*description/);
      const pub = await app.request('/api/public/reports', { method: 'POST', headers: { ...SAME_SITE, 'X-Forwarded-For': '10.91.7.1' }, body: form(fields) });
      expect(pub.status, JSON.stringify(ch)).toBe(400);
      expect(((await pub.json()) as any).error).toMatch(/description/);
      const keyed = await app.request('/api/public/reports', { method: 'POST', headers: { ...SAME_SITE, 'X-Forwarded-For': '10.91.7.1' },
        body: form({ ...fields, description: '楼下垃圾三天未清运', [`x${ch}`]: '1' }) });
      expect(keyed.status, `key ${JSON.stringify(ch)}`).toBe(400);
    }
    expect(await tableChecksums(db)).toEqual(before);
  });

  it('Open311 form bodies: the same rule, as a GeoReport error', async () => {
    const before = await tableChecksums(db);
    for (const ch of ['\u0000', '\u001b', '\u0007', '\u0008', '\u0085']) {
      const body = new URLSearchParams({ api_key: KEY, service_code: 'garbage', lat: String(cast.point.lat), long: String(cast.point.lon),
        description: `楼下垃圾${ch}三天未清运` });
      const res = await app.request('/open311/v2/requests.json', { method: 'POST', body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(res.status, JSON.stringify(ch)).toBe(400);
      const err = (await res.json()) as any;
      expect(err).toEqual([{ code: 400, description: expect.stringMatching(/description/) }]);
    }
    expect(await tableChecksums(db)).toEqual(before);
  });

  it('tab, newline and carriage return still pass in a form, as in JSON', async () => {
    const f = form({ category: 'garbage', lon: String(cast.point.lon), lat: String(cast.point.lat), description: '楼下垃圾\t三天\r\n未清运' });
    const headers: Record<string, string> = { ...SAME_SITE, ...cast.signed.grid.write };
    delete headers['Content-Type'];
    expect((await app.request('/api/cases', { method: 'POST', headers, body: f })).status).toBe(201);
  });
});

describe('3. control characters in path parameters', () => {
  it('Open311 services and requests → 4xx in the spec\'s shape', async () => {
    for (const path of ['/open311/v2/services/%00.json', '/open311/v2/requests/ES%00.json', '/open311/v2/services/%1B.json']) {
      const res = await app.request(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(await res.json()).toEqual([{ code: res.status, description: expect.stringMatching(bilingual) }]);
    }
  });

  it('API paths too', async () => {
    const res = await app.request(`/api/public/reports/${'A'.repeat(42)}%00`, { method: 'GET' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('4. ids beyond PostgreSQL int4', () => {
  it('resources: community_ids [2147483648] → 400, nothing stored', async () => {
    const before = await tableChecksums(db);
    const post = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources',
      { name: '越界', kind: 'service', capacity: 1, categories: [], community_ids: [2147483648] });
    expect(post.status).toBe(400);
    expect(post.body.error).toMatch(/community_ids/);
    const patch = await call(app, cast.signed.deptAssigned, 'PATCH', `/api/resources/${resourceId}`, { community_ids: [2147483648] });
    expect(patch.status).toBe(400);
    for (const bad of [0, -1, 1.5, '1']) {
      expect((await call(app, cast.signed.deptAssigned, 'PATCH', `/api/resources/${resourceId}`, { community_ids: [bad] })).status, String(bad)).toBe(400);
    }
    expect(await tableChecksums(db)).toEqual(before);
  });

  it('in paths and queries: 2147483648 is malformed (400), 2147483647 merely does not exist (404)', async () => {
    for (const path of ['/api/cases/2147483648', '/api/needs/2147483648', '/api/plans/2147483648', '/api/cases?grid=2147483648',
                        '/api/resources?department=2147483648', '/api/kpis?level=grid&id=2147483648']) {
      expect((await call(app, cast.signed.planner, 'GET', path)).status, path).toBe(400);
    }
    for (const path of ['/api/cases/2147483647', '/api/needs/2147483647', '/api/plans/2147483647']) {
      expect((await call(app, cast.signed.planner, 'GET', path)).status, path).toBe(404);
    }
  });
});

describe('5. ids are canonical decimals', () => {
  const spellings = (id: number) => [`0x${id.toString(16)}`, `${id}e0`, `+${id}`, `0${id}`, `${id}.0`, `%20${id}`, `${id}%20`, `${id}n`];

  it('PATCH /api/resources/<another spelling of the id> → 400 and the resource is unchanged', async () => {
    const before = await tableChecksums(db);
    for (const s of spellings(resourceId)) {
      const r = await call(app, cast.signed.deptAssigned, 'PATCH', `/api/resources/${s}`, { capacity: 99 });
      expect(r.status, s).toBe(400);
      expect(r.body.error, s).toMatch(bilingual);
    }
    expect(await tableChecksums(db)).toEqual(before);
  });

  it('case, need and photo paths, and query filters, the same', async () => {
    for (const s of spellings(caseId)) {
      expect((await call(app, cast.signed.grid, 'GET', `/api/cases/${s}`)).status, s).toBe(400);
      expect((await call(app, cast.signed.grid, 'POST', `/api/cases/${s}/actions`, { action: 'comment', note: '拼写' })).status, s).toBe(400);
      expect((await call(app, cast.signed.grid, 'GET', `/api/needs/${s}`)).status, s).toBe(400);
      expect((await call(app, cast.signed.grid, 'GET', `/api/cases/${caseId}/photos/${s}`)).status, s).toBe(400);
    }
    for (const q of ['department=0x1', 'department=1e0', 'department=+1', 'department=01', 'department=1.0', 'department=%201']) {
      expect((await call(app, cast.signed.grid, 'GET', `/api/resources?${q}`)).status, q).toBe(400);
      expect((await call(app, cast.signed.grid, 'GET', `/api/cases?${q}`)).status, q).toBe(400);
    }
  });
});

describe('6. a filter naming a unit that does not exist, or lies outside the caller\'s scope, is a 404', () => {
  it('cases, needs and resources lists', async () => {
    const other = (await db.query<{ grid: number; community: number; subdistrict: number }>(
      `SELECT g.id AS grid, g.community_id AS community, c.subdistrict_id AS subdistrict FROM grids g JOIN communities c ON c.id = g.community_id
        WHERE c.subdistrict_id <> $1 ORDER BY g.id LIMIT 1`, [cast.grid.subdistrict_id])).rows[0];
    for (const q of ['grid=999999', 'community=999999', 'subdistrict=999999', 'department=999999']) {
      const r = await call(app, cast.signed.admin, 'GET', `/api/cases?${q}`);
      expect(r.status, q).toBe(404);
      expect(r.body.error, q).toMatch(bilingual);
    }
    for (const q of [`grid=${other.grid}`, `community=${other.community}`, `subdistrict=${other.subdistrict}`]) {
      expect((await call(app, cast.signed.secretary, 'GET', `/api/cases?${q}`)).status, q).toBe(404);
    }
    // a unit's staff: another unit's cases are outside their scope
    expect((await call(app, cast.signed.deptAssigned, 'GET', `/api/cases?department=${cast.otherDepartment}`)).status).toBe(404);
    expect((await call(app, cast.signed.deptAssigned, 'GET', `/api/cases?department=${cast.assignedDepartment}`)).status).toBe(200);
    expect((await call(app, cast.signed.secretary, 'GET', `/api/cases?grid=${cast.grid.id}&community=${cast.grid.community_id}`)).status).toBe(200);
    expect((await call(app, cast.signed.admin, 'GET', '/api/needs?community=999999')).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'GET', `/api/needs?community=${other.community}`)).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'GET', `/api/needs?community=${cast.grid.community_id}`)).status).toBe(200);
    expect((await call(app, cast.signed.admin, 'GET', '/api/resources?department=999999')).status).toBe(404);
  });
});

describe('7. Open311 errors are GeoReport errors', () => {
  const georeport = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual([{ code: status, description: expect.stringMatching(bilingual) }]);
  };

  it('413, 415, 400, 404 alike', async () => {
    await georeport(await app.request('/open311/v2/requests.json', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `description=${'x'.repeat(70_000)}`,
    }), 413);
    await georeport(await app.request('/open311/v2/requests.json', {
      method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'api_key=x',
    }), 415);
    await georeport(await app.request('/open311/v2/requests.json?x=%00'), 400);
    await georeport(await app.request('/open311/v2/services.xml'), 404);
    await georeport(await app.request('/open311/v1/services.json'), 404);
    await georeport(await app.request('/open311/v2/requests.json', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"api_key":',
    }), 400);
  });
});
