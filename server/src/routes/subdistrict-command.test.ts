// A subdistrict's administrator gets the command centre of their subdistrict: every figure it
// reads (the header's totals, the KPIs and the three-level boards of its communities and grids,
// the coverage, the open cases of the live layer) comes scoped from the server, and asking for the
// city's or another subdistrict's figures is a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES, type CoverageResponse, type KpiResponse, type SubdistrictCollection } from '@grid-atlas/contract';
import { signIn } from '../../../test/auth.ts';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let admin: Record<string, string>;
/** 舞阳坝街道 and another subdistrict. */
let home: number;
let other: number;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db });
  admin = (await signIn(app, 'subdistrict-422801001')).headers;
  const { rows } = await db.query<{ id: number; code: string }>(`SELECT id, code FROM subdistricts WHERE code IN ('422801001', '422801002')`);
  home = rows.find((r) => r.code === '422801001')!.id;
  other = rows.find((r) => r.code === '422801002')!.id;
  // An open case today in the first grid of each: the boards have a unit in each subdistrict.
  const grids = await db.query<{ id: number }>(`
    SELECT min(g.id) AS id FROM grids g JOIN communities c ON c.id = g.community_id
     WHERE c.subdistrict_id IN ($1, $2) GROUP BY c.subdistrict_id`, [home, other]);
  for (const g of grids.rows) await insertCase(db, { grid_id: g.id, status: 'submitted', created_at: new Date(Date.now() - 60_000) });
});
afterAll(() => db?.close());

const get = (path: string) => app.request(`/api${path}`, { headers: admin });
async function ok<T>(path: string): Promise<T> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
async function ids(sql: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(sql, [home]);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe("a subdistrict admin's command centre", () => {
  it("header: the subdistrict's communities, grids and households, not the city's", async () => {
    const { rows } = await db.query<{ communities: number; grids: number; households: number }>(`
      SELECT (SELECT count(*) FROM communities WHERE subdistrict_id = $1)::int AS communities,
             (SELECT count(*) FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1)::int AS grids,
             (SELECT count(*) FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities c ON c.id = g.community_id
               WHERE c.subdistrict_id = $1)::int AS households`, [home]);
    // 舞阳坝街道 on the seed: 8 communities, 14,308 households (56 grids, unless a plan test split one).
    expect([rows[0].communities, rows[0].households]).toEqual([8, 14_308]);
    const subs = await ok<SubdistrictCollection>('/subdistricts');
    expect(subs.features.map((f) => f.properties.id)).toEqual([home]);
    const p = subs.features[0].properties;
    expect({ communities: p.communities, grids: p.grids, households: p.households }).toEqual(rows[0]);
  });

  it('KPIs: their own unit is the subdistrict; the boards rank its communities and its grids', async () => {
    const own = await ok<KpiResponse>('/kpis');
    expect([own.level, own.id]).toEqual(['subdistrict', home]);
    const month = await ok<KpiResponse>(`/kpis?level=subdistrict&id=${home}`);
    const { rows } = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM cases k JOIN grids g ON g.id = k.grid_id JOIN communities c ON c.id = g.community_id
       WHERE c.subdistrict_id = $1 AND k.status NOT IN ('closed', 'rejected', 'duplicate')`, [home]);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(month.total.open).toBe(rows[0].n);

    // Units with cases in the period, each one of the subdistrict's (the case filed above among them).
    const comms = await ok<KpiResponse>(`/kpis?level=subdistrict&id=${home}&group=community`);
    const ownComms = await ids('SELECT id FROM communities WHERE subdistrict_id = $1');
    expect(comms.units.length).toBeGreaterThan(0);
    for (const u of comms.units) expect(ownComms).toContain(u.id);
    const grids = await ok<KpiResponse>(`/kpis?level=subdistrict&id=${home}&group=grid`);
    const ownGrids = await ids('SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1');
    expect(grids.units.length).toBeGreaterThan(0);
    for (const u of grids.units) expect(ownGrids).toContain(u.id);
    // The units' open cases add up to the subdistrict's.
    expect(comms.units.reduce((s, u) => s + u.open, 0)).toBe(month.total.open);
    expect(grids.units.reduce((s, u) => s + u.open, 0)).toBe(month.total.open);
  });

  it("the city's and another subdistrict's KPIs are a 404", async () => {
    for (const path of ['/kpis?level=city', '/kpis?level=city&group=subdistrict', `/kpis?level=subdistrict&id=${other}&group=community`]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("coverage and the live layer's open cases are the subdistrict's", async () => {
    const cov = await ok<CoverageResponse>('/coverage?kind=any');
    expect(sorted(cov.grids.map((g) => g.grid_id))).toEqual(
      await ids('SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1'),
    );
    expect(cov.grids.reduce((s, g) => s + g.households, 0)).toBe(14_308);

    const open = await ok<{ total: number; cases: { subdistrict_id: number }[] }>(`/cases?status=${OPEN_STATUSES.join(',')}&limit=200`);
    const filtered = await ok<{ total: number }>(`/cases?status=${OPEN_STATUSES.join(',')}&limit=1&subdistrict=${home}`);
    expect(Number(open.total)).toBe(Number(filtered.total));
    expect(open.cases.every((c) => c.subdistrict_id === home)).toBe(true);
    expect((await get(`/cases?status=${OPEN_STATUSES.join(',')}&subdistrict=${other}`)).status).toBe(404);
  });
});
