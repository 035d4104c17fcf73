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
});
