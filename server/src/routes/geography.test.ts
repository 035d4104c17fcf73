import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let leader: Record<string, string>;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  leader = (await signIn(app, 'leader')).headers;
});
afterAll(() => db?.close());

const getJson = async (path: string) => {
  const res = await app.request(path, { headers: leader });
  return { res, body: await res.json() };
};

describe('GET /api/health', () => {
  it('reports the backend, PostGIS and the Enshi totals', async () => {
    const { res, body } = await getJson('/api/health');
    expect(res.status).toBe(200);
    expect(['embedded', 'postgres']).toContain(body.db);
    expect(body.postgis).toMatch(/^3\.\d+/);
    expect(body.counts).toMatchObject({ subdistricts: 5, communities: 33, grids: 359, households: 95_402 });
    // 联系干部: the members linked to a household (all 7,289 in-service, 13,765 of the 14,000 sunk).
    expect(body.counts.cadres).toBe(7_289 + 13_765);
    // Without a demo history to write (the app was given none), health says nothing of one.
    expect(body).not.toHaveProperty('history');
  });

  it("says whether the demo history is still being written, on every probe (the counts' cache aside)", async () => {
    let state: 'filling' | 'ready' = 'filling';
    const demo = createApp({ db, history: () => state });
    const probe = async () => (await demo.request('/api/health')).json();
    expect(await probe()).toMatchObject({ history: 'filling', counts: { households: 95_402 } });
    state = 'ready';
    expect(await probe()).toMatchObject({ history: 'ready', counts: { households: 95_402 } });
  });
});

describe('GeoJSON endpoints', () => {
  it('lists the 5 subdistricts with names, codes and statistics', async () => {
    const { res, body } = await getJson('/api/subdistricts');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: any) => f.properties.name).sort()).toEqual(
      ['七里坪街道', '六角亭街道', '小渡船街道', '舞阳坝街道', '金子坝街道'].sort());
    const total = body.features.reduce((s: number, f: any) => s + f.properties.households, 0);
    expect(total).toBe(95_402);
    const wyb = body.features.find((f: any) => f.properties.code === '422801001');
    expect(wyb.properties).toMatchObject({ name: '舞阳坝街道', communities: 8 });
    expect(wyb.geometry.type).toMatch(/Polygon/);
    expect(wyb.properties.area_km2).toBeGreaterThan(0);
  });

  it('lists communities per subdistrict, with parent ids', async () => {
    const all = (await getJson('/api/communities')).body;
    expect(all.features).toHaveLength(33);
    const counts: Record<string, number> = {};
    for (const f of all.features) counts[f.properties.subdistrict_name] = (counts[f.properties.subdistrict_name] ?? 0) + 1;
    expect(counts).toEqual({ 舞阳坝街道: 8, 六角亭街道: 6, 小渡船街道: 7, 七里坪街道: 2, 金子坝街道: 10 });
    const sid = all.features.find((f: any) => f.properties.subdistrict_name === '金子坝街道').properties.subdistrict_id;
    const filtered = (await getJson(`/api/communities?subdistrict=${sid}`)).body;
    expect(filtered.features).toHaveLength(10);
    expect(filtered.features.every((f: any) => f.properties.subdistrict_id === sid)).toBe(true);
    expect(filtered.features.every((f: any) => /^422801005\d{3}$/.test(f.properties.code))).toBe(true);
  });

  it('lists the 359 grids, whose statistics add up to the city totals', async () => {
    const { body } = await getJson('/api/grids');
    expect(body.features).toHaveLength(359);
    const sum = (k: string) => body.features.reduce((s: number, f: any) => s + f.properties[k], 0);
    expect(sum('households')).toBe(95_402);
    expect(sum('in_difficulty')).toBe(5_134);
    const g = body.features[0];
    expect(g.id).toBe(g.properties.id);
    expect(g.properties.code).toMatch(/^\d{15}$/);
    expect(g.properties.code.slice(0, 12)).toMatch(/^422801\d{6}$/);
    expect(g.properties).toHaveProperty('community_name');
    expect(g.properties.cadres).toBeGreaterThan(0);
  });

  it('filters grids by community and by subdistrict', async () => {
    const communities = (await getJson('/api/communities')).body.features;
    const c = communities.find((f: any) => f.properties.name === '官坡社区');
    const byCommunity = (await getJson(`/api/grids?community=${c.id}`)).body.features;
    expect(byCommunity.length).toBe(c.properties.grids);
    expect(byCommunity.every((f: any) => f.properties.community_id === c.id)).toBe(true);
    expect(byCommunity.reduce((s: number, f: any) => s + f.properties.households, 0)).toBe(c.properties.households);
    const bySubdistrict = (await getJson(`/api/grids?subdistrict=${c.properties.subdistrict_id}`)).body.features;
    expect(bySubdistrict.length).toBeGreaterThan(byCommunity.length);
    expect(new Set(bySubdistrict.map((f: any) => f.properties.subdistrict_id))).toEqual(new Set([c.properties.subdistrict_id]));
  });

  it.each([
    ['/api/grids?community=abc', /community/],
    ['/api/grids?community=-1', /community/],
    ['/api/grids?community=1.5', /community/],
    ['/api/grids?bbox=1,2,3,4', /bbox/],
    ['/api/communities?subdistrict=0', /subdistrict/],
    ['/api/subdistricts?x=1', /x/],
  ])('answers %s with 400 and a readable message', async (path, mention) => {
    const { res, body } = await getJson(path);
    expect(res.status).toBe(400);
    expect(body.error).toMatch(mention);
  });

  it('answers a filter naming a missing community with 404', async () => {
    const { res, body } = await getJson('/api/grids?community=99999');
    expect(res.status).toBe(404);
    expect(body.error).toContain('99999');
  });

  it('serves gzip and revalidates with an ETag', async () => {
    const res = await app.request('/api/grids', { headers: { ...leader, 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const json = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString());
    expect(json.features).toHaveLength(359);
    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await app.request('/api/grids', { headers: { ...leader, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves the real city outline', async () => {
    const { res, body } = await getJson('/api/city-outline');
    expect(res.status).toBe(200);
    expect(body.features).toHaveLength(1);
    expect(body.features[0].properties.district_adcode).toBe('422801');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const { res, body } = await getJson('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(body.error).toContain('/api/nothing-here');
  });
});
