// The authorization matrix: every role × every API route, status codes and row filtering.
// It fails when a route exists that the matrix does not list, so a new endpoint cannot
// ship without someone deciding who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '@grid-atlas/contract';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { decodeHouseholds } from '@grid-atlas/contract';

let db: Db;
let app: ReturnType<typeof createApp>;

type Who = 'anonymous' | 'admin' | 'leader' | 'planner' | 'subdistrict' | 'secretary' | 'grid' | 'dept';
const headers: Partial<Record<Who, Record<string, string>>> = { anonymous: {} };
const ids = { subdistrict: 0, community: 0, grid: 0, otherCommunity: 0, otherGrid: 0, otherSubdistrict: 0 };
const counts = { subdistrictGrids: 0, subdistrictCommunities: 0, communityGrids: 0, communityHouseholds: 0, gridHouseholds: 0, subdistrictHouseholds: 0 };

// 官坡 (舞阳坝) is secretary A's community; 解放路 (六角亭) is community B.
const SECRETARY_COMMUNITY = '422801001001';
const OTHER_COMMUNITY = '422801002001';

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  // Test fixtures: loosely typed rows are fine here, the assertions check the values.
  const one = async (sql: string, p: unknown[] = []) => (await db.query<Record<string, any>>(sql, p)).rows[0];
  const c = await one('SELECT id, subdistrict_id FROM communities WHERE code = $1', [SECRETARY_COMMUNITY]);
  ids.community = c.id;
  ids.subdistrict = c.subdistrict_id;
  const b = await one('SELECT id, subdistrict_id FROM communities WHERE code = $1', [OTHER_COMMUNITY]);
  ids.otherCommunity = b.id;
  ids.otherSubdistrict = b.subdistrict_id;
  ids.otherGrid = (await one('SELECT min(id) AS id FROM grids WHERE community_id = $1', [b.id])).id;
  const g = await one(`SELECT u.grid_id AS id FROM users u WHERE u.username LIKE 'grid-%' ORDER BY u.username LIMIT 1`);
  ids.grid = g.id;
  counts.communityGrids = (await one('SELECT count(*) AS n FROM grids WHERE community_id = $1', [ids.community])).n;
  counts.communityHouseholds = (await one('SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1', [ids.community])).n;
  counts.gridHouseholds = (await one('SELECT count(*) AS n FROM households WHERE grid_id = $1', [ids.grid])).n;
  counts.subdistrictCommunities = (await one('SELECT count(*) AS n FROM communities WHERE subdistrict_id = $1', [ids.subdistrict])).n;
  counts.subdistrictGrids = (await one('SELECT count(*) AS n FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1', [ids.subdistrict])).n;
  counts.subdistrictHouseholds = (await one('SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1', [ids.subdistrict])).n;
  const gridUser = (await one('SELECT username FROM users WHERE grid_id = $1', [ids.grid])).username;
  const users: Record<Exclude<Who, 'anonymous'>, string> = {
    admin: 'admin', leader: 'leader', planner: 'planner', subdistrict: 'subdistrict-422801001',
    secretary: `secretary-${SECRETARY_COMMUNITY}`, grid: gridUser, dept: 'dept-1',
  };
  for (const [who, username] of Object.entries(users)) headers[who as Who] = (await signIn(app, username, undefined, `10.1.0.${Object.keys(headers).length}`)).headers;
});
afterAll(() => db?.close());

const CITY: Who[] = ['admin', 'leader', 'planner', 'dept'];
const PERSONAL: Who[] = ['subdistrict', 'secretary', 'grid'];
const SIGNED_IN: Who[] = [...CITY, ...PERSONAL];

/** Expected status per caller, and for 200s a check of what came back. */
interface Expectation {
  status: Partial<Record<Who, number>>;
  rows?: (who: Who, res: Response) => Promise<void>;
}

const features = async (res: Response) => ((await res.json()) as any).features as any[];
const byWho = <T>(m: Partial<Record<Who, T>>) => (who: Who) => m[who];
const okFor = (who: Who[], other: number): Partial<Record<Who, number>> =>
  Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, w === 'anonymous' ? 401 : who.includes(w) ? 200 : other]));

const PLAN_VIEW: Who[] = ['planner', 'leader', 'subdistrict', 'secretary'];
const planView = (allowed: number): Partial<Record<Who, number>> =>
  Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, w === 'anonymous' ? 401 : PLAN_VIEW.includes(w) ? allowed : 403]));

const MATRIX: Record<string, Expectation> = {
  'GET /api/health': { status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 200])) },
  'POST /api/auth/login': { status: {} }, // public; covered by auth.test.ts
  'GET /api/client-config': { // public: deployment settings only; see routes/client-config.test.ts
    status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 200])),
    rows: async (_who, res) => expect(clientConfig.parse(await res.json())).toEqual({ basemapStyleUrl: null }),
  },
  'POST /api/auth/logout': { status: { anonymous: 401 } }, // signed-in case covered by auth.test.ts
  'GET /api/me': { status: okFor(SIGNED_IN, 200) },
  'GET /api/subdistricts': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const n = byWho<number>({ subdistrict: 1, secretary: 0, grid: 0 })(who) ?? 5;
      expect((await features(res)).length).toBe(n);
    },
  },
  'GET /api/communities': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const f = await features(res);
      const n = byWho<number>({ subdistrict: counts.subdistrictCommunities, secretary: 1, grid: 0 })(who) ?? 33;
      expect(f.length).toBe(n);
      if (who === 'secretary') expect(f[0].id).toBe(ids.community);
    },
  },
  'GET /api/grids': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const f = await features(res);
      const n = byWho<number>({ subdistrict: counts.subdistrictGrids, secretary: counts.communityGrids, grid: 1 })(who) ?? 359;
      expect(f.length).toBe(n);
      if (who === 'secretary') expect(f.every((x) => x.properties.community_id === ids.community)).toBe(true);
      if (who === 'grid') expect(f[0].id).toBe(ids.grid);
    },
  },
  // public: the city outline is public data, drawn by the residents' report page
  'GET /api/city-outline': { status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 200])) },
  'GET /api/coverage': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const body = (await res.json()) as { grids: { households: number; covered: number }[] };
      const n = byWho<number>({ subdistrict: counts.subdistrictGrids, secretary: counts.communityGrids, grid: 1 })(who) ?? 359;
      expect(body.grids.length).toBe(n);
      expect(body.grids.every((g) => g.covered <= g.households)).toBe(true);
    },
  },
  'GET /api/basemap': { // public: synthetic streets and the river, drawn by the residents' report page
    status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 200])),
    rows: async (_who, res) => {
      const fc = (await features(res)) as { properties: { kind: string; synthetic: boolean } }[];
      expect(fc.filter((f) => f.properties.kind === 'river')).toHaveLength(1);
      expect(fc.every((f) => f.properties.synthetic)).toBe(true);
    },
  },
  'GET /api/households': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const h = decodeHouseholds(new Uint8Array(await res.arrayBuffer()));
      const n = byWho<number>({ subdistrict: counts.subdistrictHouseholds, secretary: counts.communityHouseholds, grid: counts.gridHouseholds })(who) ?? 95_402;
      expect(h.ids.length).toBe(n);
    },
  },
  'GET /api/households/records': {
    status: okFor(PERSONAL, 403),
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      const n = byWho<number>({ subdistrict: counts.subdistrictHouseholds, secretary: counts.communityHouseholds, grid: counts.gridHouseholds })(who)!;
      expect(body.total).toBe(n);
      expect(body.households[0]).toHaveProperty('head_name');
    },
  },
  'GET /api/roster': {
    status: okFor(PERSONAL, 403),
    rows: async (who, res) => {
      const n = byWho<number>({ subdistrict: counts.subdistrictGrids, secretary: counts.communityGrids, grid: 1 })(who)!;
      expect(((await res.json()) as any).grids.length).toBe(n);
    },
  },
  'GET /api/links': {
    status: okFor(PERSONAL, 403),
    rows: async (who, res) => {
      const links = ((await res.json()) as any).links as any[];
      expect(links.length).toBeGreaterThan(0);
      if (who !== 'subdistrict') {
        const visible = new Set((await db.query(
          who === 'secretary' ? 'SELECT id FROM households h WHERE grid_id IN (SELECT id FROM grids WHERE community_id = $1)'
                              : 'SELECT id FROM households WHERE grid_id = $1', [who === 'secretary' ? ids.community : ids.grid])).rows.map((r) => r.id));
        expect(links.every((l) => visible.has(l.household_id))).toBe(true);
      }
    },
  },
  'GET /api/audit': { status: okFor(['admin'], 403) },
  // live: every signed-in role streams its own scope (routes/events.test.ts covers what each sees)
  'GET /api/events': {
    status: okFor(SIGNED_IN, 200),
    rows: async (_who, res) => {
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      expect(first).toMatch(/^event: ready\n/);
    },
  },
  'GET /api/kpis': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      const level = byWho<string>({ subdistrict: 'subdistrict', secretary: 'community', grid: 'grid', dept: 'department' })(who) ?? 'city';
      expect(body.level).toBe(level);
      if (who === 'secretary') expect(body.id).toBe(ids.community);
    },
  },
  // Cases: every signed-in role reads the catalogue and its own scope's cases (department staff
  // only their department's); leaders and planners do not file. Per-case rights, the transition
  // table and scope are covered by server/src/cases/transitions.test.ts and routes/cases.test.ts.
  'GET /api/case-categories': { status: okFor(SIGNED_IN, 200) },
  'GET /api/cases': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const cases = ((await res.json()) as any).cases as any[];
      if (who === 'secretary') expect(cases.every((c) => c.community_id === ids.community)).toBe(true);
      if (who === 'grid') expect(cases.every((c) => c.grid_id === ids.grid || c.assigned_grid_id === ids.grid)).toBe(true);
      if (who === 'subdistrict') expect(cases.every((c) => c.subdistrict_id === ids.subdistrict)).toBe(true);
    },
  },
  // writes need the CSRF header, which this matrix does not send: signed-in callers are covered
  // by routes/cases.test.ts (leaders and planners 403) and cases/transitions.test.ts
  'POST /api/cases': { status: { anonymous: 401 } },
  // ":id" is not an id: a malformed id is a 400 for everyone signed in
  'GET /api/cases/:id': { status: okFor([], 400) },
  'POST /api/cases/:id/actions': { status: { anonymous: 401 } },
  'GET /api/cases/:id/party-members': { status: okFor([], 400) },
  'GET /api/cases/:id/photos/:photoId': { status: okFor([], 400) },
  // Grid plans: viewers are the planner, city leader, subdistrict admin and secretary (scoped);
  // without ?community= or with the literal ':id' a permitted caller gets 400, everyone else 403.
  // Writes (CSRF, bodies, 404 outside the area) are covered role by role in routes/plans.test.ts.
  'GET /api/blocks': { status: planView(400) },
  'GET /api/plans': {
    status: planView(200),
    rows: async (who, res) => {
      const plans = ((await res.json()) as any).plans as any[];
      if (who === 'secretary') expect(plans.every((p) => p.community_id === ids.community)).toBe(true);
    },
  },
  'GET /api/plans/:id': { status: planView(400) },
  'GET /api/plans/:id/geojson': { status: planView(400) },
  'POST /api/plans': { status: { anonymous: 401 } },
  'POST /api/plans/import': { status: { anonymous: 401 } },
  'POST /api/plans/:id/validate': { status: { anonymous: 401 } },
  'POST /api/plans/apply': { status: { anonymous: 401 } },
  'POST /api/plans/:id/apply': { status: { anonymous: 401 } },
  'POST /api/plans/:id/revert': { status: { anonymous: 401 } },
  'POST /api/blocks/split': { status: { anonymous: 401 } },
  'POST /api/blocks/edge': { status: { anonymous: 401 } },
  // The residents' report page, without an account (routes/public-reports.test.ts covers filing,
  // bad input, abuse limits and what a follow link shows).
  'GET /api/public/categories': {
    status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 200])),
    rows: async (_who, res) => expect(((await res.json()) as any).categories.length).toBeGreaterThan(0),
  },
  // an empty body is refused before anything is stored, for everyone alike
  'POST /api/public/reports': { status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 400])) },
  // ":token" is not a token: the same 404 as a wrong one
  'GET /api/public/reports/:token': { status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 404])) },
  'POST /api/public/reports/:token/rate': { status: Object.fromEntries((['anonymous', ...SIGNED_IN] as Who[]).map((w) => [w, 404])) },
  'GET /api/resources': {
    status: okFor(SIGNED_IN, 200),
    rows: async (_who, res) => expect(((await res.json()) as any).resources.length).toBeGreaterThanOrEqual(24),
  },
  // writes need the CSRF header, which this matrix does not send: routes/resources.test.ts covers them
  'POST /api/resources': { status: { anonymous: 401 } },
  'PATCH /api/resources/:id': { status: { anonymous: 401 } },
  'GET /api/cases/:id/suggestions': { status: okFor([], 400) },
  // The needs list: every signed-in role reads its own scope (department staff the needs dispatched
  // to their unit); writes need the CSRF header: routes/needs.test.ts covers every step by role and scope.
  'GET /api/needs': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const needs = ((await res.json()) as any).needs as any[];
      if (who === 'secretary') expect(needs.every((n) => n.community_id === ids.community)).toBe(true);
      if (who === 'grid') expect(needs.every((n) => n.grid_id === ids.grid)).toBe(true);
      if (who === 'subdistrict') expect(needs.every((n) => n.subdistrict_id === ids.subdistrict)).toBe(true);
    },
  },
  'GET /api/needs/summary': {
    status: okFor(SIGNED_IN, 200),
    rows: async (who, res) => {
      const communities = ((await res.json()) as any).communities as any[];
      if (who === 'secretary') expect(communities.every((c) => c.community_id === ids.community)).toBe(true);
    },
  },
  'POST /api/needs': { status: { anonymous: 401 } },
  'GET /api/needs/:id': { status: okFor([], 400) },
  'POST /api/needs/:id/actions': { status: { anonymous: 401 } },
  'GET /api/needs/:id/suggestions': { status: okFor([], 400) },
  'GET /api/departments': {
    status: okFor(SIGNED_IN, 200),
    rows: async (_who, res) => {
      const { departments } = (await res.json()) as { departments: { id: number; name: string }[] };
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM departments');
      expect(departments.length).toBe(rows[0].n);
      expect(departments.every((d) => d.id > 0 && d.name.length > 0)).toBe(true);
    },
  },
};

describe('authorization matrix', () => {
  it('lists every API route the app serves', () => {
    const served = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.endsWith('*'))
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...served].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [route, exp] of Object.entries(MATRIX)) {
    const [method, path] = route.split(' ');
    for (const [who, status] of Object.entries(exp.status) as [Who, number][]) {
      it(`${route} as ${who} → ${status}`, async () => {
        const h = method === 'GET' ? headers[who] : { ...headers[who], 'Content-Type': 'application/json' };
        const res = await app.request(path, { method, headers: h });
        expect(res.status).toBe(status);
        if (status === 200 && exp.rows) await exp.rows(who, res);
        if (status !== 200) expect(((await res.json()) as any).error).toBeTruthy();
      });
    }
  }
});

describe('a secretary sees nothing of another community', () => {
  const get = (path: string) => app.request(path, { headers: headers.secretary });

  it.each([
    () => `/api/grids?community=${ids.otherCommunity}`,
    () => `/api/communities?subdistrict=${ids.otherSubdistrict}`,
    () => `/api/grids?subdistrict=${ids.otherSubdistrict}`,
    () => `/api/households/records?community=${ids.otherCommunity}`,
    () => `/api/households/records?grid=${ids.otherGrid}`,
    () => `/api/roster?community=${ids.otherCommunity}`,
    () => `/api/links?community=${ids.otherCommunity}`,
    () => `/api/links?grid=${ids.otherGrid}`,
  ])('by id: %s → 404, as if it did not exist', async (path) => {
    const res = await get(path());
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/解放路/);
  });

  it('by a crafted filter: own community with another subdistrict, or a bbox', async () => {
    const mixed = await get(`/api/grids?community=${ids.community}&subdistrict=${ids.otherSubdistrict}`);
    expect(mixed.status).toBe(404);
    expect((await get('/api/grids?bbox=109.4,30.2,109.6,30.4')).status).toBe(400);
    const own = await features(await get(`/api/grids?subdistrict=${ids.subdistrict}`));
    expect(own.every((f) => f.properties.community_id === ids.community)).toBe(true);
  });

  it('answers malformed paging with 400, not a database error', async () => {
    for (const q of ['offset=99999999999999999999', 'limit=0', 'limit=501', 'difficulty=yes']) {
      const res = await get(`/api/households/records?${q}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error).toMatch(/offset|limit|difficulty/);
    }
  });

  it('by searching for a resident of B by name, phone or address', async () => {
    const b = (await db.query<{ head_name: string; phone: string; address: string }>(
      `SELECT h.head_name, h.phone, h.address FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1 LIMIT 1`,
      [ids.otherCommunity])).rows[0];
    for (const q of [b.phone, b.address]) {
      const body = (await (await get(`/api/households/records?q=${encodeURIComponent(q)}`)).json()) as any;
      expect(body.total).toBe(0);
    }
    const byName = (await (await get(`/api/households/records?q=${encodeURIComponent(b.head_name)}&limit=500`)).json()) as any;
    expect(byName.households.every((h: any) => h.community_id === ids.community)).toBe(true);
  });
});

describe('leaders and planners get no personal data', () => {
  // Searched for as UTF-8 bytes, so the binary GET /api/households is covered like the JSON routes.
  const contains = (body: Buffer, s: string) => body.includes(Buffer.from(s, 'utf8'));
  // Households whose head does not share a name with a cadre (cadres are not residents).
  const sample = () => db.query<{ head_name: string; phone: string; address: string }>(
    'SELECT head_name, phone, address FROM households WHERE head_name NOT IN (SELECT name FROM cadres) ORDER BY id LIMIT 3').then((r) => r.rows);

  it('the byte search finds personal data where it is allowed (a secretary\'s register)', async () => {
    const own = (await db.query<{ head_name: string; phone: string }>(
      `SELECT h.head_name, h.phone FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1 ORDER BY h.id LIMIT 1`,
      [ids.community])).rows[0];
    const res = await app.request(`/api/households/records?q=${encodeURIComponent(own.phone)}`, { headers: headers.secretary });
    const body = Buffer.from(await res.arrayBuffer());
    expect(contains(body, own.head_name)).toBe(true);
    expect(contains(body, own.phone)).toBe(true);
  });

  it.each(['leader', 'planner', 'dept', 'admin'] as Who[])('%s: no names, phones or addresses in any response', async (who) => {
    const people = await sample();
    let binaryChecked = false;
    // The live stream never ends; what its events carry is tested in routes/events.test.ts.
    for (const route of Object.keys(MATRIX).filter((r) => r.startsWith('GET ') && r !== 'GET /api/events')) {
      const res = await app.request(route.slice(4), { headers: headers[who] });
      if (res.status !== 200) continue;
      const body = Buffer.from(await res.arrayBuffer());
      if (route === 'GET /api/households') {
        // The sample households are all in it (a city role sees every one), by id only.
        const ids = decodeHouseholds(new Uint8Array(body)).ids;
        expect(ids.length).toBe(95_402);
        binaryChecked = true;
      } else {
        // A case's "address" is where the problem is (a street corner, a stairwell), which every
        // case handler needs; residents' own addresses are caught by the byte search below.
        const keys = route.startsWith('GET /api/cases') ? /"head_name"|"phone"/ : /"head_name"|"phone"|"address"/;
        expect(body.toString('utf8'), route).not.toMatch(keys);
      }
      for (const s of people) {
        expect(contains(body, s.head_name), `${route}: a head_name`).toBe(false);
        expect(contains(body, s.phone), `${route}: a phone`).toBe(false);
        expect(contains(body, s.address), `${route}: an address`).toBe(false);
      }
    }
    expect(binaryChecked).toBe(true);
  });
});
