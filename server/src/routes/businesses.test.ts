// 双定三联's third link: the synthetic businesses (经营主体) and each in-service member's 1–3
// links to the businesses nearest home, counted in SQL as seeded; GET /api/business-links
// through the real app, in each caller's area, with bad input a 4xx in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_KINDS } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { call, castAround, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.76.0');
});
afterAll(() => db?.close());

// The seeded figures: 2,399 businesses (589 企业), 14,500 links (2,447 members with one, 2,473 with two, 2,369 with three).
const BUSINESSES = 2399, ENTERPRISES = 589, LINKS = 14500, ONE = 2447, TWO = 2473, THREE = 2369;
/** Metres: every linked business is within this of the member's home. */
const MAXM = 500;
const one = async <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => (await db.query<T & Record<string, unknown>>(sql, p)).rows[0];

describe('the seeded businesses', () => {
  it('are one per 40 households of each community (rounded up), all synthetic, each at a household of its community', async () => {
    expect(await one(`SELECT count(*)::int AS businesses, count(DISTINCT community_id)::int AS communities,
                             count(*) FILTER (WHERE synthetic)::int AS synthetic,
                             count(*) FILTER (WHERE kind = 'enterprise')::int AS enterprises
                        FROM businesses WHERE code LIKE 'BZ%'`))
      .toEqual({ businesses: BUSINESSES, communities: 33, synthetic: BUSINESSES, enterprises: ENTERPRISES });
    // the rule, from the households (other tests add no businesses; a test household is not in a seeded count)
    expect(await one(`SELECT sum((n + 39) / 40)::int AS n FROM (
                        SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id GROUP BY g.community_id) x`))
      .toEqual({ n: BUSINESSES });
    expect(await one(`SELECT count(*)::int AS n FROM businesses b
                       WHERE b.synthetic AND NOT EXISTS (
                         SELECT 1 FROM households h JOIN grids g ON g.id = h.grid_id
                          WHERE g.community_id = b.community_id AND h.geom && b.geom AND ST_Equals(h.geom, b.geom))`)).toEqual({ n: 0 });
    const { rows } = await db.query<{ kind: string }>('SELECT DISTINCT kind FROM businesses ORDER BY kind');
    expect(rows.map((r) => r.kind)).toEqual([...BUSINESS_KINDS].sort());
  });

  it('link every one of the 7,289 in-service members to 1–3 businesses, 14,500 links in all', async () => {
    expect(await one(`SELECT count(*)::int AS members,
                             count(*) FILTER (WHERE n >= 1)::int AS linked,
                             min(n)::int AS least, max(n)::int AS most, sum(n)::int AS links,
                             count(*) FILTER (WHERE n = 1)::int AS one, count(*) FILTER (WHERE n = 2)::int AS two,
                             count(*) FILTER (WHERE n = 3)::int AS three
                        FROM (SELECT c.id, (SELECT count(*) FROM cadre_business_links l WHERE l.cadre_id = c.id) AS n
                                FROM cadres c WHERE c.kind = 'in_service') x`))
      .toEqual({ members: 7289, linked: 7289, least: 1, most: 3, links: LINKS, one: ONE, two: TWO, three: THREE });
    expect(await one('SELECT count(*)::int AS n FROM cadre_business_links')).toEqual({ n: LINKS });
  });

  it('links each member to the businesses nearest home: no business they are not linked to is nearer than one they are', async () => {
    // each member's three nearest businesses by distance (ties by id): the first n are the n linked
    expect(await one(`
      WITH linked AS (SELECT cadre_id, count(*) AS n FROM cadre_business_links GROUP BY cadre_id),
      nearest AS (
        SELECT c.id AS cadre_id, k.id AS business_id, k.r, linked.n
          FROM cadres c JOIN linked ON linked.cadre_id = c.id
         CROSS JOIN LATERAL (SELECT n.id, row_number() OVER (ORDER BY n.d, n.id) AS r FROM (
                  SELECT b.id, b.geom <-> c.geom AS d FROM businesses b ORDER BY b.geom <-> c.geom LIMIT 8) n
                  ORDER BY n.d, n.id LIMIT 3) k)
      SELECT count(*) FILTER (WHERE (nr.r <= nr.n) <> (l.cadre_id IS NOT NULL))::int AS wrong,
             count(*) FILTER (WHERE l.cadre_id IS NOT NULL)::int AS matched
        FROM nearest nr LEFT JOIN cadre_business_links l ON l.cadre_id = nr.cadre_id AND l.business_id = nr.business_id`))
      .toEqual({ wrong: 0, matched: LINKS });
    // near home: within walking distance
    expect(await one(`SELECT max(ST_Distance(c.geom::geography, b.geom::geography)) < ${MAXM} AS near FROM cadre_business_links l
                        JOIN cadres c ON c.id = l.cadre_id JOIN businesses b ON b.id = l.business_id`)).toEqual({ near: true });
  });

  it('are held by in-service members only (the database refuses a sunk member’s link)', async () => {
    const sunk = await one<{ id: number }>(`SELECT id FROM cadres WHERE kind = 'sunk' ORDER BY id LIMIT 1`);
    const biz = await one<{ id: number }>('SELECT min(id) AS id FROM businesses');
    await expect(db.query('INSERT INTO cadre_business_links (cadre_id, business_id) VALUES ($1, $2)', [sunk.id, biz.id])).rejects.toThrow();
  });
});

describe('GET /api/business-links', () => {
  it('gives the secretary the businesses of the own community and every link to them, as seeded', async () => {
    const r = await call(app, cast.signed.secretary, 'GET', `/api/business-links?community=${cast.grid.community_id}`);
    expect(r.status).toBe(200);
    const expected = await one<{ b: number; l: number }>(
      `SELECT count(*)::int AS b, (SELECT count(*)::int FROM cadre_business_links l JOIN businesses x ON x.id = l.business_id
                                    WHERE x.community_id = $1) AS l
         FROM businesses WHERE community_id = $1`, [cast.grid.community_id]);
    expect(r.body.businesses.length).toBe(expected.b);
    expect(r.body.links.length).toBe(expected.l);
    expect(r.body.businesses.every((b: any) => b.community_id === cast.grid.community_id && b.synthetic)).toBe(true);
    expect(r.body.businesses.reduce((s: number, b: any) => s + b.members, 0)).toBe(expected.l);
    expect(r.body.links.every((l: any) => l.distance_m >= 0 && l.distance_m < MAXM)).toBe(true);
  });

  it('gives a grid worker the businesses in the own grid only, and the member nothing', async () => {
    const r = await call(app, cast.signed.grid, 'GET', '/api/business-links');
    expect(r.status).toBe(200);
    expect(r.body.businesses.every((b: any) => b.grid_id === cast.grid.id)).toBe(true);
    const inGrid = await one<{ n: number }>(
      'SELECT count(*)::int AS n FROM businesses b JOIN grids g ON g.id = $1 WHERE b.community_id = g.community_id AND ST_Covers(g.geom, b.geom)', [cast.grid.id]);
    expect(r.body.businesses.length).toBe(inGrid.n);
    expect((await call(app, cast.signed.member, 'GET', '/api/business-links')).status).toBe(403);
  });

  it.each([
    ['community=abc', /社区|id/], ['grid=-1', /id/], ['community=1&color=red', /color|参数/],
  ])('refuses ?%s with a 400 in words', async (query, message) => {
    const r = await call(app, cast.signed.secretary, 'GET', `/api/business-links?${query}`);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/[\u4e00-\u9fff]/);
    expect(r.text).toMatch(message);
  });

  it('answers another community with a 404, as if it did not exist', async () => {
    const other = await one<{ id: number }>(`SELECT id FROM communities WHERE code = '422801002001'`);
    const r = await call(app, cast.signed.secretary, 'GET', `/api/business-links?community=${other.id}`);
    expect(r.status).toBe(404);
    expect(r.text).not.toMatch(/解放路/);
  });
});
