import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import type { CoverageResponse } from '@grid-atlas/contract';

let db: Db;
let app: ReturnType<typeof createApp>;
let leader: Record<string, string>;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db });
  leader = (await signIn(app, 'leader')).headers;
});
afterAll(() => db?.close());

const get = async (query: string, headers = leader) => app.request(`/api/coverage${query}`, { headers });

describe('GET /api/coverage', () => {
  it('counts, per grid, the households linked to a cadre of the kind (default: in-service members)', async () => {
    const res = await get('');
    expect(res.status).toBe(200);
    const body = (await res.json()) as CoverageResponse;
    expect(body.kind).toBe('in_service');
    const { rows } = await db.query<{ households: number; covered: number }>(`
      SELECT (SELECT count(*) FROM households WHERE grid_id IS NOT NULL)::int AS households,
             (SELECT count(DISTINCT l.household_id) FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id
                JOIN households h ON h.id = l.household_id
               WHERE c.kind = 'in_service' AND h.grid_id IS NOT NULL)::int AS covered`);
    expect(body.grids.reduce((s, g) => s + g.households, 0)).toBe(rows[0].households);
    expect(body.grids.reduce((s, g) => s + g.covered, 0)).toBe(rows[0].covered);
    expect(rows[0].covered).toBeGreaterThan(0);
  });

  it('counts a household as covered by grid workers when its grid has a worker (all of them on the seed)', async () => {
    const body = (await (await get('?kind=grid_worker')).json()) as CoverageResponse;
    expect(body.kind).toBe('grid_worker');
    const { rows } = await db.query<{ households: number; covered: number }>(`
      SELECT count(*)::int AS households,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cadres w WHERE w.kind = 'grid_worker' AND w.grid_id = h.grid_id))::int AS covered
        FROM households h WHERE h.grid_id IS NOT NULL`);
    expect(body.grids.reduce((s, g) => s + g.covered, 0)).toBe(rows[0].covered);
    // Every grid of the seed has its worker: 100 %.
    expect(rows[0].covered).toBe(rows[0].households);
    expect(body.grids.every((g) => g.covered === g.households)).toBe(true);
  });

  it('counts, for kind=any, the households reached by a cadre of any kind: linked members or their grid\'s worker', async () => {
    const body = (await (await get('?kind=any')).json()) as CoverageResponse;
    expect(body.kind).toBe('any');
    const { rows } = await db.query<{ covered: number; linked: number }>(`
      SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id)
                                 OR EXISTS (SELECT 1 FROM cadres w WHERE w.kind = 'grid_worker' AND w.grid_id = h.grid_id))::int AS covered,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id))::int AS linked
        FROM households h WHERE h.grid_id IS NOT NULL`);
    expect(body.grids.reduce((s, g) => s + g.covered, 0)).toBe(rows[0].covered);
    // Per grid: at least as many as any single kind.
    const single = await Promise.all(['in_service', 'sunk', 'grid_worker'].map(async (k) => (await (await get(`?kind=${k}`)).json()) as CoverageResponse));
    for (const [i, g] of body.grids.entries()) {
      for (const s of single) expect(g.covered).toBeGreaterThanOrEqual(s.grids[i].covered);
    }
    // On the seed every household is reached one way or the other.
    expect(rows[0].covered).toBe(body.grids.reduce((s, g) => s + g.households, 0));
  });

  it('differs by kind and stays within the households', async () => {
    const kinds = await Promise.all(['in_service', 'sunk', 'grid_worker'].map(async (k) => (await (await get(`?kind=${k}`)).json()) as CoverageResponse));
    const totals = kinds.map((b) => b.grids.reduce((s, g) => s + g.covered, 0));
    expect(new Set(totals).size).toBeGreaterThan(1);
    for (const b of kinds) expect(b.grids.every((g) => g.covered >= 0 && g.covered <= g.households)).toBe(true);
  });

  it('keeps a secretary to the grids of their community', async () => {
    const { rows } = await db.query<{ community_id: number; n: number }>(`
      SELECT u.community_id, (SELECT count(*) FROM grids g WHERE g.community_id = u.community_id)::int AS n
        FROM users u WHERE u.username LIKE 'secretary-%' ORDER BY u.username LIMIT 1`);
    const username = (await db.query<{ username: string }>(`SELECT username FROM users WHERE community_id = $1 AND username LIKE 'secretary-%' LIMIT 1`, [rows[0].community_id])).rows[0].username;
    const secretary = (await signIn(app, username, undefined, '10.2.0.1')).headers;
    const body = (await (await get('', secretary)).json()) as CoverageResponse;
    expect(body.grids).toHaveLength(rows[0].n);
  });

  it('refuses an unknown kind or parameter with a bilingual 400', async () => {
    for (const q of ['?kind=task_force', '?kind=', '?grid=1', '?heat=2', '?heat=']) {
      const res = await get(q);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/[\u4e00-\u9fff].*\(.+\)/);
    }
  });

  it('with heat=1 adds covered households per 0.001° cell: the same total, cell centres only', async () => {
    for (const kind of ['in_service', 'sunk', 'grid_worker', 'any']) {
      const body = (await (await get(`?kind=${kind}&heat=1`)).json()) as CoverageResponse;
      expect(body.cells!.length).toBeGreaterThan(10);
      expect(body.cells!.reduce((s, c) => s + c[2], 0)).toBe(body.grids.reduce((s, g) => s + g.covered, 0));
      for (const [lon, lat, n] of body.cells!) {
        expect(Math.abs((lon / 0.001) % 1) - 0.5).toBeCloseTo(0, 6);
        expect(Math.abs((lat / 0.001) % 1) - 0.5).toBeCloseTo(0, 6);
        expect(n).toBeGreaterThan(0);
      }
      // Without heat the answer stays as it was (no cells).
      expect(((await (await get(`?kind=${kind}`)).json()) as CoverageResponse).cells).toBeUndefined();
    }
  });
});
