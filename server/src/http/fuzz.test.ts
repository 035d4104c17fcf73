// The bad-input fuzz suite: fast-check generates requests that are wrong in one certain way
// (a content type the route does not read, a control character in any text, a malformed or
// out-of-range id in the path, a value of the wrong type or range in the body, an unknown key,
// malformed JSON) for every write route the app serves, as several roles, from a seed. Every
// answer must be a 4xx, never a 5xx or a success, and every table's contents must be exactly
// as before (test/checksum.ts says which rows may change and why).
//
// A route the app serves without an entry in SPECS fails the first test by name. To replay a
// failing run, set FUZZ_SEED to the seed it printed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, castAround, fileCase, type Cast, type Persona } from '../../../test/cases.ts';
import { tableChecksums } from '../../../test/checksum.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 23);
/** Generated requests per route; 19 routes today, so ~760 in all (~15 s on the embedded database). */
const RUNS_PER_ROUTE = 40;
const KEY = 'fuzz-open311-key-0123456789abcdef';
const SAME_SITE = 'http://localhost';

type Who = Persona | 'anonymous';
type Kind = 'json' | 'multipart' | 'urlencoded' | 'none';
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Spec {
  /** who sends it: the role it is for and some it is not for */
  as: Who[];
  /** path parameters, filled in once the fixtures exist */
  params?: () => Record<string, string>;
  /** a body the route would take; none for a route that reads no body */
  body?: () => Record<string, Json>;
  /** body types besides JSON the route reads */
  kinds?: Kind[];
  /** false where unknown keys are ignored by design (Open311 reads the fields it knows) */
  strict?: boolean;
}

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
const fx = { tokenId: 0, caseId: 0, consultationId: 0, committeeId: 0, needId: 0, planId: 0, resourceId: 0, workerId: 0, vanguardTeamId: 0, vanguardTaskId: 0, vanguardMemberId: 0, vanguardCadreId: 0, token: '', layoutVersion: 0, blocks: [] as { id: number; grid_id: number }[] };

const line = () => ({ type: 'LineString', coordinates: [[cast.point.lon - 0.001, cast.point.lat], [cast.point.lon + 0.001, cast.point.lat]] });
const square = () => {
  const { lon, lat } = cast.point;
  return [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]];
};

const SPECS: Record<string, Spec> = {
  'POST /api/auth/login': { as: ['anonymous'], body: () => ({ username: 'planner', password: 'enshi-demo' }) },
  'POST /api/auth/logout': { as: ['member', 'anonymous'] },
  'PUT /api/me/locale': { as: ['member', 'admin', 'anonymous'], body: () => ({ locale: 'en' }) },
  'POST /api/cases': {
    as: ['grid', 'secretary', 'leader', 'anonymous'], kinds: ['multipart'],
    body: () => ({ category: 'garbage', lon: cast.point.lon, lat: cast.point.lat, description: '模糊测试：楼下垃圾三天未清运', address: '某楼' }),
  },
  'POST /api/cases/:id/actions': {
    as: ['grid', 'secretary', 'deptOther'], params: () => ({ id: String(fx.caseId) }),
    body: () => ({ action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment, note: '模糊测试' }),
  },
  'POST /api/cases/:id/deliberation': {
    as: ['grid', 'secretary', 'deptOther'], params: () => ({ id: String(fx.consultationId) }),
    body: () => ({ step: 'propose', by: '两长四员', note: '模糊测试' }),
  },
  'POST /api/cases/:id/parts': {
    as: ['deptPartner', 'grid', 'deptOther'], params: () => ({ id: String(fx.committeeId) }),
    body: () => ({ action: 'report', note: '模糊测试：本单位已完成' }),
  },
  'POST /api/plans': {
    as: ['planner', 'secretary', 'grid'],
    body: () => ({ community: cast.grid.community_id, title: '模糊测试', assignments: fx.blocks.map((b) => ({ block: b.id, grid: b.grid_id })) }),
  },
  'POST /api/plans/import': {
    as: ['planner', 'secretary'],
    body: () => ({ community: cast.grid.community_id, title: '模糊测试', geojson: { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { grid_id: cast.grid.id, number: 1 }, geometry: { type: 'Polygon', coordinates: square() } }] } }),
  },
  'POST /api/plans/import-file': {
    as: ['planner', 'secretary', 'grid'], kinds: ['multipart'],
    body: () => ({ community: String(cast.grid.community_id), title: '模糊测试', crs: 'auto', dry_run: 'false' }),
  },
  'POST /api/plans/:id/validate': { as: ['planner', 'leader'], params: () => ({ id: String(fx.planId) }) },
  'POST /api/plans/apply': { as: ['planner', 'secretary'], body: () => ({ plans: [fx.planId] }) },
  'POST /api/plans/:id/apply': { as: ['planner', 'subdistrict'], params: () => ({ id: String(fx.planId) }) },
  'POST /api/plans/:id/revert': { as: ['planner'], params: () => ({ id: String(fx.planId) }) },
  'POST /api/blocks/split': {
    as: ['planner', 'secretary'], body: () => ({ community: cast.grid.community_id, layout_version: fx.layoutVersion, line: line() }),
  },
  'POST /api/blocks/edge': {
    as: ['planner'],
    body: () => ({ community: cast.grid.community_id, layout_version: fx.layoutVersion, blocks: [fx.blocks[0].id, fx.blocks[1].id], line: line() }),
  },
  'POST /api/boundaries/import': { as: ['admin', 'planner'], kinds: ['multipart'], body: () => ({ crs: 'auto', dry_run: 'true' }) },
  'POST /api/blocks/edge/:id/revert': { as: ['planner', 'secretary'], params: () => ({ id: '2147483000' }) },
  'POST /api/resources': {
    as: ['deptAssigned', 'secretary'],
    body: () => ({ name: '模糊测试资源', description: '说明', kind: 'service', capacity: 3, categories: ['garbage'], community_ids: [cast.grid.community_id], active: true }),
  },
  'PATCH /api/resources/:id': {
    as: ['deptAssigned', 'deptOther'], params: () => ({ id: String(fx.resourceId) }),
    body: () => ({ name: '改名', capacity: 9, community_ids: null, active: false }),
  },
  'PATCH /api/workforce/workers/:id': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.workerId) }),
    body: () => ({ education: 'bachelor', certified: true, post: 'social_worker', active: true }),
  },
  'POST /api/vanguard/teams/:id/tasks': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.vanguardTeamId) }),
    body: () => ({ kind: 'door_to_door', title: '模糊测试任务', grid_id: cast.grid.id, lon: cast.point.lon, lat: cast.point.lat, unit: 'steps', target: 5 }),
  },
  'PATCH /api/vanguard/tasks/:id': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.vanguardTaskId) }),
    body: () => ({ title: '模糊测试任务', kind: 'door_to_door', target: 12 }),
  },
  'POST /api/vanguard/tasks/:id/progress': {
    as: ['secretary', 'taskforceCommunity', 'leader'], params: () => ({ id: String(fx.vanguardTaskId) }),
    body: () => ({ member_id: fx.vanguardMemberId, done: 1, note: '模糊测试' }),
  },
  'POST /api/vanguard/teams/:id/members': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.vanguardTeamId) }),
    body: () => ({ source: 'sunk_cadre', id: fx.vanguardCadreId }),
  },
  'POST /api/vanguard/members/:id/leave': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.vanguardMemberId) }),
    body: () => ({ reason: '模糊测试' }),
  },
  'POST /api/vanguard/teams/:id/captain': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.vanguardTeamId) }),
    body: () => ({ member: fx.vanguardMemberId }),
  },
  'POST /api/vanguard/tasks/:id/withdraw': {
    as: ['secretary', 'otherSecretary', 'leader'], params: () => ({ id: String(fx.vanguardTaskId) }),
    body: () => ({ reason: '模糊测试', version: 1 }),
  },
  // the administrator's weights of one 考评 subject; a leader and a secretary may not
  'PUT /api/evaluation/weights': {
    as: ['admin', 'leader', 'secretary'],
    body: () => ({ subject: 'partner_unit', weights: { whistle_rate: 30, party_committee_rate: 20, community_resolution_rate: 30, community_satisfaction_rate: 20 } }),
  },
  'POST /api/needs': {
    as: ['grid', 'member', 'leader'],
    body: () => ({ title: '模糊测试需求', description: '说明', category: 'garbage', lon: cast.point.lon, lat: cast.point.lat, building: '1 栋', households: 2 }),
  },
  'POST /api/needs/:id/actions': {
    as: ['grid', 'taskforce', 'secretary'], params: () => ({ id: String(fx.needId) }),
    body: () => ({ action: 'judge', body: 'two_heads_four_members', note: '模糊测试' }),
  },
  'POST /api/public/reports': {
    as: ['anonymous'], kinds: ['multipart'],
    body: () => ({ category: 'garbage', lon: cast.point.lon, lat: cast.point.lat, description: '模糊测试：路灯不亮一周了', phone: '13900002323' }),
  },
  'POST /api/public/reports/:token/rate': { as: ['anonymous'], params: () => ({ token: fx.token }), body: () => ({ rating: 5, note: '很好' }) },
  'POST /api/tokens': { as: ['secretary', 'anonymous'], body: () => ({ name: '模糊测试令牌' }) },
  'POST /api/tokens/:id/revoke': { as: ['secretary', 'leader'], params: () => ({ id: String(fx.tokenId) }) },
  'POST /open311/v2/requests.json': {
    as: ['anonymous'], kinds: ['urlencoded', 'multipart'], strict: false,
    body: () => ({ api_key: KEY, service_code: 'garbage', lat: cast.point.lat, long: cast.point.lon, description: '模糊测试：垃圾满溢', address_string: '某路' }),
  },
};

// --- generated requests -------------------------------------------------------------------

interface Bad {
  what: string;
  who: Who;
  route: string;
  path: string;
  type: string | null;
  body?: string | { kind: 'multipart' | 'urlencoded'; fields: [string, string][] };
}

const CONTROLS = [...Array.from({ length: 0x20 }, (_, i) => i).filter((i) => i !== 0x09 && i !== 0x0a && i !== 0x0d),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)].map((i) => String.fromCharCode(i));
/** NUL half the time: it is the one PostgreSQL refuses outright (a 500 where it slips through). */
const control = fc.oneof(fc.constant('\u0000'), fc.constantFrom(...CONTROLS));
const BAD_IDS = ['0x1', '1e0', '+1', '01', '1.0', '%201', '1%20', '-1', '0', '2147483648', '99999999999999999999', 'abc', '1,2',
  '%00', '1%0A', '%EF%BC%91', '1;2', '%2e%2e'];
const LOOK_ALIKES = ['application/jsonp', 'application/json5', 'text/plain', 'text/plain; charset=utf-8', 'application/xml',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/octet-stream', 'application/ld+json',
  'application/problem+json', 'json', 'text/json', null];
const MALFORMED = ['{', '{"a":', '[', '', ' ', 'null', '[]', '"x"', '1', 'true', '{"a":1}}', "{'a':1}", 'NaN', '[1,]',
  '\uFEFF{}', '{"a":"\\ud800"}', '['.repeat(3000) + ']'.repeat(3000), '{"__proto__":{"admin":true}}'];
const EXTRA_KEYS = ['__proto__', 'constructor', 'x', 'is_admin', 'sql', '\u202e'];

/** Every leaf of a JSON value, by path. */
function leaves(v: Json, path: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [{ path, value: v }];
}

function setAt(v: Json, path: (string | number)[], value: Json): Json {
  const copy = structuredClone(v) as any;
  let at = copy;
  for (const p of path.slice(0, -1)) at = at[p];
  at[path[path.length - 1]] = value;
  return copy;
}

/** A value of the wrong type or beyond every range the leaf's schema allows. */
const wrongFor = (v: Json): fc.Arbitrary<Json> => {
  if (typeof v === 'string') return fc.constantFrom<Json>(12345, [], {}, true, 2147483648);
  if (typeof v === 'number') return fc.constantFrom<Json>('1', [], {}, true, 2147483648, 1e300, -1e300);
  if (typeof v === 'boolean') return fc.constantFrom<Json>('true', 1, []);
  return fc.constantFrom<Json>('x', 1.5, true, {});
};

function pathOf(route: string, spec: Spec, override?: string): string {
  let path = route.slice(route.indexOf(' ') + 1);
  for (const [k, v] of Object.entries(spec.params?.() ?? {})) path = path.replace(`:${k}`, override ?? v);
  return path;
}

function generators(route: string, spec: Spec): fc.Arbitrary<Bad>[] {
  const who = fc.constantFrom(...spec.as);
  const base = spec.body?.();
  const json = base === undefined ? '{}' : JSON.stringify(base);
  const kinds: Kind[] = ['json', ...(spec.kinds ?? [])];
  const path = pathOf(route, spec);
  const gens: fc.Arbitrary<Bad>[] = [];

  // A content type the route does not read (a look-alike of JSON, a form, none), with a body.
  const types = LOOK_ALIKES.filter((t) => {
    if (t === null) return true;
    const media = t.split(';')[0].trim();
    return !(media === 'multipart/form-data' && kinds.includes('multipart')) && !(media === 'application/x-www-form-urlencoded' && kinds.includes('urlencoded'));
  });
  // The body carries a control character in one of its texts (or in a new field where it has
  // none): read as JSON, it would reach the database.
  const texts = base === undefined ? [] : leaves(base).filter((l) => typeof l.value === 'string');
  gens.push(fc.record({ who, type: fc.constantFrom(...types), ch: control, i: fc.nat() }).map(({ who, type, ch, i }) => {
    const leaf = texts[i % Math.max(texts.length, 1)];
    const body = leaf ? JSON.stringify(setAt(base!, leaf.path, `${String(leaf.value)}${ch}`))
      : json.replace(/}$/, `,"zz":${JSON.stringify(`a${ch}b`)}}`).replace('{,', '{');
    return { what: `content type ${type}, control ${JSON.stringify(ch)} in ${leaf ? leaf.path.join('.') : 'zz'}`, who, route, path, type, body };
  }));

  // A control character in any text of the JSON body, or in a key.
  gens.push(fc.record({ who, ch: control, i: fc.nat(), key: fc.boolean() }).map(({ who, ch, i, key }) => {
    if (key || texts.length === 0) {
      return { what: `control ${JSON.stringify(ch)} in a key`, who, route, path, type: 'application/json', body: json.replace(/^\{/, `{${JSON.stringify(`k${ch}`)}:1,`).replace(',}', '}') };
    }
    const leaf = texts[i % texts.length];
    const text = String(leaf.value);
    const at = i % (text.length + 1);
    return { what: `control ${JSON.stringify(ch)} in ${leaf.path.join('.')}`, who, route, path, type: 'application/json; charset=utf-8',
      body: JSON.stringify(setAt(base!, leaf.path, text.slice(0, at) + ch + text.slice(at))) };
  }));

  // A control character in the query string, which write routes do not read but still check.
  gens.push(fc.record({ who, ch: control }).map(({ who, ch }) => ({
    what: `control ${JSON.stringify(ch)} in the query`, who, route, path: `${path}?note=${encodeURIComponent(`a${ch}`)}`, type: 'application/json', body: json })));

  // A malformed id (or token) in the path.
  if (spec.params) {
    gens.push(fc.record({ who, id: fc.constantFrom(...BAD_IDS) }).map(({ who, id }) => ({
      what: `path id ${id}`, who, route, path: pathOf(route, spec, id), type: base === undefined ? null : 'application/json', body: base === undefined ? undefined : json })));
  }

  if (base !== undefined) {
    // A value of the wrong type or out of range in any field.
    const all = leaves(base);
    gens.push(fc.record({ who, i: fc.nat() }).chain(({ who, i }) => {
      const leaf = all[i % all.length];
      return wrongFor(leaf.value).map((v) => ({ what: `${leaf.path.join('.')} = ${JSON.stringify(v)}`, who, route, path, type: 'application/json',
        body: JSON.stringify(setAt(base, leaf.path, v)) }));
    }));
    // Malformed JSON, or JSON of the wrong shape.
    gens.push(fc.record({ who, text: fc.constantFrom(...MALFORMED) }).map(({ who, text }) => ({
      what: `body ${JSON.stringify(text.slice(0, 30))}`, who, route, path, type: 'application/json', body: text })));
    // An unknown key (refused where the schema is strict, which is everywhere but Open311).
    if (spec.strict !== false) {
      gens.push(fc.record({ who, key: fc.constantFrom(...EXTRA_KEYS) }).map(({ who, key }) => ({
        what: `unknown key ${JSON.stringify(key)}`, who, route, path, type: 'application/json', body: json.replace(/^\{/, `{${JSON.stringify(key)}:{"x":1},`) })));
    }
    // The form variant: a control character in a form field, or in a field's name.
    for (const kind of (spec.kinds ?? []).filter((k): k is 'multipart' | 'urlencoded' => k === 'multipart' || k === 'urlencoded')) {
      const fields = Object.entries(base).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]);
      gens.push(fc.record({ who, ch: control, i: fc.nat(), key: fc.boolean() }).map(({ who, ch, i, key }) => {
        const f = fields.map(([k, v]) => [k, v] as [string, string]);
        const j = i % f.length;
        if (key) f.push([`k${ch}`, '1']);
        else f[j] = [f[j][0], `${f[j][1].slice(0, 2)}${ch}${f[j][1].slice(2)}`];
        return { what: `${kind}: control ${JSON.stringify(ch)} in ${key ? 'a name' : f[j][0]}`, who, route, path, type: null, body: { kind, fields: f } };
      }));
    }
  }
  return gens;
}

async function send(bad: Bad): Promise<Response> {
  const headers: Record<string, string> = { Origin: SAME_SITE, 'X-Forwarded-For': '10.92.9.1' };
  if (bad.who !== 'anonymous') {
    const s = cast.signed[bad.who];
    headers.Cookie = s.cookie;
    headers['X-CSRF-Token'] = s.csrf;
  }
  if (bad.type !== null) headers['Content-Type'] = bad.type;
  const method = bad.route.slice(0, bad.route.indexOf(' '));
  let body: BodyInit | undefined;
  if (typeof bad.body === 'string') body = bad.body;
  else if (bad.body?.kind === 'multipart') {
    const form = new FormData();
    for (const [k, v] of bad.body.fields) form.append(k, v);
    body = form;
  } else if (bad.body?.kind === 'urlencoded') body = new URLSearchParams(bad.body.fields);
  return app.request(bad.path, { method, headers, body });
}

// --- the run ------------------------------------------------------------------------------

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true, open311Keys: { [KEY]: 'fuzz' } });
  cast = await castAround(app, db, '10.92.0');
  fx.caseId = (await fileCase(app, cast, { description: '模糊测试的案件' })).id;
  // A consultation claimed by the grid worker: its 四方共议 would take the first step.
  fx.consultationId = (await fileCase(app, cast, { description: '模糊测试的协商议办' })).id;
  for (const body of [{ action: 'accept' }, { action: 'dispatch', mode: 'consultation', grid_worker: true }, { action: 'claim' }]) {
    expect((await call(app, cast.signed.grid, 'POST', `/api/cases/${fx.consultationId}/actions`, body)).status).toBe(200);
  }
  // A case given to the community's 大党委 units, the lead unit's part claimed: its report would be taken.
  fx.committeeId = (await fileCase(app, cast, { description: '模糊测试的大党委交办' })).id;
  for (const body of [{ action: 'accept' }, { action: 'dispatch', mode: 'party_committee' }]) {
    expect((await call(app, cast.signed.grid, 'POST', `/api/cases/${fx.committeeId}/actions`, body)).status).toBe(200);
  }
  expect((await call(app, cast.signed.deptPartner, 'POST', `/api/cases/${fx.committeeId}/parts`, { action: 'claim' })).status).toBe(200);
  const need = await call(app, cast.signed.grid, 'POST', '/api/needs', { title: '模糊测试的需求', category: 'garbage', ...cast.point });
  expect(need.status).toBe(201);
  fx.needId = need.body.need.id;
  fx.blocks = (await db.query<{ id: number; grid_id: number }>('SELECT id, grid_id FROM blocks WHERE community_id = $1 ORDER BY id', [cast.grid.community_id])).rows;
  fx.layoutVersion = (await db.query<{ v: number }>('SELECT layout_version AS v FROM communities WHERE id = $1', [cast.grid.community_id])).rows[0].v;
  const plan = await call(app, cast.signed.planner, 'POST', '/api/plans', SPECS['POST /api/plans'].body!());
  expect(plan.status).toBe(201);
  fx.planId = plan.body.id;
  const resource = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', SPECS['POST /api/resources'].body!());
  expect(resource.status).toBe(201);
  fx.resourceId = resource.body.id;
  fx.workerId = (await db.query<{ id: number }>('SELECT id FROM community_workers WHERE community_id = $1 ORDER BY id DESC LIMIT 1', [cast.grid.community_id])).rows[0].id;
  const vanguard = (await db.query<{ team: number; task: number; member: number }>(
    `SELECT t.id AS team, k.id AS task, (SELECT min(m.id) FROM vanguard_members m WHERE m.team_id = t.id) AS member
       FROM vanguard_teams t JOIN vanguard_tasks k ON k.team_id = t.id
      WHERE t.community_id = $1 AND k.unit = 'steps' ORDER BY k.id LIMIT 1`, [cast.grid.community_id])).rows[0];
  fx.vanguardTeamId = vanguard.team;
  fx.vanguardTaskId = vanguard.task;
  fx.vanguardMemberId = vanguard.member;
  // a sunk cadre of the community who is not on its team: the one the add would take
  fx.vanguardCadreId = (await db.query<{ id: number }>(
    `SELECT cd.id FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id
      WHERE cd.kind = 'sunk' AND b.community_id = $1
        AND NOT EXISTS (SELECT 1 FROM vanguard_members m WHERE m.cadre_id = cd.id AND m.team_id = $2 AND m.left_at IS NULL)
      ORDER BY cd.id LIMIT 1`, [cast.grid.community_id, vanguard.team])).rows[0].id;
  const report = await app.request('/api/public/reports', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.92.9.2' },
    body: JSON.stringify(SPECS['POST /api/public/reports'].body!()) });
  expect(report.status).toBe(201);
  fx.token = ((await report.json()) as { token: string }).token;
  const token = await call(app, cast.signed.secretary, 'POST', '/api/tokens', SPECS['POST /api/tokens'].body!());
  expect(token.status).toBe(201);
  fx.tokenId = token.body.id;
});
afterAll(async () => {
  // Revoked, so a database reused by the next run has room for the secretary's tokens (10 active a user).
  if (fx.tokenId) await db?.query('UPDATE personal_access_tokens SET revoked_at = now() WHERE id = $1', [fx.tokenId]);
  await db?.close();
});

describe('bad input fuzz', () => {
  it('has a spec for every write route the app serves', () => {
    const served = new Set(app.routes
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.path.endsWith('*'))
      .map((r) => `${r.method} ${r.path}`));
    expect([...served].sort()).toEqual(Object.keys(SPECS).sort());
  });

  it(`${Object.keys(SPECS).length} routes × ${RUNS_PER_ROUTE} bad requests (seed ${SEED}): every answer a 4xx, every table unchanged`, async () => {
    const before = await tableChecksums(db);
    const failures: string[] = [];
    let sent = 0;
    for (const [route, spec] of Object.entries(SPECS)) {
      const inputs = fc.sample(fc.oneof(...generators(route, spec)), { numRuns: RUNS_PER_ROUTE, seed: SEED });
      for (const bad of inputs) {
        const res = await send(bad);
        sent++;
        const text = await res.text();
        if (res.status < 400 || res.status >= 500) failures.push(`${res.status} ${route} as ${bad.who}, ${bad.what}: ${text.slice(0, 200)}`);
      }
    }
    expect(sent).toBeGreaterThanOrEqual(300);
    expect(failures, `seed ${SEED}`).toEqual([]);
    const after = await tableChecksums(db);
    const changed = Object.keys(before).filter((t) => before[t] !== after[t]);
    expect(changed, `tables changed by refused requests (seed ${SEED})`).toEqual([]);
  });
});
