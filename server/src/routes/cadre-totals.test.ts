// 联系干部 (contact cadres) is one figure at every level: the party members linked to at least one
// household, each counted once, in the grid where most of the households they contact live. So
// the city's figure is the sum of its subdistricts', a subdistrict's the sum of its communities',
// and a community's the sum of its grids'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityCollection, GridCollection, Health, SubdistrictCollection } from '@grid-atlas/contract';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let leader: Record<string, string>;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db });
  leader = (await signIn(app, 'leader')).headers;
});
afterAll(() => db?.close());

const get = async <T>(path: string): Promise<T> => {
  const res = await app.request(`/api${path}`, { headers: leader });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};
const sumBy = (rows: { key: number; cadres: number }[]) => {
  const m = new Map<number, number>();
  for (const r of rows) m.set(r.key, (m.get(r.key) ?? 0) + r.cadres);
  return m;
};

describe('联系干部 totals', () => {
  it('add up at every level: city = Σ subdistricts = Σ communities = Σ grids = the linked cadres in SQL', async () => {
    const { rows } = await db.query<{ n: number }>(`
      SELECT count(DISTINCT l.cadre_id)::int AS n
        FROM cadre_household_links l JOIN households h ON h.id = l.household_id
       WHERE h.grid_id IS NOT NULL`);
    const expected = rows[0].n;
    expect(expected).toBe(21_054); // 7,289 in-service + 13,765 sunk members with links on the seed

    const health = await get<Health>('/health');
    const subdistricts = (await get<SubdistrictCollection>('/subdistricts')).features.map((f) => f.properties);
    const communities = (await get<CommunityCollection>('/communities')).features.map((f) => f.properties);
    const grids = (await get<GridCollection>('/grids')).features.map((f) => f.properties);

    expect(health.counts.cadres).toBe(expected);
    expect(subdistricts.reduce((s, x) => s + x.cadres, 0)).toBe(expected);
    expect(communities.reduce((s, x) => s + x.cadres, 0)).toBe(expected);
    expect(grids.reduce((s, x) => s + x.cadres, 0)).toBe(expected);

    const bySubdistrict = sumBy(communities.map((c) => ({ key: c.subdistrict_id, cadres: c.cadres })));
    for (const s of subdistricts) expect([s.name, bySubdistrict.get(s.id) ?? 0]).toEqual([s.name, s.cadres]);
    const byCommunity = sumBy(grids.map((g) => ({ key: g.community_id, cadres: g.cadres })));
    for (const c of communities) expect([c.name, byCommunity.get(c.id) ?? 0]).toEqual([c.name, c.cadres]);
  });

  it("are the same figures on a community's roster (联系干部 per grid)", async () => {
    const { rows } = await db.query<{ username: string; community_id: number }>(
      `SELECT username, community_id FROM users WHERE username LIKE 'secretary-%' ORDER BY username LIMIT 1`);
    const secretary = (await signIn(app, rows[0].username, undefined, '10.3.0.1')).headers;
    const res = await app.request('/api/roster', { headers: secretary });
    expect(res.status).toBe(200);
    const roster = (await res.json()) as { grids: { id: number; linked_cadres: number }[] };
    const grids = (await get<GridCollection>(`/grids?community=${rows[0].community_id}`)).features.map((f) => f.properties);
    expect(roster.grids.length).toBe(grids.length);
    const byId = new Map(grids.map((g) => [g.id, g.cadres]));
    for (const g of roster.grids) expect([g.id, Number(g.linked_cadres)]).toEqual([g.id, byId.get(g.id)]);
  });
});
