// 五社联动 through the real app: the registry holds exactly the 24 social-work organisations, 287
// volunteer teams, 169 self-governance organisations and the three named service teams (counted
// in SQL), real names where reported and every other one marked synthetic; it is browsed by kind,
// community and name; and an organisation takes a resident's need as a unit's resource does —
// dispatched by the community, its claim and result recorded by the secretary — within the
// communities it serves, while bad input is a 4xx that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANISATION_COUNTS } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { call, castAround, type Cast, type Persona } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
let home: number;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.76.0');
  home = cast.grid.community_id;
});
afterAll(() => db?.close());

const one = async <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => (await db.query<T & Record<string, unknown>>(sql, p)).rows[0];
const act = (who: Persona, id: number, body: Record<string, unknown>) => call(app, cast.signed[who], 'POST', `/api/needs/${id}/actions`, body);
async function step(who: Persona, id: number, body: Record<string, unknown>) {
  const r = await act(who, id, body);
  if (r.status !== 200) throw new Error(`${body.action} as ${who} failed: ${r.status} ${r.text}`);
  return r.body;
}
/** A need gathered in the cast's grid, taken up the chain to 'reported'. */
async function reportedNeed(): Promise<number> {
  const r = await call(app, cast.signed.member, 'POST', '/api/needs', { title: '独居老人助餐', category: 'garbage', ...cast.point });
  expect(r.status).toBe(201);
  const id = r.body.need.id as number;
  await step('grid', id, { action: 'judge', body: 'building_party_group' });
  await step('member', id, { action: 'screen' });
  await step('secretary', id, { action: 'compile' });
  await step('subdistrict', id, { action: 'report' });
  return id;
}
const needRow = (id: number) => one('SELECT status, organisation_id, department_id, resource_id, claimed_by, version FROM needs WHERE id = $1', [id]);

describe('the seeded registry', () => {
  it('is exactly 24 social-work organisations, 287 volunteer teams, 169 self-governance organisations and 3 service teams', async () => {
    const { rows } = await db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM social_organisations GROUP BY kind ORDER BY kind');
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.n]))).toEqual({ social_work: 24, volunteer_team: 287, self_governance: 169, service_team: 3 });
    expect(ORGANISATION_COUNTS).toEqual({ social_work: 24, volunteer_team: 287, self_governance: 169, service_team: 3 });
    expect(await one('SELECT count(*)::int AS n FROM social_organisations')).toEqual({ n: 483 });
  });

  it('names the reported organisations as reported, and marks every other name synthetic', async () => {
    const real = (await db.query<{ kind: string; name: string }>(
      'SELECT kind, name FROM social_organisations WHERE NOT synthetic ORDER BY kind, code')).rows;
    expect(real).toEqual([
      { kind: 'service_team', name: '司机之家' }, { kind: 'service_team', name: '硒都蜂巢' }, { kind: 'service_team', name: '红管家' },
      { kind: 'social_work', name: '毕兹卡社会工作服务中心' }, { kind: 'social_work', name: '小棉袄社会工作服务中心' },
    ]);
    expect(await one('SELECT count(*)::int AS n FROM social_organisations WHERE synthetic')).toEqual({ n: 478 });
  });

  it('has volunteer teams and self-governance organisations in every community, each organisation at a point in its own', async () => {
    expect(await one(`SELECT count(DISTINCT community_id) FILTER (WHERE kind = 'volunteer_team')::int AS volunteer,
                             count(DISTINCT community_id) FILTER (WHERE kind = 'self_governance')::int AS governance FROM social_organisations`))
      .toEqual({ volunteer: 33, governance: 33 });
    expect(await one(`SELECT min(n)::int AS min, max(n)::int AS max FROM (SELECT count(*) AS n FROM social_organisations
                       WHERE kind = 'volunteer_team' GROUP BY community_id) x`)).toEqual({ min: 8, max: 9 });
    expect(await one(`SELECT min(n)::int AS min, max(n)::int AS max FROM (SELECT count(*) AS n FROM social_organisations
                       WHERE kind = 'self_governance' GROUP BY community_id) x`)).toEqual({ min: 5, max: 6 });
    expect(await one(`SELECT count(*)::int AS n FROM social_organisations o JOIN communities c ON c.id = o.community_id
                       WHERE ST_Intersects(c.geom, o.geom)`)).toEqual({ n: 483 });
    expect(await one(`SELECT count(*) FILTER (WHERE city_wide)::int AS city_wide FROM social_organisations`)).toEqual({ city_wide: 27 });
  });
});

describe('GET /api/organisations', () => {
  it('gives every role the registry with its counts, filtered by kind, community and name', async () => {
    for (const who of ['leader', 'secretary', 'deptOther', 'member'] as const) {
      const r = await call(app, cast.signed[who], 'GET', '/api/organisations?limit=500');
      expect(r.status, who).toBe(200);
      expect(r.body.counts, who).toEqual(ORGANISATION_COUNTS);
      expect(r.body.total, who).toBe(483);
      expect(r.body.organisations, who).toHaveLength(483);
    }
    const sw = await call(app, cast.signed.leader, 'GET', '/api/organisations?kind=social_work');
    expect(sw.body.total).toBe(24);
    expect(sw.body.organisations.every((o: any) => o.kind === 'social_work' && o.city_wide)).toBe(true);
    const based = await call(app, cast.signed.leader, 'GET', `/api/organisations?community=${home}&limit=500`);
    const n = (await one<{ n: number }>('SELECT count(*)::int AS n FROM social_organisations WHERE community_id = $1', [home])).n;
    expect(based.body.total).toBe(n);
    expect(based.body.organisations.every((o: any) => o.community_id === home)).toBe(true);
    const serves = await call(app, cast.signed.leader, 'GET', `/api/organisations?community=${home}&serves=1&limit=500`);
    const m = (await one<{ n: number }>('SELECT count(*)::int AS n FROM social_organisations WHERE community_id = $1 OR city_wide', [home])).n;
    expect(serves.body.total).toBe(m);
    const named = await call(app, cast.signed.leader, 'GET', `/api/organisations?q=${encodeURIComponent('毕兹卡')}`);
    expect(named.body.organisations.map((o: any) => o.name)).toEqual(['毕兹卡社会工作服务中心']);
    expect(named.body.organisations[0]).toMatchObject({ synthetic: false, kind: 'social_work' });
  });

  it('refuses bad filters with a message', async () => {
    for (const [q, status, message] of [
      ['kind=club', 400, /invalid kind/],
      ['community=abc', 400, /正整数/],
      ['community=0', 400, /正整数/],
      ['community=99999999', 404, /不存在/],
      ['serves=yes', 400, /serves/],
      ['q=', 400, /不能为空/],
      [`q=${'x'.repeat(31)}`, 400, /30/],
      ['limit=501', 400, /500/],
      ['offset=-1', 400, /0–999999/],
      ['colour=red', 400, /colour/],
    ] as const) {
      const r = await call(app, cast.signed.leader, 'GET', `/api/organisations?${q}`);
      expect(r.status, q).toBe(status);
      expect(r.body.error, q).toMatch(message);
    }
    expect((await call(app, cast.signed.leader, 'GET', '/api/organisations/abc')).status).toBe(400);
    expect((await call(app, cast.signed.leader, 'GET', '/api/organisations/99999999')).status).toBe(404);
  });
});

describe('an organisation takes a need', () => {
  it('dispatched by the community, claimed and reported done by the secretary on its behalf, counted in the caller\'s scope', async () => {
    const org = (await one<{ id: number; name: string }>(`SELECT id, name FROM social_organisations WHERE kind = 'volunteer_team' AND community_id = $1 ORDER BY id LIMIT 1`, [home]));
    const id = await reportedNeed();
    const dispatched = await step('secretary', id, { action: 'dispatch', organisation_id: org.id, note: '请志愿服务队对接' });
    expect(dispatched.need).toMatchObject({ status: 'dispatched', organisation_id: org.id, organisation_name: org.name, department_id: null, resource_id: null });
    // a unit's staff do not see it (it is not their unit's); the party member sees it and may not take it
    expect((await act('deptAssigned', id, { action: 'claim' })).status).toBe(404);
    const member = await act('member', id, { action: 'claim' });
    expect(member.status).toBe(403);
    expect(member.body.error).toMatch(/社会组织/);
    expect(await needRow(id)).toMatchObject({ status: 'dispatched', claimed_by: null });
    await step('secretary', id, { action: 'claim', note: '服务队已接单' });
    const done = await step('secretary', id, { action: 'fulfil', note: '已安排每日送餐' });
    expect(done.need.status).toBe('fulfilled');
    expect(done.steps.map((s: any) => s.action)).toEqual(['gather', 'judge', 'screen', 'compile', 'report', 'dispatch', 'claim', 'fulfil']);
    const detail = await call(app, cast.signed.secretary, 'GET', `/api/organisations/${org.id}`);
    expect(detail.body.organisation.fulfilled_needs).toBeGreaterThanOrEqual(1);
    expect(detail.body.needs.map((n: any) => n.id)).toContain(id);
    // another community's secretary sees the organisation, not the need (scope in SQL)
    const other = await call(app, cast.signed.otherSecretary, 'GET', `/api/organisations/${org.id}`);
    expect(other.status).toBe(200);
    expect(other.body.needs.map((n: any) => n.id)).not.toContain(id);
    const audit = await one<any>(`SELECT after FROM audit_log WHERE entity = 'need' AND entity_id = $1 AND after->>'action' = 'dispatch'`, [String(id)]);
    expect(audit.after).toMatchObject({ organisation_id: org.id });
  });

  it('keeps a unit\'s need for the unit: the secretary does not claim it', async () => {
    const res = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', {
      name: '助老服务', kind: 'service', capacity: 5, categories: ['garbage'], community_ids: [home],
    });
    expect(res.status).toBe(201);
    const id = await reportedNeed();
    await step('secretary', id, { action: 'dispatch', resource_id: res.body.id });
    const r = await act('secretary', id, { action: 'claim' });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/派给了单位/);
  });

  it('refuses an organisation that does not serve the community, a missing one, and both takers at once, changing nothing', async () => {
    const id = await reportedNeed();
    const foreign = (await one<{ id: number }>(`SELECT id FROM social_organisations WHERE NOT city_wide AND community_id <> $1 ORDER BY id LIMIT 1`, [home])).id;
    const ours = (await one<{ id: number }>(`SELECT id FROM social_organisations WHERE community_id = $1 ORDER BY id LIMIT 1`, [home])).id;
    const before = await needRow(id);
    for (const [body, message] of [
      [{ action: 'dispatch', organisation_id: foreign }, /不服务本社区/],
      [{ action: 'dispatch', organisation_id: 99999999 }, /不存在或已停用/],
      [{ action: 'dispatch', organisation_id: ours, resource_id: 1 }, /二选一/],
      [{ action: 'dispatch' }, /二选一/],
      [{ action: 'dispatch', organisation_id: 'x' }, /正整数/],
      [{ action: 'dispatch', organisation_id: 0 }, /正整数/],
    ] as const) {
      const r = await act('secretary', id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    // only the community's secretary dispatches
    expect((await act('leader', id, { action: 'dispatch', organisation_id: ours })).status).toBe(403);
    expect((await act('otherSecretary', id, { action: 'dispatch', organisation_id: ours })).status).toBe(404);
    expect(await needRow(id)).toEqual(before);
  });
});
