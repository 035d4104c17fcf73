// The authorization matrix: every role × every API route, status codes and row filtering.
// Every route (the API under /api and the OGC API under /ogc) has one row in MATRIX naming, by
// hand, the status each caller gets: the anonymous caller and one account of each of the nine
// roles (the task force twice: city-wide and scoped to a community). Writes are sent as a
// signed-in browser sends them (session cookie, CSRF token, JSON with real ids), so a row tests
// who may, not how the body is parsed. A route the app serves without a row, or a row that
// leaves a caller out, fails the first test, so a new endpoint cannot ship without someone
// deciding who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { clientConfig } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { CONTRACT_RESPONSES, NON_JSON_ROUTES, UNTYPED_JSON_ROUTES } from './contract-responses.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { decodeHouseholds } from '@grid-atlas/contract';

let db: Db;
let app: ReturnType<typeof createApp>;

/** The callers, in the order of the columns of MATRIX. */
const CALLERS = [
  'anonymous', 'admin', 'leader', 'planner', 'subdistrict', 'secretary', 'grid', 'dept', 'taskforce', 'taskforceCommunity', 'member',
] as const;
type Who = (typeof CALLERS)[number];
const signed: Partial<Record<Who, Signed>> = {};
/** Each caller writes from an address of its own (trustProxy), so per-address limits never mix callers. */
const ip = (who: Who) => `10.1.1.${CALLERS.indexOf(who) + 1}`;
const ids = {
  subdistrict: 0, community: 0, grid: 0, otherCommunity: 0, otherGrid: 0, otherSubdistrict: 0,
  // fixtures written in beforeAll, in the secretary's community (and the grid worker's grid)
  case: 0, consultation: 0, committee: 0, photo: 0, need: 0, draft: 0, invalidDraft: 0, resource: 0, resourceCapacity: 0, layoutVersion: 0,
  blocks: [0, 0] as [number, number], token: '', point: { lon: 0, lat: 0 },
};
const counts = { subdistrictGrids: 0, subdistrictCommunities: 0, communityGrids: 0, communityHouseholds: 0, gridHouseholds: 0, subdistrictHouseholds: 0 };

// 官坡 (舞阳坝) is secretary A's community; 解放路 (六角亭) is community B.
const SECRETARY_COMMUNITY = '422801001001';
const OTHER_COMMUNITY = '422801002001';

const writeHeaders = (who: Who): Record<string, string> =>
  ({ ...(signed[who]?.write ?? { 'Content-Type': 'application/json' }), 'X-Forwarded-For': ip(who) });

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
  const g = await one(`SELECT u.grid_id AS id, g.code FROM users u JOIN grids g ON g.id = u.grid_id
                        WHERE u.username LIKE 'grid-%' ORDER BY u.username LIMIT 1`);
  ids.grid = g.id;
  counts.communityGrids = (await one('SELECT count(*) AS n FROM grids WHERE community_id = $1', [ids.community])).n;
  counts.communityHouseholds = (await one('SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.community_id = $1', [ids.community])).n;
  counts.gridHouseholds = (await one('SELECT count(*) AS n FROM households WHERE grid_id = $1', [ids.grid])).n;
  counts.subdistrictCommunities = (await one('SELECT count(*) AS n FROM communities WHERE subdistrict_id = $1', [ids.subdistrict])).n;
  counts.subdistrictGrids = (await one('SELECT count(*) AS n FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1', [ids.subdistrict])).n;
  counts.subdistrictHouseholds = (await one('SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = $1', [ids.subdistrict])).n;
  const users: Record<Exclude<Who, 'anonymous'>, string> = {
    admin: 'admin', leader: 'leader', planner: 'planner', subdistrict: 'subdistrict-422801001',
    secretary: `secretary-${SECRETARY_COMMUNITY}`, grid: `grid-${g.code}`, dept: 'dept-1',
    taskforce: 'taskforce', taskforceCommunity: `taskforce-${SECRETARY_COMMUNITY}`, member: `member-${g.code}`,
  };
  for (const [who, username] of Object.entries(users) as [Who, string][]) signed[who] = await signIn(app, username, undefined, ip(who));
  // The accounts are what the columns say they are.
  const roles = (await db.query<{ username: string; role: string; community_id: number | null; grid_id: number | null }>(
    'SELECT username, role, community_id, grid_id FROM users WHERE username = ANY ($1::text[])', [Object.values(users)])).rows;
  const role = (u: string) => roles.find((r) => r.username === u)!;
  expect(role('taskforce')).toMatchObject({ role: 'task_force', community_id: null });
  expect(role(users.taskforceCommunity)).toMatchObject({ role: 'task_force', community_id: ids.community });
  expect(role(users.member)).toMatchObject({ role: 'party_member', grid_id: ids.grid });
  expect(new Set(roles.map((r) => r.role)).size).toBe(9);

  const post = async (who: Who, path: string, body: unknown, expected: number) => {
    const res = await app.request(path, { method: 'POST', headers: writeHeaders(who), body: JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(expected);
    return JSON.parse(text);
  };
  ids.point = await one('SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id = $1) x', [ids.grid]) as any;
  // A case in the grid worker's grid, accepted: the grid worker dispatches it now. One photo.
  ids.case = (await post('grid', '/api/cases', { category: 'garbage', description: '矩阵测试：垃圾未清运', ...ids.point }, 201)).id;
  await post('grid', `/api/cases/${ids.case}/actions`, { action: 'accept' }, 200);
  // A consultation (协商议办) claimed by the grid worker: its 四方共议 is open for steps.
  ids.consultation = (await post('grid', '/api/cases', { category: 'noise', description: '矩阵测试：楼上装修噪声', ...ids.point }, 201)).id;
  for (const action of [{ action: 'accept' }, { action: 'dispatch', mode: 'consultation', grid_worker: true }, { action: 'claim' }]) {
    await post('grid', `/api/cases/${ids.consultation}/actions`, action, 200);
  }
  // A case given to the community's 大党委 units together (大党委联动交办).
  ids.committee = (await post('grid', '/api/cases', { category: 'garbage', description: '矩阵测试：大党委交办', ...ids.point }, 201)).id;
  for (const action of [{ action: 'accept' }, { action: 'dispatch', mode: 'party_committee' }]) {
    await post('grid', `/api/cases/${ids.committee}/actions`, action, 200);
  }
  const image = Buffer.from('not really a picture');
  ids.photo = (await one(
    `INSERT INTO case_photos (case_id, mime, image, thumbnail, size, width, height, sha256)
     VALUES ($1, 'image/png', $2, $2, $3, 1, 1, $4) RETURNING id`,
    [ids.case, image, image.length, createHash('sha256').update(image).digest('hex')])).id;
  // A need gathered in the same grid.
  ids.need = (await post('grid', '/api/needs', { title: '矩阵测试：加装扶手', category: 'elderly_care', ...ids.point }, 201)).need.id;
  // Two drafts of the community: its current layout (valid), and one that cuts a grid in two
  // (a block of grid A that does not touch grid B, painted into B): applying it is a 422.
  const layout = (await db.query<{ block: number; grid: number }>(
    'SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [ids.community])).rows;
  ids.draft = (await post('planner', '/api/plans', { community: ids.community, title: '矩阵测试', assignments: layout }, 201)).id;
  const cut = await one(`
    SELECT b.id AS block, gb.id AS to_grid FROM blocks b JOIN grids gb ON gb.community_id = b.community_id AND gb.id <> b.grid_id
     WHERE b.community_id = $1 AND NOT ST_Intersects(b.geom, gb.geom) ORDER BY b.id, gb.id LIMIT 1`, [ids.community]);
  ids.invalidDraft = (await post('planner', '/api/plans', {
    community: ids.community, title: '矩阵测试（无效）',
    assignments: layout.map((a) => (a.block === cut.block ? { ...a, grid: cut.to_grid } : a)),
  }, 201)).id;
  ids.layoutVersion = (await one('SELECT layout_version FROM communities WHERE id = $1', [ids.community])).layout_version;
  ids.blocks = [layout[0].block, layout[1].block];
  const resource = await one(
    `SELECT r.id, r.capacity FROM department_resources r JOIN users u ON u.department_id = r.department_id
      WHERE u.username = 'dept-1' ORDER BY r.id LIMIT 1`);
  ids.resource = resource.id;
  ids.resourceCapacity = resource.capacity;
  // A resident's report from the public page, and its follow token.
  ids.token = (await post('anonymous', '/api/public/reports', { category: 'garbage', description: '矩阵测试：路灯不亮', ...ids.point }, 201)).token;
});
afterAll(async () => {
  // The tokens the matrix made: revoked, so a database reused by the next run has room (10 active a user).
  await db?.query(`UPDATE personal_access_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND name LIKE '矩阵测试%'`);
  // The vanguard tasks the matrix made, so the seeded figures stay as seeded.
  await db?.query(`DELETE FROM vanguard_tasks WHERE title = '矩阵测试任务' AND NOT synthetic`);
  // The member row the matrix added (no progress report names it).
  if (matrixMember) await db?.query('DELETE FROM vanguard_members WHERE team_id = $1 AND cadre_id = $2 AND NOT synthetic', [matrixMember.team, matrixMember.cadre]);
  // The team's seeded captain, back in place after the matrix's changes of captain.
  if (matrixCaptain) {
    await db?.query(`UPDATE vanguard_members SET role = 'member' WHERE team_id = $1 AND role = 'captain'`, [matrixCaptain.team]);
    await db?.query(`UPDATE vanguard_members SET role = 'captain' WHERE id = $1`, [matrixCaptain.id]);
  }
  await db?.close();
});

/** The secretary's community's vanguard team's captain before the matrix ran. */
let matrixCaptain: { team: number; id: number } | null = null;

/** The secretary's community's vanguard team. */
async function matrixTeam(): Promise<number> {
  return (await db.query<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [ids.community])).rows[0].id;
}
/** A sunk cadre of the secretary's community who was never on its team: the one the matrix adds and removes. */
let matrixMember: { team: number; cadre: number } | null = null;
async function matrixCadre(): Promise<{ team: number; cadre: number }> {
  if (matrixMember) return matrixMember;
  const team = await matrixTeam();
  const { rows } = await db.query<{ id: number }>(
    `SELECT cd.id FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id
      WHERE cd.kind = 'sunk' AND b.community_id = $1
        AND NOT EXISTS (SELECT 1 FROM vanguard_members m WHERE m.cadre_id = cd.id AND m.team_id = $2)
      ORDER BY cd.id DESC LIMIT 1`, [ids.community, team]);
  matrixMember = { team, cadre: rows[0].id };
  return matrixMember;
}

const CITY: Who[] = ['admin', 'leader', 'planner', 'dept', 'taskforce'];
const PERSONAL: Who[] = ['subdistrict', 'secretary', 'grid'];

/** A request as a caller sends it: GET with the cookie; anything else also with the CSRF header and a JSON body. */
interface Req { path: string; body?: unknown; headers?: Record<string, string>; form?: Record<string, string | File> }

/**
 * One route: the status each caller gets, in the order of CALLERS, and (optional) the request a
 * caller sends (default: the route's path as is, no body) and a check of what a 200 holds.
 */
interface Expectation {
  status: readonly number[];
  req?: (who: Who) => Req | Promise<Req>;
  rows?: (who: Who, res: Response) => Promise<void>;
}

const features = async (res: Response) => ((await res.json()) as any).features as any[];
const byWho = <T>(m: Partial<Record<Who, T>>) => (who: Who) => m[who];
/** Rows of a caller's own area: the subdistrict admin's, the community's (secretary, community task force), the grid's (grid worker, party member). */
const areaCount = (n: { subdistrict: number; community: number; grid: number }) =>
  byWho<number>({ subdistrict: n.subdistrict, secretary: n.community, taskforceCommunity: n.community, grid: n.grid, member: n.grid });

// The table. Columns: anonymous, admin, leader, planner, subdistrict admin, secretary, grid worker,
// department staff, city task force, community task force, party member. Where a write is
// allowed, the status is what the handler answers the fixture (201 created, 200 done, or a
// refusal that only a caller past the role check can reach: 409 a stale layout or an unapplied
// plan, 422 an invalid plan, 400 an import that does not fit the community).
const MATRIX: Record<string, Expectation> = {
  //                                           anon adm  lead plan subd secr grid dept tf   tfC  memb
  'GET /api/health':                 { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'POST /api/auth/login':            { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/api/auth/login', body: { username: 'leader', password: 'enshi-demo' } }) },
  'GET /api/client-config':          { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200], // deployment settings only
    rows: async (_who, res) => expect(clientConfig.parse(await res.json())).toEqual({ basemapStyleUrl: null }) },
  // every signed-in caller ends its own session: a fresh one, signed in for the purpose
  'POST /api/auth/logout':           { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: async (who) => {
      if (who === 'anonymous') return { path: '/api/auth/logout' };
      const username = ((await (await app.request('/api/me', { headers: signed[who]!.headers })).json()) as any).user.username;
      const fresh = await signIn(app, username, undefined, ip(who));
      return { path: '/api/auth/logout', headers: { ...fresh.write, 'X-Forwarded-For': ip(who) } };
    } },
  'GET /api/me':                     { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  // each account sets its own interface language (to the default it already has, so nothing changes)
  'PUT /api/me/locale':              { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/api/me/locale', body: { locale: 'zh-CN' } }) },
  'GET /api/subdistricts':           { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const n = byWho<number>({ subdistrict: 1, secretary: 0, grid: 0, taskforceCommunity: 0, member: 0 })(who) ?? 5;
      expect((await features(res)).length).toBe(n);
    } },
  'GET /api/communities':            { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const f = await features(res);
      expect(f.length).toBe(areaCount({ subdistrict: counts.subdistrictCommunities, community: 1, grid: 0 })(who) ?? 33);
      if (who === 'secretary' || who === 'taskforceCommunity') expect(f[0].id).toBe(ids.community);
    } },
  'GET /api/grids':                  { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const f = await features(res);
      expect(f.length).toBe(areaCount({ subdistrict: counts.subdistrictGrids, community: counts.communityGrids, grid: 1 })(who) ?? 359);
      if (who === 'secretary' || who === 'taskforceCommunity') expect(f.every((x) => x.properties.community_id === ids.community)).toBe(true);
      if (who === 'grid' || who === 'member') expect(f[0].id).toBe(ids.grid);
    } },
  // public: the city outline is public data, drawn by the residents' report page
  'GET /api/city-outline':           { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /api/coverage':               { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const body = (await res.json()) as { grids: { households: number; covered: number }[] };
      expect(body.grids.length).toBe(areaCount({ subdistrict: counts.subdistrictGrids, community: counts.communityGrids, grid: 1 })(who) ?? 359);
      expect(body.grids.every((g) => g.covered <= g.households)).toBe(true);
    } },
  // public: synthetic streets and the river, drawn by the residents' report page
  'GET /api/basemap':                { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => {
      const fc = (await features(res)) as { properties: { kind: string; synthetic: boolean } }[];
      expect(fc.filter((f) => f.properties.kind === 'river')).toHaveLength(1);
      expect(fc.every((f) => f.properties.synthetic)).toBe(true);
    } },
  'GET /api/households':             { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const h = decodeHouseholds(new Uint8Array(await res.arrayBuffer()));
      expect(h.ids.length).toBe(areaCount({ subdistrict: counts.subdistrictHouseholds, community: counts.communityHouseholds, grid: counts.gridHouseholds })(who) ?? 95_402);
    } },
  // personal data: only the area roles, for their own area
  'GET /api/households/records':     { status: [401, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403],
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      expect(body.total).toBe(areaCount({ subdistrict: counts.subdistrictHouseholds, community: counts.communityHouseholds, grid: counts.gridHouseholds })(who));
      expect(body.households[0]).toHaveProperty('head_name');
    } },
  // exports: the list's own rows as a file; the register is personal data, as its list
  'GET /api/exports/households':     { status: [401, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403],
    req: () => ({ path: '/api/exports/households?format=csv' }),
    rows: async (who, res) => expect(Number(res.headers.get('X-Export-Rows')))
      .toBe(areaCount({ subdistrict: counts.subdistrictHouseholds, community: counts.communityHouseholds, grid: counts.gridHouseholds })(who)) },
  'GET /api/exports/cases':          { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/api/exports/cases?format=csv' }),
    rows: async (who, res) => {
      const list = (await (await app.request('/api/cases?limit=1', { headers: signed[who]!.headers })).json()) as any;
      expect(Number(res.headers.get('X-Export-Rows'))).toBe(list.total);
    } },
  'GET /api/exports/needs':          { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/api/exports/needs?format=csv' }),
    rows: async (who, res) => {
      const list = (await (await app.request('/api/needs?limit=1', { headers: signed[who]!.headers })).json()) as any;
      expect(Number(res.headers.get('X-Export-Rows'))).toBe(list.total);
    } },
  'GET /api/exports/kpis':           { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/api/exports/kpis?format=csv' }) },
  // places in words: a point's grid and nearest building; addresses (household heads only for personal roles, places.test.ts)
  'GET /api/places/at':              { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: `/api/places/at?lon=${ids.point.lon}&lat=${ids.point.lat}` }) },
  'GET /api/places':                 { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: `/api/places?q=${encodeURIComponent('路')}` }) },
  // public: what the residents' report page shows of a pin, never a person
  'GET /api/public/places/at':       { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: `/api/public/places/at?lon=${ids.point.lon}&lat=${ids.point.lat}` }) },
  'GET /api/public/places':          { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: `/api/public/places?q=${encodeURIComponent('解放')}` }),
    rows: async (_who, res) => expect(((await res.json()) as any).places.every((p: any) => !('head_name' in p))).toBe(true) },
  'GET /api/roster':                 { status: [401, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403],
    rows: async (who, res) => {
      expect(((await res.json()) as any).grids.length).toBe(areaCount({ subdistrict: counts.subdistrictGrids, community: counts.communityGrids, grid: 1 })(who));
    } },
  'GET /api/links':                  { status: [401, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403],
    rows: async (who, res) => {
      const links = ((await res.json()) as any).links as any[];
      expect(links.length).toBeGreaterThan(0);
      if (who !== 'subdistrict') {
        const visible = new Set((await db.query(
          who === 'secretary' ? 'SELECT id FROM households h WHERE grid_id IN (SELECT id FROM grids WHERE community_id = $1)'
                              : 'SELECT id FROM households WHERE grid_id = $1', [who === 'secretary' ? ids.community : ids.grid])).rows.map((r) => r.id));
        expect(links.every((l) => visible.has(l.household_id))).toBe(true);
      }
    } },
  // 双定三联's third link: businesses and the members linked to them, in the caller's area only
  'GET /api/business-links':         { status: [401, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403],
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      expect(body.businesses.length).toBeGreaterThan(0);
      const inArea = (await db.query<{ id: number }>(
        `SELECT b.id FROM businesses b JOIN communities c ON c.id = b.community_id
          WHERE c.subdistrict_id = $1`, [ids.subdistrict])).rows.map((r) => r.id);
      expect(body.businesses.every((b: any) => inArea.includes(b.id))).toBe(true);
      if (who === 'secretary') expect(body.businesses.every((b: any) => b.community_id === ids.community)).toBe(true);
      if (who === 'grid') expect(body.businesses.every((b: any) => b.grid_id === ids.grid)).toBe(true);
      const shown = new Set(body.businesses.map((b: any) => b.id));
      expect(body.links.every((l: any) => shown.has(l.business_id))).toBe(true);
    } },
  'GET /api/audit':                  { status: [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403] },
  // live: every signed-in role streams its own scope (routes/events.test.ts covers what each sees)
  'GET /api/events':                 { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => {
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      expect(first).toMatch(/^event: ready\n/);
    } },
  'GET /api/kpis':                   { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      const level = byWho<string>({ subdistrict: 'subdistrict', secretary: 'community', taskforceCommunity: 'community', grid: 'grid', member: 'grid', dept: 'department' })(who) ?? 'city';
      expect(body.level).toBe(level);
      if (who === 'secretary' || who === 'taskforceCommunity') expect(body.id).toBe(ids.community);
      if (who === 'grid' || who === 'member') expect(body.id).toBe(ids.grid);
    } },
  // The command centre's 30-day trend: the same unit and scope as GET /api/kpis, one point a day.
  'GET /api/kpis/trend':             { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      const level = byWho<string>({ subdistrict: 'subdistrict', secretary: 'community', taskforceCommunity: 'community', grid: 'grid', member: 'grid', dept: 'department' })(who) ?? 'city';
      expect(body.level).toBe(level);
      if (who === 'secretary' || who === 'taskforceCommunity') expect(body.id).toBe(ids.community);
      if (who === 'grid' || who === 'member') expect(body.id).toBe(ids.grid);
      expect(body.days).toHaveLength(30);
    } },
  // Cases: every signed-in role reads the catalogue and its own scope's cases (department staff
  // only their department's; dept-1 is not the fixture case's). Leaders and planners do not file.
  // Which action each role may take in each status is server/src/cases/transitions.test.ts.
  'GET /api/case-categories':        { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /api/cases':                  { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const cases = ((await res.json()) as any).cases as any[];
      if (who === 'secretary' || who === 'taskforceCommunity') expect(cases.every((c) => c.community_id === ids.community)).toBe(true);
      if (who === 'grid') expect(cases.every((c) => c.grid_id === ids.grid || c.assigned_grid_id === ids.grid)).toBe(true);
      if (who === 'subdistrict') expect(cases.every((c) => c.subdistrict_id === ids.subdistrict)).toBe(true);
      if (who !== 'dept') expect(cases.some((c) => c.id === ids.case), 'the fixture case').toBe(true);
      else expect(cases.some((c) => c.id === ids.case)).toBe(false);
    } },
  // 在办诉求类别 in one request: GET /api/cases's scope, counted per category (cases-by-category.test.ts
  // checks the counts against GET /api/cases for two roles).
  'GET /api/cases/by-category':      { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      expect(body.categories.length).toBeGreaterThan(0);
      const total = body.categories.reduce((n: number, c: any) => n + c.count, 0);
      // The fixture case (in the secretary's community and grid) is counted by all who see it.
      if (who !== 'dept') expect(total).toBeGreaterThan(0);
    } },
  'POST /api/cases':                 { status: [401, 201, 403, 403, 201, 201, 201, 201, 201, 201, 201],
    req: () => ({ path: '/api/cases', body: { category: 'garbage', description: '矩阵测试：楼道堆物', ...ids.point } }) },
  'GET /api/cases/:id':              { status: [401, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200],
    req: () => ({ path: `/api/cases/${ids.case}` }),
    rows: async (_who, res) => expect(((await res.json()) as any).case.id).toBe(ids.case) },
  // a comment: what anyone who sees a case may add
  'POST /api/cases/:id/actions':     { status: [401, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200],
    req: () => ({ path: `/api/cases/${ids.case}/actions`, body: { action: 'comment', note: '矩阵测试留言' } }) },
  // 协商议办's 四方共议: whoever handles the consultation (the grid worker) and the community's
  // secretary record its next step; everyone else who sees it is refused (modes.test.ts: order, bad input).
  'POST /api/cases/:id/deliberation': { status: [401, 403, 403, 403, 403, 200, 200, 404, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_deliberation_steps WHERE case_id = $1', [ids.consultation]);
      const step = ['propose', 'discuss', 'review', 'concur', 'decide'][rows[0].n] ?? 'decide';
      return { path: `/api/cases/${ids.consultation}/deliberation`, body: { step, by: '矩阵测试议事人', note: '矩阵测试' } };
    },
    rows: async (_who, res) => expect(((await res.json()) as any).deliberation.steps.length).toBeGreaterThan(0) },
  // 大党委联动交办: only the staff of a unit the case was given to claim or report their part;
  // dept-1 is not one of this community's units, so it does not see the case (modes.test.ts: the units' own claims).
  'POST /api/cases/:id/parts':       { status: [401, 403, 403, 403, 403, 403, 403, 404, 403, 403, 403],
    req: () => ({ path: `/api/cases/${ids.committee}/parts`, body: { action: 'claim' } }) },
  // only whoever dispatches the case now: the grid worker of its grid (it is a grid-level case)
  'GET /api/cases/:id/party-members': { status: [401, 403, 403, 403, 403, 403, 200, 404, 403, 403, 403],
    req: () => ({ path: `/api/cases/${ids.case}/party-members` }) },
  'GET /api/cases/:id/suggestions':  { status: [401, 403, 403, 403, 403, 403, 200, 404, 403, 403, 403],
    req: () => ({ path: `/api/cases/${ids.case}/suggestions` }) },
  'GET /api/cases/:id/photos/:photoId': { status: [401, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200],
    req: () => ({ path: `/api/cases/${ids.case}/photos/${ids.photo}` }) },
  // Grid plans: the planner, city leader, subdistrict admin and secretary look (scoped); the
  // planner, subdistrict admin and secretary draft; only the planner applies, reverts and cuts.
  // Bodies, scope and every step are covered role by role in routes/plans.test.ts.
  'GET /api/blocks':                 { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/blocks?community=${ids.community}` }) },
  'GET /api/plans':                  { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    rows: async (who, res) => {
      const plans = ((await res.json()) as any).plans as any[];
      if (who === 'secretary') expect(plans.every((p) => p.community_id === ids.community)).toBe(true);
      expect(plans.some((p) => p.id === ids.draft)).toBe(true);
    } },
  'GET /api/plans/:id':              { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.draft}` }) },
  'GET /api/plans/:id/geojson':      { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.draft}/geojson` }) },
  'POST /api/plans':                 { status: [401, 403, 403, 201, 201, 201, 403, 403, 403, 403, 403],
    req: async () => ({ path: '/api/plans', body: { community: ids.community, title: '矩阵测试', assignments:
      (await db.query('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [ids.community])).rows } }) },
  // a grid far outside the community: 400 with the reasons, for whoever may import
  'POST /api/plans/import':          { status: [401, 403, 403, 400, 400, 400, 403, 403, 403, 403, 403],
    req: () => ({ path: '/api/plans/import', body: { community: ids.community, geojson: { type: 'FeatureCollection', features: [{
      type: 'Feature', properties: { number: 1 },
      geometry: { type: 'Polygon', coordinates: [[[100, 20], [100.01, 20], [100.01, 20.01], [100, 20.01], [100, 20]]] } }] } } }),
  },
  // a file of the community's current grids, read and checked (a dry run: saves nothing)
  'POST /api/plans/import-file':     { status: [401, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403],
    req: async () => {
      const fc = await (await app.request(`/api/plans/${ids.draft}/geojson`, { headers: signed.planner!.headers })).text();
      return { path: '/api/plans/import-file', form: { community: String(ids.community), file: new File([fc], 'grids.geojson') } };
    },
    rows: async (_who, res) => expect(await res.json()).toMatchObject({ dry_run: true, ok: true, households_moving: 0, plan: null }) },
  'GET /api/plans/:id/gpkg':         { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.draft}/gpkg` }),
    rows: async (_who, res) => expect(new TextDecoder().decode((await res.arrayBuffer()).slice(0, 15))).toBe('SQLite format 3') },
  'POST /api/plans/:id/validate':    { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.draft}/validate` }),
    rows: async (_who, res) => expect(((await res.json()) as any).ok).toBe(true) },
  'POST /api/plans/apply':           { status: [401, 403, 403, 422, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: '/api/plans/apply', body: { plans: [ids.invalidDraft] } }) },
  'POST /api/plans/:id/apply':       { status: [401, 403, 403, 422, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.invalidDraft}/apply` }) },
  // the dry run of a revert answers as the revert would: a draft is not applied (409)
  'GET /api/plans/:id/revert-preview': { status: [401, 403, 403, 409, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.draft}/revert-preview` }) },
  'POST /api/plans/:id/revert':      { status: [401, 403, 403, 409, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: `/api/plans/${ids.draft}/revert` }) },
  'POST /api/blocks/split':          { status: [401, 403, 403, 409, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: '/api/blocks/split', body: { community: ids.community, layout_version: ids.layoutVersion + 1000,
      line: { type: 'LineString', coordinates: [[ids.point.lon - 0.001, ids.point.lat], [ids.point.lon + 0.001, ids.point.lat]] } } }) },
  'POST /api/blocks/edge':           { status: [401, 403, 403, 409, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: '/api/blocks/edge', body: { community: ids.community, layout_version: ids.layoutVersion + 1000, blocks: ids.blocks,
      line: { type: 'LineString', coordinates: [[ids.point.lon - 0.001, ids.point.lat], [ids.point.lon + 0.001, ids.point.lat]] } } }) },
  // a city's own boundaries: the administrator only; a form without the three layers is a 400 (boundaries.test.ts: dry runs)
  'POST /api/boundaries/import':     { status: [401, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: '/api/boundaries/import', form: { dry_run: 'true' } }) },
  // undoing an edge redraw: only the planner; an id no redraw has is not found (plans.test.ts: a real undo)
  'POST /api/blocks/edge/:id/revert': { status: [401, 403, 403, 404, 403, 403, 403, 403, 403, 403, 403],
    req: () => ({ path: '/api/blocks/edge/2147483000/revert' }) },
  // The residents' report page, without an account: the same for everyone (routes/public-reports.test.ts
  // covers bad input, abuse limits and what a follow link shows).
  'GET /api/public/categories':      { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => expect(((await res.json()) as any).categories.length).toBeGreaterThan(0) },
  // (a category no other test files at this point: eleven cases here would crowd another file's
  // duplicate suggestions, which list the ten nearest and oldest)
  'POST /api/public/reports':        { status: [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    req: () => ({ path: '/api/public/reports', body: { category: 'public_facility', description: '矩阵测试：健身器材损坏', ...ids.point } }) },
  'GET /api/public/reports/:token':  { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: `/api/public/reports/${ids.token}` }) },
  // the report is not closed yet: nobody rates it
  'POST /api/public/reports/:token/rate': { status: [409, 409, 409, 409, 409, 409, 409, 409, 409, 409, 409],
    req: () => ({ path: `/api/public/reports/${ids.token}/rate`, body: { rating: 5 } }) },
  'GET /api/resources':              { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => expect(((await res.json()) as any).resources.length).toBeGreaterThanOrEqual(24) },
  // a unit's staff keep their own unit's entries (routes/resources.test.ts: other units' are 404)
  'POST /api/resources':             { status: [401, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403],
    req: () => ({ path: '/api/resources', body: { name: '矩阵测试服务', kind: 'service', capacity: 5, categories: ['garbage'], community_ids: null } }) },
  'PATCH /api/resources/:id':        { status: [401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    req: () => ({ path: `/api/resources/${ids.resource}`, body: { capacity: ids.resourceCapacity } }) },
  // The needs list: every signed-in role reads its own scope (department staff the needs
  // dispatched to their unit, a party member its area branch's); routes/needs.test.ts covers every step.
  'GET /api/needs':                  { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const needs = ((await res.json()) as any).needs as any[];
      if (who === 'secretary' || who === 'taskforceCommunity') expect(needs.every((n) => n.community_id === ids.community)).toBe(true);
      if (who === 'grid') expect(needs.every((n) => n.grid_id === ids.grid)).toBe(true);
      if (who === 'subdistrict') expect(needs.every((n) => n.subdistrict_id === ids.subdistrict)).toBe(true);
      expect(needs.some((n) => n.id === ids.need)).toBe(who !== 'dept');
    } },
  'GET /api/needs/summary':          { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const communities = ((await res.json()) as any).communities as any[];
      if (who === 'secretary' || who === 'taskforceCommunity') expect(communities.every((c) => c.community_id === ids.community)).toBe(true);
    } },
  // grid workers and party members gather needs in their own grid
  'POST /api/needs':                 { status: [401, 403, 403, 403, 403, 403, 201, 403, 403, 403, 201],
    req: () => ({ path: '/api/needs', body: { title: '矩阵测试：修缮路灯', category: 'streetlight', ...ids.point } }) },
  'GET /api/needs/:id':              { status: [401, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200],
    req: () => ({ path: `/api/needs/${ids.need}` }) },
  // urging (督办) is the task force's, wherever its scope holds the need
  'POST /api/needs/:id/actions':     { status: [401, 403, 403, 403, 403, 403, 403, 404, 200, 200, 403],
    req: () => ({ path: `/api/needs/${ids.need}/actions`, body: { action: 'urge', note: '矩阵测试：请尽快办理' } }) },
  // the secretary dispatches needs, so only she sees the matching units
  'GET /api/needs/:id/suggestions':  { status: [401, 403, 403, 403, 403, 200, 403, 404, 403, 403, 403],
    req: () => ({ path: `/api/needs/${ids.need}/suggestions` }) },
  // OGC API – Features (ogc/ogc.test.ts covers paging, bbox, datetime and bad input): the service
  // description is public and holds no data; the collections need a caller and show its scope;
  // blocks and plan drafts only to those who view grid plans.
  'GET /ogc':                        { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /ogc/conformance':            { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /ogc/api':                    { status: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /ogc/collections':            { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const listed = ((await res.json()) as any).collections.map((c: any) => c.id);
      const plans = ['leader', 'planner', 'subdistrict', 'secretary'].includes(who);
      expect(listed).toEqual(['subdistricts', 'communities', 'grids', ...(plans ? ['blocks'] : []), 'cases', ...(plans ? ['plan-drafts'] : [])]);
    } },
  'GET /ogc/collections/:collectionId': { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: () => ({ path: '/ogc/collections/blocks' }) },
  'GET /ogc/collections/:collectionId/items': { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/ogc/collections/grids/items?limit=1000' }),
    rows: async (who, res) => {
      const body = (await res.json()) as any;
      expect(body.numberMatched).toBe(areaCount({ subdistrict: counts.subdistrictGrids, community: counts.communityGrids, grid: 1 })(who) ?? 359);
      if (who === 'grid' || who === 'member') expect(body.features[0].id).toBe(ids.grid);
    } },
  // the fixture case: as GET /api/cases/:id, department staff do not see it
  'GET /ogc/collections/:collectionId/items/:featureId': { status: [401, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200],
    req: () => ({ path: `/ogc/collections/cases/items/${ids.case}` }),
    rows: async (_who, res) => expect(((await res.json()) as any).id).toBe(ids.case) },
  // Vector tiles (tiles/tiles.test.ts covers scope, data and bad input): the OGC API's rule; a
  // blocks tile over the secretary's community, for those who view grid plans.
  'GET /tiles/:layer/:z/:x/:y':      { status: [401, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ lon: number; lat: number }>(
        'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id = $1) q', [ids.grid]);
      const z = 14;
      const x = Math.floor(((rows[0].lon + 180) / 360) * 2 ** z);
      const r = (rows[0].lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
      return { path: `/tiles/blocks/${z}/${x}/${y}.mvt` };
    },
    rows: async (_who, res) => expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile') },
  // Personal access tokens: every signed-in caller holds its own (routes/tokens.test.ts covers
  // bad input, the limit, and that another user's token is a 404); revoking one made for the purpose.
  'GET /api/tokens':                 { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'POST /api/tokens':                { status: [401, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    req: () => ({ path: '/api/tokens', body: { name: '矩阵测试' } }) },
  'POST /api/tokens/:id/revoke':     { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: async (who) => {
      if (who === 'anonymous') return { path: '/api/tokens/1/revoke' };
      const res = await app.request('/api/tokens', { method: 'POST', headers: writeHeaders(who), body: JSON.stringify({ name: '矩阵测试（撤销）' }) });
      expect(res.status).toBe(201);
      return { path: `/api/tokens/${((await res.json()) as any).id}/revoke` };
    },
    rows: async (_who, res) => expect(((await res.json()) as any).revoked_at).toBeTruthy() },
  'GET /api/departments':            { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => {
      const { departments } = (await res.json()) as { departments: { id: number; name: string }[] };
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM departments');
      expect(departments.length).toBe(rows[0].n);
      expect(departments.every((d) => d.id > 0 && d.name.length > 0)).toBe(true);
    } },
  // 权力下放清单: the same public list for every signed-in role
  'GET /api/powers':                 { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => {
      const body = (await res.json()) as { total: number; counts: Record<string, number> };
      expect(body.counts).toEqual({ statutory_power: 72, enforcement: 217 });
      expect(body.total).toBe(289);
    } },
  // 社区工作者队伍: the figures of the caller's area (a grid's community for a grid worker or party member)
  'GET /api/workforce':              { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const body = (await res.json()) as { communities: { community_id: number }[]; total: { workers: number } };
      const n = byWho<number>({ subdistrict: counts.subdistrictCommunities, secretary: 1, taskforceCommunity: 1, grid: 1, member: 1 })(who) ?? 33;
      expect(body.communities).toHaveLength(n);
      expect(body.total.workers).toBe(12 * n);
      if (n === 1) expect(body.communities[0].community_id).toBe(ids.community);
    } },
  // the roster names staff: the roles that see personal data, in their area, and the administrator
  'GET /api/workforce/workers':      { status: [401, 200, 403, 403, 200, 200, 200, 403, 403, 403, 403],
    rows: async (who, res) => {
      const { workers } = (await res.json()) as { workers: { community_id: number }[] };
      expect(workers.length).toBe(12 * (byWho<number>({ subdistrict: counts.subdistrictCommunities, secretary: 1, grid: 1 })(who) ?? 33));
    } },
  // the secretary of the worker's community, or the administrator; the edit leaves the figures as they were
  'PATCH /api/workforce/workers/:id': { status: [401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM community_workers WHERE community_id = $1 AND active ORDER BY id LIMIT 1', [ids.community]);
      return { path: `/api/workforce/workers/${rows[0].id}`, body: { active: true } };
    },
    rows: async (_who, res) => expect(((await res.json()) as any).active).toBe(true) },
  // 红色尖刀班: every signed-in role, its own area (a grid's community for a grid worker or party member)
  'GET /api/vanguard':               { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (who, res) => {
      const body = (await res.json()) as { teams: { community_id: number; members: number }[]; total: { members: number } };
      const n = byWho<number>({ subdistrict: counts.subdistrictCommunities, secretary: 1, taskforceCommunity: 1, grid: 1, member: 1 })(who) ?? 33;
      expect(body.teams).toHaveLength(n);
      expect(body.total.members).toBe(8 * n);
      if (n === 1) expect(body.teams[0].community_id).toBe(ids.community);
    } },
  // the secretary's community's team: in every caller's area; staff names only for the roster roles and the administrator
  'GET /api/vanguard/teams/:id':     { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: async () => {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM vanguard_teams WHERE community_id = $1', [ids.community]);
      return { path: `/api/vanguard/teams/${rows[0].id}` };
    },
    rows: async (who, res) => {
      const body = (await res.json()) as { members: { name: string | null }[]; tasks: unknown[] };
      expect(body.tasks).toHaveLength(8);
      const names = ['admin', 'subdistrict', 'secretary', 'grid'].includes(who);
      expect(body.members.every((m) => (m.name !== null) === names), who).toBe(true);
    } },
  // a new task in the secretary's community's team, by its secretary or the administrator (removed after the run)
  'POST /api/vanguard/teams/:id/tasks': { status: [401, 201, 403, 403, 403, 201, 403, 403, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ id: number; grid: number }>(
        `SELECT t.id, (SELECT min(g.id) FROM grids g WHERE g.community_id = t.community_id) AS grid FROM vanguard_teams t WHERE t.community_id = $1`, [ids.community]);
      return { path: `/api/vanguard/teams/${rows[0].id}/tasks`, body: { kind: 'party_building', title: '矩阵测试任务', grid_id: rows[0].grid, unit: 'steps', target: 3 } };
    } },
  // the secretary of the task's community, or the administrator; the edit keeps the title as it was
  'PATCH /api/vanguard/tasks/:id':   { status: [401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ id: number; title: string }>(
        `SELECT k.id, k.title FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id WHERE t.community_id = $1 ORDER BY k.id LIMIT 1`, [ids.community]);
      return { path: `/api/vanguard/tasks/${rows[0].id}`, body: { title: rows[0].title } };
    } },
  // a member's progress, recorded by the community's secretary or its own task force, or the
  // administrator; the report repeats the progress there is
  'POST /api/vanguard/tasks/:id/progress': { status: [401, 201, 403, 403, 403, 201, 403, 403, 403, 201, 403],
    req: async () => {
      const { rows } = await db.query<{ id: number; done: number; member: number }>(
        `SELECT k.id, k.done, (SELECT min(m.id) FROM vanguard_members m WHERE m.team_id = t.id) AS member
           FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id WHERE t.community_id = $1 ORDER BY k.id LIMIT 1`, [ids.community]);
      return { path: `/api/vanguard/tasks/${rows[0].id}/progress`, body: { member_id: rows[0].member, done: rows[0].done } };
    } },
  // who may join the team: the community's secretary, or the administrator (names: staff data they see)
  'GET /api/vanguard/teams/:id/candidates': { status: [401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    req: async () => ({ path: `/api/vanguard/teams/${await matrixTeam()}/candidates` }),
    rows: async (_who, res) => {
      const { candidates } = (await res.json()) as { candidates: { source: string; name: string }[] };
      expect(candidates.some((c) => c.source === 'sunk_cadre' && c.name.length > 0)).toBe(true);
    } },
  // the secretary (or the administrator) adds a sunk cadre of the community: the matrix's cadre,
  // off the team before each call, so every call adds (or takes back) the same one (removed after the run)
  'POST /api/vanguard/teams/:id/members': { status: [401, 201, 403, 403, 403, 201, 403, 403, 403, 403, 403],
    req: async () => {
      const { team, cadre } = await matrixCadre();
      await db.query(`UPDATE vanguard_members SET left_at = now(), left_reason = '矩阵测试' WHERE team_id = $1 AND cadre_id = $2 AND left_at IS NULL`, [team, cadre]);
      return { path: `/api/vanguard/teams/${team}/members`, body: { source: 'sunk_cadre', id: cadre } };
    } },
  // the same, takes a member off the team: the matrix's cadre, put back on the team before the
  // calls that may remove it (the others are refused before the member is looked up), so the
  // team ends as seeded
  'POST /api/vanguard/members/:id/leave': { status: [401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    req: async (who) => {
      const { team, cadre } = await matrixCadre();
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO vanguard_members (team_id, cadre_id, synthetic, left_at, left_reason)
         VALUES ($1, $2, false, CASE WHEN $3::boolean THEN NULL ELSE now() END, CASE WHEN $3::boolean THEN NULL ELSE '矩阵测试' END)
         ON CONFLICT (team_id, cadre_id) DO UPDATE SET left_at = EXCLUDED.left_at, left_reason = EXCLUDED.left_reason RETURNING id`, [team, cadre, who === 'admin' || who === 'secretary']);
      return { path: `/api/vanguard/members/${rows[0].id}/leave`, body: { reason: '矩阵测试' } };
    } },
  // the same, makes a current (seeded) member the team's 班长: each call names one who is not the
  // captain now, so every allowed call changes it (the seeded captain is put back after the run)
  'POST /api/vanguard/teams/:id/captain': { status: [401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    req: async () => {
      const team = await matrixTeam();
      matrixCaptain ??= { team, id: (await db.query<{ id: number }>(`SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'captain'`, [team])).rows[0].id };
      const { rows } = await db.query<{ id: number }>(
        `SELECT id FROM vanguard_members WHERE team_id = $1 AND role = 'member' AND left_at IS NULL AND synthetic ORDER BY id LIMIT 1`, [team]);
      return { path: `/api/vanguard/teams/${team}/captain`, body: { member: rows[0].id } };
    } },
  // the same, withdraws a task: a fresh one of the matrix's for each call (removed after the run)
  'POST /api/vanguard/tasks/:id/withdraw': { status: [401, 200, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO vanguard_tasks (team_id, kind, title, grid_id, geom, unit, target, synthetic)
         SELECT t.id, 'party_building', '矩阵测试任务', g.id, ST_PointOnSurface(g.geom), 'steps', 3, false
           FROM vanguard_teams t JOIN grids g ON g.community_id = t.community_id WHERE t.community_id = $1 ORDER BY g.id LIMIT 1 RETURNING id`, [ids.community]);
      return { path: `/api/vanguard/tasks/${rows[0].id}/withdraw`, body: { reason: '矩阵测试' } };
    } },
  // 五社联动: the whole city's registry of organisations for every signed-in role (no personal data)
  'GET /api/organisations':          { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    rows: async (_who, res) => {
      const body = (await res.json()) as { counts: Record<string, number>; total: number };
      expect(body.counts).toEqual({ social_work: 24, volunteer_team: 287, self_governance: 169, service_team: 3 });
      expect(body.total).toBe(483);
    } },
  // one organisation of the secretary's community, with the needs it holds that the caller may see
  'GET /api/organisations/:id':      { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: async () => {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM social_organisations WHERE community_id = $1 ORDER BY id LIMIT 1', [ids.community]);
      return { path: `/api/organisations/${rows[0].id}` };
    },
    rows: async (_who, res) => expect(((await res.json()) as any).organisation.community_id).toBe(ids.community) },
  // 三级考评 of people and units: every signed-in role; people of the caller's area only, their
  // names for the roles that see staff names and the administrator
  'GET /api/evaluation':             { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: '/api/evaluation?subject=vanguard_member&limit=200' }),
    rows: async (who, res) => {
      const body = (await res.json()) as { total: number; rows: { name: string | null; community_name: string }[] };
      expect(body.rows.length).toBeGreaterThan(0);
      const names = ['admin', 'subdistrict', 'secretary', 'grid'].includes(who);
      expect(body.rows.every((r) => (r.name !== null) === names)).toBe(true);
      if (who === 'secretary' || who === 'grid' || who === 'taskforceCommunity') {
        const own = (await db.query<{ name: string }>('SELECT name FROM communities WHERE id = $1', [ids.community])).rows[0].name;
        expect(body.rows.every((r) => r.community_name === own)).toBe(true);
        expect(body.total).toBe(8);
      }
    } },
  // the administrator sets a subject's weights (the weights as they are, so nothing changes)
  'PUT /api/evaluation/weights':     { status: [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    req: async () => {
      const { rows } = await db.query<{ metric: string; weight: number }>(
        `SELECT metric, weight::float8 AS weight FROM evaluation_weights WHERE subject = 'resident_unit'`);
      return { path: '/api/evaluation/weights', body: { subject: 'resident_unit', weights: Object.fromEntries(rows.map((r) => [r.metric, r.weight])) } };
    } },
  // 大党委/包保 of the secretary's community: organisation, no personal data; every area holds or lies in it
  'GET /api/communities/:id/partners': { status: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    req: () => ({ path: `/api/communities/${ids.community}/partners` }),
    rows: async (_who, res) => {
      const body = (await res.json()) as { community_id: number; units: { role: string }[] };
      expect(body.community_id).toBe(ids.community);
      expect(body.units.filter((u) => u.role === 'lead')).toHaveLength(1);
      expect(body.units.length).toBeGreaterThanOrEqual(4);
    } },
};

/** Sends a route's request as a caller. */
async function send(route: string, who: Who): Promise<Response> {
  const [method, path] = route.split(' ');
  const r = await (MATRIX[route].req?.(who) ?? { path });
  if (method === 'GET') return app.request(r.path, { headers: r.headers ?? signed[who]?.headers ?? {} });
  if (r.form) {
    // a form as a browser sends it: its own multipart type, and the Origin that a form's CSRF check reads
    const form = new FormData();
    for (const [k, v] of Object.entries(r.form)) form.append(k, v);
    const { 'Content-Type': _json, ...headers } = writeHeaders(who);
    return app.request(r.path, { method, headers: { ...headers, Origin: 'http://localhost' }, body: form });
  }
  return app.request(r.path, { method, headers: r.headers ?? writeHeaders(who), body: JSON.stringify(r.body ?? {}) });
}

describe('authorization matrix', () => {
  it('lists every API route the app serves, each with a status for every caller', () => {
    const served = new Set(
      app.routes
        .filter((r) => (r.path.startsWith('/api/') || r.path === '/ogc' || r.path.startsWith('/ogc/') || r.path.startsWith('/tiles/')) && r.method !== 'ALL' && !r.path.endsWith('*'))
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...served].sort()).toEqual(Object.keys(MATRIX).sort());
    for (const [route, exp] of Object.entries(MATRIX)) expect(exp.status.length, route).toBe(CALLERS.length);
  });

  it('knows the contract schema of every JSON route, or lists it as not yet typed', () => {
    const listed = [...Object.keys(CONTRACT_RESPONSES), ...UNTYPED_JSON_ROUTES, ...NON_JSON_ROUTES];
    for (const route of listed) expect(MATRIX, route).toHaveProperty([route]);
    expect(new Set(listed).size, 'a route in two lists').toBe(listed.length);
    // The OGC API answers the standard's documents and the tiles are binary: neither is ours to type.
    const gets = Object.keys(MATRIX).filter((r) => r.startsWith('GET /api/'));
    expect(gets.filter((r) => !listed.includes(r)), 'GET routes in no list').toEqual([]);
  });

  for (const [route, exp] of Object.entries(MATRIX)) {
    CALLERS.forEach((who, i) => {
      const status = exp.status[i];
      it(`${route} as ${who} → ${status}`, async () => {
        const res = await send(route, who);
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
          // the live stream never ends: only its first event is read
          expect(res.status).toBe(status);
          await exp.rows!(who, res);
          return;
        }
        const bytes = new Uint8Array(await res.arrayBuffer());
        const text = new TextDecoder().decode(bytes);
        expect(res.status, `${route} as ${who}: ${text.slice(0, 300)}`).toBe(status);
        if (status === 200 && exp.rows) await exp.rows(who, new Response(bytes, { headers: res.headers }));
        // Every caller's answer is the contract's shape, field by field.
        const schema = CONTRACT_RESPONSES[route];
        if (status === 200 && schema) {
          const parsed = schema.safeParse(JSON.parse(text));
          expect(parsed.success ? [] : parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`), `${route} as ${who} against the contract`).toEqual([]);
        }
        if (status >= 400) {
          const body = JSON.parse(text);
          // the OGC API answers the standard's exception, { code, description }
          if (route.startsWith('GET /ogc')) expect(body.description).toBeTruthy();
          else expect(body.error).toBeTruthy();
          // past the role check, an import that does not fit says why, grid by grid
          if (route === 'POST /api/plans/import' && status === 400) expect(body.errors.length).toBeGreaterThan(0);
        }
      });
    });
  }
});

describe('a secretary sees nothing of another community', () => {
  const get = (path: string) => app.request(path, { headers: signed.secretary!.headers });

  it.each([
    () => `/api/grids?community=${ids.otherCommunity}`,
    () => `/api/communities?subdistrict=${ids.otherSubdistrict}`,
    () => `/api/grids?subdistrict=${ids.otherSubdistrict}`,
    () => `/api/households/records?community=${ids.otherCommunity}`,
    () => `/api/households/records?grid=${ids.otherGrid}`,
    () => `/api/roster?community=${ids.otherCommunity}`,
    () => `/api/links?community=${ids.otherCommunity}`,
    () => `/api/links?grid=${ids.otherGrid}`,
    () => `/api/business-links?community=${ids.otherCommunity}`,
    () => `/api/business-links?grid=${ids.otherGrid}`,
    () => `/api/communities/${ids.otherCommunity}/partners`,
    () => `/api/workforce/workers?community=${ids.otherCommunity}`,
    () => `/api/vanguard?community=${ids.otherCommunity}`,
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
    const res = await app.request(`/api/households/records?q=${encodeURIComponent(own.phone)}`, { headers: signed.secretary!.headers });
    const body = Buffer.from(await res.arrayBuffer());
    expect(contains(body, own.head_name)).toBe(true);
    expect(contains(body, own.phone)).toBe(true);
  });

  it.each(['leader', 'planner', 'dept', 'admin', 'taskforce', 'taskforceCommunity', 'member'] as Who[])('%s: no names, phones or addresses in any response', async (who) => {
    const people = await sample();
    let binaryChecked = false;
    // The live stream never ends; what its events carry is tested in routes/events.test.ts.
    for (const route of Object.keys(MATRIX).filter((r) => r.startsWith('GET ') && r !== 'GET /api/events')) {
      const res = await send(route, who);
      if (res.status !== 200) continue;
      const body = Buffer.from(await res.arrayBuffer());
      if (route === 'GET /api/households') {
        // By id only: every household of the caller's area (the whole city, the community, the grid).
        const n = areaCount({ subdistrict: counts.subdistrictHouseholds, community: counts.communityHouseholds, grid: counts.gridHouseholds })(who) ?? 95_402;
        expect(decodeHouseholds(new Uint8Array(body)).ids.length).toBe(n);
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
