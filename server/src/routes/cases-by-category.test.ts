// GET /api/cases/by-category: the command centre's 在办诉求类别 in one request. Its counts are
// those of GET /api/cases (same scope, same status and area filters) category by category.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseCounts, OPEN_STATUSES } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
const who: Record<string, Signed> = {};
let community = { id: 0, code: '', subdistrict: 0 };
let cats: string[] = [];
/** Open cases of the community per category before the fixture's (a reused PostgreSQL test database keeps earlier runs'). */
const before: Record<string, number> = {};

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  // Two communities of one subdistrict and one of another (no other test file uses them), each
  // with open and closed cases of several categories, so the counts compared are not all zero.
  const { rows } = await db.query<any>(
    `SELECT cm.id, cm.code, cm.subdistrict_id, (SELECT min(g.id) FROM grids g WHERE g.community_id = cm.id) AS grid,
            (SELECT min(o.id) FROM communities o WHERE o.subdistrict_id = cm.subdistrict_id AND o.id <> cm.id) AS sibling,
            (SELECT min(o.id) FROM communities o WHERE o.subdistrict_id <> cm.subdistrict_id) AS stranger
       FROM communities cm ORDER BY cm.code OFFSET 14 LIMIT 1`);
  community = { id: rows[0].id, code: rows[0].code, subdistrict: rows[0].subdistrict_id };
  const gridOf = async (id: number) => (await db.query<any>('SELECT min(id) AS id FROM grids WHERE community_id = $1', [id])).rows[0].id;
  cats = (await db.query<any>('SELECT code FROM case_categories ORDER BY sort, code LIMIT 3')).rows.map((r) => r.code);
  for (const r of (await db.query<any>(
    'SELECT category_code, count(*)::int AS n FROM cases WHERE community_id = $1 AND status = ANY ($2) GROUP BY 1', [community.id, OPEN_STATUSES])).rows) {
    before[r.category_code] = r.n;
  }
  const now = new Date();
  const put = (grid: number, category: string, status: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => insertCase(db, { grid_id: grid, category, status, created_at: now })));
  await put(rows[0].grid, cats[0], 'submitted', 3);
  await put(rows[0].grid, cats[1], 'in_progress', 2);
  await put(rows[0].grid, cats[1], 'closed', 2);
  await put(await gridOf(rows[0].sibling), cats[0], 'dispatched', 2);
  await put(await gridOf(rows[0].sibling), cats[2], 'accepted', 1);
  await put(await gridOf(rows[0].stranger), cats[2], 'submitted', 4);
  who.leader = await signIn(app, 'leader', undefined, '10.7.3.1');
  who.secretary = await signIn(app, `secretary-${community.code}`, undefined, '10.7.3.2');
});
afterAll(() => db?.close());

const get = (signed: Signed, path: string) => app.request(path, { headers: signed.headers });
const open = OPEN_STATUSES.join(',');

/** Each category's count, asked one request per category of GET /api/cases (its `total`). */
async function perCategory(signed: Signed, codes: string[], area: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const code of codes) {
    const res = await get(signed, `/api/cases?status=${open}&category=${code}&limit=1${area}`);
    expect(res.status).toBe(200);
    out[code] = Number(((await res.json()) as any).total);
  }
  return out;
}

describe('GET /api/cases/by-category', () => {
  it.each([
    ['leader', 'the city', () => ''],
    ['leader', 'a subdistrict', () => `&subdistrict=${community.subdistrict}`],
    ['secretary', 'their community', () => ''],
    ['secretary', 'their community, asked by id', () => `&community=${community.id}`],
  ])('counts what GET /api/cases counts, category by category: %s, %s', async (role, _what, area) => {
    const res = await get(who[role], `/api/cases/by-category?status=${open}${area()}`);
    expect(res.status).toBe(200);
    const body = caseCounts.parse(await res.json());
    const counted = Object.fromEntries(body.categories.map((c) => [c.code, c.count]));
    expect(body.categories.length).toBeGreaterThan(5);
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(counted).toEqual(await perCategory(who[role], Object.keys(counted), area()));
  });

  it('counts only the caller’s scope: the secretary’s city-wide answer is their community’s', async () => {
    const city = caseCounts.parse(await (await get(who.leader, `/api/cases/by-category?status=${open}`)).json());
    const mine = caseCounts.parse(await (await get(who.secretary, `/api/cases/by-category?status=${open}`)).json());
    const leaderOfCommunity = caseCounts.parse(await (await get(who.leader, `/api/cases/by-category?status=${open}&community=${community.id}`)).json());
    const sum = (b: typeof city) => b.categories.reduce((n, c) => n + c.count, 0);
    expect(sum(mine)).toBeLessThan(sum(city));
    // A secretary may also see cases they filed elsewhere; none are filed by them in the seed.
    expect(mine).toEqual(leaderOfCommunity);
    // The fixture's open cases of the community (closed ones and the neighbours' not counted).
    const count = (code: string) => mine.categories.find((c) => c.code === code)!.count - (before[code] ?? 0);
    expect([count(cats[0]), count(cats[1]), count(cats[2])]).toEqual([3, 2, 0]);
  });

  it('refuses bad input with a clear 400', async () => {
    for (const [query, message] of [
      ['status=open', /未知的状态/],
      ['grid=abc', /./],
      ['community=0', /./],
      ['subdistrict=1e3', /./],
      ['category=garbage', /./], // not a filter of this route
    ] as const) {
      const res = await get(who.leader, `/api/cases/by-category?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as any).error, query).toMatch(message);
    }
    expect((await app.request('/api/cases/by-category')).status).toBe(401);
  });
});
