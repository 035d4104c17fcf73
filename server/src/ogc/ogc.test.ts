// OGC API – Features at /ogc, as a GIS client calls it: the landing page, conformance and the
// OpenAPI document; the collections each role may read; pages of features followed by their
// next links; bbox, datetime and the single item; the standard's error body for bad input; and
// each role's scope (a secretary's community, a grid worker's grid, department staff's cases).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
const as: Record<string, Signed> = {};
const SECRETARY_COMMUNITY = '422801001001';
const ids = { community: 0, grid: 0, otherGrid: 0, otherCommunity: 0, cases: [] as number[], otherCase: 0, draft: 0, movingDraft: 0 };
let communityGrids = 0;
let totalGrids = 0;
// A day no other test files cases on (+08:00, the city's time).
const at = (h: number, m = 0) => new Date(`2019-11-07T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`);

const one = async <T = any>(sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows[0] as T;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  ids.community = (await one('SELECT id FROM communities WHERE code = $1', [SECRETARY_COMMUNITY])).id;
  const grid = await one(`SELECT u.grid_id AS id, g.code FROM users u JOIN grids g ON g.id = u.grid_id
                           WHERE u.username LIKE 'grid-%' AND g.community_id = $1 ORDER BY u.username LIMIT 1`, [ids.community]);
  ids.grid = grid.id;
  ids.otherCommunity = (await one('SELECT id FROM communities WHERE code = $1', ['422801002001'])).id;
  ids.otherGrid = (await one('SELECT min(id) AS id FROM grids WHERE community_id = $1', [ids.otherCommunity])).id;
  communityGrids = (await one('SELECT count(*)::int AS n FROM grids WHERE community_id = $1', [ids.community])).n;
  totalGrids = (await one('SELECT count(*)::int AS n FROM grids')).n;
  const users = {
    admin: 'admin', leader: 'leader', planner: 'planner', secretary: `secretary-${SECRETARY_COMMUNITY}`,
    grid: `grid-${grid.code}`, dept: 'dept-1', member: `member-${grid.code}`,
  };
  let i = 0;
  for (const [who, username] of Object.entries(users)) as[who] = await signIn(app, username, undefined, `10.7.0.${++i}`);
  // Three cases in the grid worker's grid at 01:00, 02:00 and 03:00, one in another community at 02:30.
  for (const h of [1, 2, 3]) ids.cases.push((await insertCase(db, { grid_id: ids.grid, status: 'submitted', created_at: at(h), reporter_phone: '13900001111' })).id);
  ids.otherCase = (await insertCase(db, { grid_id: ids.otherGrid, status: 'submitted', created_at: at(2, 30) })).id;
  await db.query(`UPDATE cases SET address = '官坡测试地址 9 号' WHERE id = ANY ($1)`, [ids.cases]);
  // Two drafts of the secretary's community: its layout as it is, and one block moved to another grid.
  const layout = (await db.query<{ block: number; grid: number }>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [ids.community])).rows;
  const post = async (body: unknown) => {
    const res = await app.request('/api/plans', { method: 'POST', headers: { ...as.planner.write, 'X-Forwarded-For': '10.7.0.3' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: number }).id;
  };
  ids.draft = await post({ community: ids.community, title: 'OGC 测试：原样', assignments: layout });
  const other = layout.find((a) => a.grid !== layout[0].grid)!.grid;
  ids.movingDraft = await post({ community: ids.community, title: 'OGC 测试：改划一块', assignments: layout.map((a, k) => (k === 0 ? { ...a, grid: other } : a)) });
});
afterAll(() => db?.close());

const get = (path: string, who?: string, headers: Record<string, string> = {}) =>
  app.request(`http://atlas.test${path}`, { headers: { ...(who ? as[who].headers : {}), ...headers } });
const json = async (res: Response) => JSON.parse(await res.text());

describe('the service description', () => {
  it('landing page: links to the API definition, conformance and the collections, for anyone', async () => {
    const res = await get('/ogc');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = await json(res);
    const rel = (r: string) => body.links.find((l: any) => l.rel === r);
    expect(rel('self').href).toBe('http://atlas.test/ogc');
    expect(rel('service-desc')).toMatchObject({ href: 'http://atlas.test/ogc/api', type: 'application/vnd.oai.openapi+json;version=3.0' });
    expect(rel('conformance').href).toBe('http://atlas.test/ogc/conformance');
    expect(rel('data').href).toBe('http://atlas.test/ogc/collections');
  });

  it('writes links for the address a reverse proxy was asked for', async () => {
    const body = await json(await get('/ogc', undefined, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'atlas.example.cn' }));
    expect(body.links[0].href).toBe('https://atlas.example.cn/ogc');
  });

  it('conformance: Core, GeoJSON and OpenAPI 3.0', async () => {
    const body = await json(await get('/ogc/conformance'));
    expect(body.conformsTo.sort()).toEqual([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
    ]);
  });

  it('the OpenAPI document names every path and the limit the items route enforces', async () => {
    const res = await get('/ogc/api');
    expect(res.headers.get('Content-Type')).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    const doc = await json(res);
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(doc.paths).sort()).toEqual(['/', '/api', '/collections', '/collections/{collectionId}',
      '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}', '/conformance']);
    expect(doc.components.parameters.limit.schema).toMatchObject({ minimum: 1, maximum: 1000, default: 100 });
    // the documented maximum is the enforced one
    expect((await get('/ogc/collections/grids/items?limit=1000', 'leader')).status).toBe(200);
    expect((await get('/ogc/collections/grids/items?limit=1001', 'leader')).status).toBe(400);
  });
});

describe('collections', () => {
  it('anonymous: 401 in the OGC exception shape, with a Bearer challenge', async () => {
    for (const path of ['/ogc/collections', '/ogc/collections/grids', '/ogc/collections/grids/items', `/ogc/collections/grids/items/${ids.grid}`]) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      const body = await json(res);
      expect(body.code).toBe('Unauthorized');
      expect(body.description).toMatch(/sign in/);
    }
  });

  it('a stale session cookie is a 401 even on the landing page', async () => {
    const res = await get('/ogc', undefined, { Cookie: 'ga_session=not-a-session' });
    expect(res.status).toBe(401);
  });

  it('each role lists the collections it may read', async () => {
    const list = async (who: string) => (await json(await get('/ogc/collections', who))).collections.map((c: any) => c.id);
    const all = ['subdistricts', 'communities', 'grids', 'blocks', 'cases', 'plan-drafts'];
    const noPlans = ['subdistricts', 'communities', 'grids', 'cases'];
    expect(await list('planner')).toEqual(all);
    expect(await list('leader')).toEqual(all);
    expect(await list('secretary')).toEqual(all);
    expect(await list('admin')).toEqual(noPlans);
    expect(await list('grid')).toEqual(noPlans);
    expect(await list('dept')).toEqual(noPlans);
  });

  it('a collection: its items link, CRS84, and the extent of what the caller sees', async () => {
    const city = await json(await get('/ogc/collections/grids', 'leader'));
    expect(city.links.find((l: any) => l.rel === 'items')).toMatchObject({ href: 'http://atlas.test/ogc/collections/grids/items', type: 'application/geo+json' });
    expect(city.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84']);
    const own = await json(await get('/ogc/collections/grids', 'secretary'));
    const e = await one('SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom) e FROM grids WHERE community_id = $1) q', [ids.community]);
    const [x0, y0, x1, y1] = own.extent.spatial.bbox[0];
    expect(x0).toBeLessThanOrEqual(e.x0);
    expect(x0).toBeGreaterThan(e.x0 - 1e-5);
    expect(y1).toBeGreaterThanOrEqual(e.y1);
    expect(x1 - x0).toBeLessThan(city.extent.spatial.bbox[0][2] - city.extent.spatial.bbox[0][0]);
    expect(y0).toBeLessThan(y1);
    const cases = await json(await get('/ogc/collections/cases', 'leader'));
    expect(cases.extent.temporal.interval[0][0] <= at(1).toISOString()).toBe(true);
  });

  it('unknown collection 404, a role that may not read it 403, both in the OGC shape', async () => {
    const missing = await get('/ogc/collections/households/items', 'leader');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ code: 'NotFound' });
    for (const path of ['/ogc/collections/blocks', '/ogc/collections/blocks/items', '/ogc/collections/plan-drafts/items']) {
      const res = await get(path, 'grid');
      expect(res.status, path).toBe(403);
      expect((await json(res)).description).toMatch(/only planner/);
    }
  });

  it('anything but a GET, and paths it does not serve, are answered in the OGC shape', async () => {
    const post = await app.request('/ogc/collections', { method: 'POST', headers: { ...as.leader.write }, body: '{}' });
    expect(post.status).toBe(404);
    expect(await json(post)).toMatchObject({ code: 'NotFound' });
    const other = await get('/ogc/processes', 'leader');
    expect(other.status).toBe(404);
    expect((await json(other)).description).toMatch(/no such endpoint/);
  });
});

describe('items', () => {
  it('pages through every grid by the next links, numberMatched and numberReturned agreeing', async () => {
    let url: string | undefined = 'http://atlas.test/ogc/collections/grids/items?limit=100';
    const seen: number[] = [];
    let pages = 0;
    while (url) {
      const res = await app.request(url, { headers: as.leader.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/geo\+json/);
      expect(res.headers.get('Content-Crs')).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
      const body = await json(res);
      expect(body.type).toBe('FeatureCollection');
      expect(body.numberMatched).toBe(totalGrids);
      expect(body.numberReturned).toBe(body.features.length);
      expect(body.links.find((l: any) => l.rel === 'self').href).toBe(url);
      const prev = body.links.find((l: any) => l.rel === 'prev')?.href;
      expect(prev).toBe(pages === 0 ? undefined : `http://atlas.test/ogc/collections/grids/items?limit=100${pages > 1 ? `&offset=${(pages - 1) * 100}` : ''}`);
      seen.push(...body.features.map((f: any) => f.id));
      url = body.links.find((l: any) => l.rel === 'next')?.href;
      pages++;
    }
    expect(pages).toBe(Math.ceil(totalGrids / 100));
    expect(new Set(seen).size).toBe(totalGrids);
    // an offset past the end: nothing returned, the total still told
    const past = await json(await get(`/ogc/collections/grids/items?offset=${totalGrids + 5}`, 'leader'));
    expect(past).toMatchObject({ numberMatched: totalGrids, numberReturned: 0, features: [] });
  });

  it('a feature: GeoJSON with its id, geometry and properties, and no personal data anywhere', async () => {
    const body = await json(await get(`/ogc/collections/grids/items/${ids.grid}`, 'secretary'));
    expect(body).toMatchObject({ type: 'Feature', id: ids.grid, properties: { community_id: ids.community } });
    expect(['Polygon', 'MultiPolygon']).toContain(body.geometry.type);
    expect(body.links.find((l: any) => l.rel === 'self').href).toBe(`http://atlas.test/ogc/collections/grids/items/${ids.grid}`);
    const cases = await get(`/ogc/collections/cases/items?datetime=2019-11-07T00:00:00%2B08:00/2019-11-07T23:59:59%2B08:00`, 'secretary');
    const text = await cases.text();
    expect(JSON.parse(text).features.map((f: any) => f.id)).toEqual(expect.arrayContaining(ids.cases));
    expect(text).not.toMatch(/13900001111|官坡测试地址|reporter_phone|"address"/);
  });

  it('bbox: the features that intersect it, no others', async () => {
    const p = await one('SELECT ST_X(c) AS x, ST_Y(c) AS y FROM (SELECT ST_PointOnSurface(geom) AS c FROM grids WHERE id = $1) q', [ids.grid]);
    const box = [p.x - 0.002, p.y - 0.002, p.x + 0.002, p.y + 0.002];
    const expected = (await db.query<{ id: number }>(
      'SELECT id FROM grids WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY id', box)).rows.map((r) => r.id);
    expect(expected).toContain(ids.grid);
    const body = await json(await get(`/ogc/collections/grids/items?bbox=${box.join(',')}`, 'leader'));
    expect(body.features.map((f: any) => f.id)).toEqual(expected);
    expect(body.numberMatched).toBe(expected.length);
    // six values (with heights) are the same box
    const six = await json(await get(`/ogc/collections/grids/items?bbox=${box[0]},${box[1]},0,${box[2]},${box[3]},100`, 'leader'));
    expect(six.numberMatched).toBe(expected.length);
    // far from the city: nothing
    expect((await json(await get('/ogc/collections/grids/items?bbox=0,0,1,1', 'leader'))).numberMatched).toBe(0);
    // the next link keeps the box
    const paged = await json(await get(`/ogc/collections/grids/items?bbox=${box.join(',')}&limit=1`, 'leader'));
    if (expected.length > 1) expect(paged.links.find((l: any) => l.rel === 'next').href).toContain(`bbox=${encodeURIComponent(box.join(','))}`);
  });

  it('datetime: an instant, a closed interval, open ones and a day', async () => {
    const ids3 = async (q: string) => (await json(await get(`/ogc/collections/cases/items?limit=1000&datetime=${encodeURIComponent(q)}`, 'leader')))
      .features.map((f: any) => f.id).filter((id: number) => [...ids.cases, ids.otherCase].includes(id));
    expect(await ids3(at(2).toISOString())).toEqual([ids.cases[1]]);
    expect(await ids3('2019-11-07T01:30:00+08:00/2019-11-07T02:45:00+08:00')).toEqual([ids.cases[1], ids.otherCase]);
    expect(await ids3('2019-11-07T02:45:00+08:00/..')).toEqual([ids.cases[2]]);
    expect(await ids3('/2019-11-07T01:30:00+08:00')).toEqual([ids.cases[0]]);
    // a day is a UTC day: 01:00–03:00 in the city (+08:00) is the evening of the 6th
    expect(await ids3('2019-11-06')).toEqual([...ids.cases, ids.otherCase].sort((a, b) => a - b));
    expect(await ids3('2019-11-07')).toEqual([]);
    // a collection without a time: no feature meets a datetime filter
    expect((await json(await get('/ogc/collections/grids/items?datetime=2019-11-07', 'leader'))).numberMatched).toBe(0);
  });

  it('bad input: 400 InvalidParameterValue naming the parameter', async () => {
    const bad: [string, RegExp][] = [
      ['bbox=1,2,3', /bbox.*4 numbers/],
      ['bbox=a,b,c,d', /bbox.*number/],
      ['bbox=109,30,110', /bbox/],
      ['bbox=109,31,110,30', /minLat is greater/],
      ['bbox=200,30,201,31', /longitudes/],
      ['bbox=110,30,109,31', /antimeridian/],
      ['limit=0', /limit.*at least 1/],
      ['limit=1001', /limit.*at most 1000/],
      ['limit=ten', /limit/],
      ['offset=-1', /offset/],
      ['datetime=yesterday', /datetime.*RFC 3339/],
      ['datetime=2019-02-30', /datetime/],
      ['datetime=2019-11-07T10:00:00', /datetime/],
      ['datetime=../..', /datetime.*at least one end/],
      ['datetime=2019-11-08T00:00:00Z/2019-11-07T00:00:00Z', /starts after it ends/],
      ['f=html', /only f=json/],
      ['colour=red', /unknown parameter.*colour/],
      ['bbox=109%00,30,110,31', /control character/],
    ];
    for (const [q, message] of bad) {
      const res = await get(`/ogc/collections/cases/items?${q}`, 'leader');
      expect(res.status, q).toBe(400);
      const body = await json(res);
      expect(body.code, q).toBe('InvalidParameterValue');
      expect(body.description, q).toMatch(message);
    }
    for (const id of ['0x1', '0', '2147483648', 'abc']) {
      const res = await get(`/ogc/collections/grids/items/${id}`, 'leader');
      expect(res.status, id).toBe(400);
      expect((await json(res)).code).toBe('InvalidParameterValue');
    }
    expect((await get('/ogc/collections?limit=5', 'leader')).status).toBe(400);
  });
});

describe('scope per role', () => {
  const count = async (who: string, collection: string, q = '') =>
    (await json(await get(`/ogc/collections/${collection}/items?limit=1000${q}`, who))).numberMatched as number;
  const featureIds = async (who: string, collection: string) =>
    (await json(await get(`/ogc/collections/${collection}/items?limit=1000`, who))).features.map((f: any) => f.id) as number[];

  it('grids: the city, a secretary\'s community, a grid worker\'s and party member\'s own grid', async () => {
    expect(await count('leader', 'grids')).toBe(totalGrids);
    expect(await count('dept', 'grids')).toBe(totalGrids);
    expect(await count('secretary', 'grids')).toBe(communityGrids);
    expect(await featureIds('grid', 'grids')).toEqual([ids.grid]);
    expect(await featureIds('member', 'grids')).toEqual([ids.grid]);
    expect(await count('secretary', 'subdistricts')).toBe(0);
    expect(await featureIds('secretary', 'communities')).toEqual([ids.community]);
  });

  it('another area\'s feature is a 404, as if it did not exist', async () => {
    for (const [who, path] of [['secretary', `grids/items/${ids.otherGrid}`], ['grid', `cases/items/${ids.otherCase}`],
      ['secretary', `communities/items/${ids.otherCommunity}`], ['dept', `cases/items/${ids.cases[0]}`]]) {
      const res = await get(`/ogc/collections/${path}`, who);
      expect(res.status, `${who} ${path}`).toBe(404);
      expect(await res.text()).not.toMatch(/解放路/);
    }
  });

  it('cases: scoped as the cases list scopes them', async () => {
    const secretary = await featureIds('secretary', 'cases');
    expect(secretary).toEqual(expect.arrayContaining(ids.cases));
    expect(secretary).not.toContain(ids.otherCase);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE community_id = $1 OR reporter_user_id = (SELECT id FROM users WHERE username = $2)',
      [ids.community, `secretary-${SECRETARY_COMMUNITY}`]);
    expect(await count('secretary', 'cases')).toBe(rows[0].n);
    expect(await featureIds('dept', 'cases')).not.toContain(ids.cases[0]);
    expect(await featureIds('leader', 'cases')).toEqual(expect.arrayContaining([...ids.cases, ids.otherCase]));
  });

  it('blocks and plan drafts: the community\'s, the geometry of a draft the blocks it moves', async () => {
    const blocks = await one('SELECT count(*)::int AS n FROM blocks WHERE community_id = $1', [ids.community]);
    expect(await count('secretary', 'blocks')).toBe(blocks.n);
    const drafts = await json(await get('/ogc/collections/plan-drafts/items?limit=1000', 'secretary'));
    const byId = new Map(drafts.features.map((f: any) => [f.id, f]));
    const same = byId.get(ids.draft) as any;
    const moving = byId.get(ids.movingDraft) as any;
    expect(same).toMatchObject({ geometry: null, properties: { blocks_moved: 0, community_id: ids.community, status: 'draft' } });
    expect(moving.properties.blocks_moved).toBe(1);
    expect(moving.geometry.type).toBe('MultiPolygon');
    expect(drafts.features.every((f: any) => f.properties.community_id === ids.community)).toBe(true);
    // a bbox keeps the draft that moves a block there, and drops the one without a geometry
    const b = await one('SELECT ST_XMin(geom) x0, ST_YMin(geom) y0, ST_XMax(geom) x1, ST_YMax(geom) y1 FROM blocks WHERE community_id = $1 ORDER BY id LIMIT 1', [ids.community]);
    const boxed = await json(await get(`/ogc/collections/plan-drafts/items?bbox=${b.x0},${b.y0},${b.x1},${b.y1}`, 'planner'));
    const boxedIds = boxed.features.map((f: any) => f.id);
    expect(boxedIds).toContain(ids.movingDraft);
    expect(boxedIds).not.toContain(ids.draft);
  });
});
