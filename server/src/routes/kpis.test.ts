// KPIs against hand-computed expectations on a small fixture: eight cases in a community
// no other test uses, filed in March 2020 (long before anything else in the test database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { insertCase, type FixtureEvent } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
const C = { id: 0, code: '', g1: 0, g2: 0, other: 0, otherCode: '' };
const who: Record<string, Signed> = {};

const t0 = new Date('2020-03-05T10:00:00+08:00').getTime();
const at = (minutes: number) => new Date(t0 + minutes * 60_000);
const H = 60;
const FAR = new Date('2099-01-01T00:00:00Z');

/** submit, accept at +10 min, dispatch at `dispatch`, claim at `claim` (if given), more after. */
function flow(dispatch: number | null, claim: number | null, more: FixtureEvent[] = []): FixtureEvent[] {
  const e: FixtureEvent[] = [
    { action: 'submit', at: at(0), to: 'submitted' },
    { action: 'accept', at: at(10), from: 'submitted', to: 'accepted', actor: 1 },
  ];
  if (dispatch !== null) e.push({ action: 'dispatch', at: at(dispatch), from: 'accepted', to: 'dispatched', actor: 1 });
  if (claim !== null) e.push({ action: 'claim', at: at(claim), from: 'dispatched', to: 'claimed', actor: 1 });
  return [...e, ...more];
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  const { rows } = await db.query<any>(
    `SELECT cm.id, cm.code, array(SELECT g.id FROM grids g WHERE g.community_id = cm.id ORDER BY g.id LIMIT 2) AS grids
       FROM communities cm ORDER BY cm.code OFFSET 12 LIMIT 2`);
  Object.assign(C, { id: rows[0].id, code: rows[0].code, g1: rows[0].grids[0], g2: rows[0].grids[1], other: rows[1].grids[0], otherCode: rows[1].code });
  const created = at(0);
  // 1: closed in the grid, responded in 50 min (limit 2 h), resolved after 5 h (limit 24 h), rated 5
  await insertCase(db, { grid_id: C.g1, status: 'closed', level: 'grid', created_at: created,
    claim_deadline: at(2 * H), handling_deadline: at(24 * H), resolved_at: at(5 * H), closed_at: at(6 * H), rating: 5,
    events: flow(20, 50) });
  // 2: closed at community level, response late (4 h > 2 h), resolved late (10 h > 8 h), rated 3; whistle reported in 40 min
  const two = await insertCase(db, { grid_id: C.g1, status: 'closed', level: 'community', created_at: created,
    claim_deadline: at(2 * H), handling_deadline: at(8 * H), resolved_at: at(10 * H), closed_at: at(11 * H), rating: 3,
    events: flow(30, 4 * H) });
  // 3: closed at subdistrict level after an automatic escalation; response 30 min; resolved after 20 h; whistle 20 min
  const three = await insertCase(db, { grid_id: C.g2, status: 'closed', level: 'subdistrict', created_at: created,
    claim_deadline: at(3 * H), handling_deadline: at(48 * H), resolved_at: at(20 * H), closed_at: at(21 * H),
    events: flow(60, 90, [{ action: 'escalate', at: at(5), from: 'submitted', to: 'accepted', actor: null, label: '系统' }]) });
  // 4: in progress and overdue (handling deadline in 2020); response 60 min
  await insertCase(db, { grid_id: C.g2, status: 'in_progress', level: 'grid', created_at: created,
    claim_deadline: at(3 * H), handling_deadline: at(6 * H), events: flow(60, 120) });
  // 5: submitted, not yet due
  await insertCase(db, { grid_id: C.g1, status: 'submitted', created_at: created, dispatch_deadline: FAR,
    events: [{ action: 'submit', at: at(0), to: 'submitted' }] });
  // 6: dispatched, not claimed, still within the response limit
  await insertCase(db, { grid_id: C.g1, status: 'dispatched', created_at: created, claim_deadline: FAR, events: flow(30, null) });
  // outside the period, and outside the community: in no figure below
  await insertCase(db, { grid_id: C.g1, status: 'closed', created_at: new Date('2020-02-01T10:00:00+08:00'),
    resolved_at: new Date('2020-02-01T12:00:00+08:00'), rating: 1, events: [{ action: 'submit', at: new Date('2020-02-01T10:00:00+08:00'), to: 'submitted' }] });
  await insertCase(db, { grid_id: C.other, status: 'closed', created_at: created, resolved_at: at(H), rating: 1,
    events: [{ action: 'submit', at: at(0), to: 'submitted' }] });
  // two units of the community's 大党委: a community whistles only its own units
  const depts = (await db.query<any>('SELECT department_id AS id FROM community_partner_units WHERE community_id = $1 ORDER BY department_id LIMIT 2',
    [C.id])).rows.map((r) => r.id);
  await db.query<any>(
    `INSERT INTO case_whistles (case_id, department_id, whistled_at, reported_at) VALUES ($1, $3, $4, $5), ($2, $3, $4, $6)`,
    [two.id, three.id, depts[0], at(H), at(H + 40), at(H + 20)]);
  who.leader = await signIn(app, 'leader', undefined, '10.8.0.1');
  who.secretary = await signIn(app, `secretary-${C.code}`, undefined, '10.8.0.2');
  who.otherSecretary = await signIn(app, `secretary-${C.otherCode}`, undefined, '10.8.0.3');
});
afterAll(() => db?.close());

const get = async (signed: Signed, query: string) => {
  const res = await app.request(`/api/kpis?${query}`, { headers: signed.headers });
  return { status: res.status, body: (await res.json()) as any };
};
const PERIOD = 'from=2020-03-01&to=2020-03-10';

describe('GET /api/kpis', () => {
  it('computes every KPI of a community as worked out by hand', async () => {
    const { status, body } = await get(who.leader, `level=community&id=${C.id}&${PERIOD}`);
    expect(status).toBe(200);
    const k = body.total;
    expect(k).toMatchObject({ cases: 6, closed: 3, open: 3, overdue: 1 });
    expect(k.in_grid_rate).toBeCloseTo(1 / 3);
    expect(k.in_community_rate).toBeCloseTo(2 / 3);
    expect(k.response_rate).toBeCloseTo(3 / 4); // case 6 is still within its limit: not counted
    expect(k.resolution_rate).toBeCloseTo(3 / 5); // accepted: 1, 2, 3, 4, 6
    expect(k.satisfaction_rate).toBeCloseTo(1 / 2);
    expect(k.on_time_rate).toBeCloseTo(1 / 4); // on time: 1; of closed 1, 2, 3 and overdue 4
    expect(k.response_minutes).toEqual({ mean: 82.5, p90: 165 }); // 30, 30, 60, 210
    expect(k.resolution_hours).toEqual({ mean: 11.7, p90: 18 }); // 5, 10, 20
    expect(k.whistle_report_minutes).toEqual({ mean: 30, p90: 38 }); // 20, 40
    expect(body.from).toBe('2020-02-29T16:00:00.000Z');
    expect(body.to).toBe('2020-03-10T16:00:00.000Z'); // to is inclusive: the end of 10 March
  });

  it('ranks the grids by the weighted score, with weights from kpi_weights', async () => {
    const { body } = await get(who.leader, `level=community&id=${C.id}&${PERIOD}&group=grid`);
    const [g1, g2] = [body.units.find((u: any) => u.id === C.g1), body.units.find((u: any) => u.id === C.g2)];
    expect(g1).toMatchObject({ cases: 4, closed: 2, rank: 1 });
    expect(g1.on_time_rate).toBeCloseTo(1 / 2);
    expect(g1.score).toBeCloseTo(57.5, 1); // (15·½ + 10·1 + 20·½ + 15·⅔ + 20·½ + 20·½) / 100
    expect(g2).toMatchObject({ cases: 2, closed: 1, rank: 2, satisfaction_rate: null });
    expect(g2.score).toBeCloseTo(34.375, 1); // (20·1 + 15·½) / 80: no rating, so no satisfaction weight
    await db.query<any>(`UPDATE kpi_weights SET weight = 0 WHERE kpi = 'satisfaction_rate'`);
    try {
      const again = await get(who.leader, `level=community&id=${C.id}&${PERIOD}&group=grid`);
      expect(again.body.weights.satisfaction_rate).toBe(0);
      expect(again.body.units.find((u: any) => u.id === C.g1).score).toBeCloseTo(59.375, 1);
    } finally {
      await db.query<any>(`UPDATE kpi_weights SET weight = 20 WHERE kpi = 'satisfaction_rate'`);
    }
  });

  it('a secretary gets her own community by default and nothing of another', async () => {
    const own = await get(who.secretary, PERIOD);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ level: 'community', id: C.id });
    expect(own.body.total.cases).toBe(6);
    const other = await get(who.otherSecretary, `level=community&id=${C.id}&${PERIOD}`);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain('"total"');
    expect((await get(who.otherSecretary, `level=grid&id=${C.g1}`)).status).toBe(404);
    expect((await get(who.secretary, 'level=city')).status).toBe(404);
  });

  it('department staff count only their department’s cases and whistles, wherever they look', async () => {
    const depts = (await db.query<any>('SELECT department_id AS id FROM community_partner_units WHERE community_id = $1 ORDER BY department_id LIMIT 2',
      [C.id])).rows.map((r) => r.id);
    const staff = async (department: number, ip: string) => signIn(app,
      (await db.query<any>(`SELECT username FROM users WHERE role = 'department_staff' AND department_id = $1 ORDER BY username LIMIT 1`,
        [department])).rows[0].username, undefined, ip);
    const [first, second] = [await staff(depts[0], '10.8.0.4'), await staff(depts[1], '10.8.0.5')];
    // April 2020 in the community: one closed case for each of the two departments
    const april = new Date('2020-04-05T10:00:00+08:00');
    for (const department of depts) {
      await insertCase(db, { grid_id: C.g1, status: 'closed', created_at: april, resolved_at: april, closed_at: april,
        assigned_department_id: department, events: [{ action: 'submit', at: april, to: 'submitted' }] });
    }
    const APRIL = 'from=2020-04-01&to=2020-04-10';
    expect((await get(who.leader, `level=community&id=${C.id}&${APRIL}`)).body.total).toMatchObject({ cases: 2, closed: 2 });
    for (const signed of [first, second]) {
      const r = await get(signed, `level=community&id=${C.id}&${APRIL}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toMatchObject({ cases: 1, closed: 1 });
    }
    // March: the community's six cases were assigned to no department; the first department
    // was whistled to two of them (reported in 40 and 20 minutes), the second to none.
    const march = await get(first, `level=community&id=${C.id}&${PERIOD}`);
    expect(march.body.total).toMatchObject({ cases: 0, closed: 0, open: 0, overdue: 0 });
    expect(march.body.total.whistle_report_minutes).toEqual({ mean: 30, p90: 38 });
    const none = await get(second, `level=community&id=${C.id}&${PERIOD}`);
    expect(none.body.total).toMatchObject({ cases: 0, open: 0 });
    expect(none.body.total.whistle_report_minutes.mean).toBeNull();
    // their own unit by default; another unit, or the whole city, is not theirs to see
    const own = await get(first, APRIL);
    expect(own.body).toMatchObject({ level: 'department', id: depts[0] });
    expect(own.body.total.cases).toBeGreaterThanOrEqual(1);
    expect((await get(first, `level=department&id=${depts[1]}&${APRIL}`)).status).toBe(404);
    expect((await get(first, `level=city&${APRIL}`)).status).toBe(404);
  });

  it('answers again from the cache only while no case changed', async () => {
    const before = (await get(who.leader, `level=community&id=${C.id}&${PERIOD}`)).body.total;
    expect((await get(who.leader, `level=community&id=${C.id}&${PERIOD}`)).body.total).toEqual(before);
    // One more case of the period (its submit event is a change): the next answer counts it.
    // (The last test of the file to count this community's cases.)
    await insertCase(db, { grid_id: C.g1, status: 'submitted', created_at: at(0), dispatch_deadline: FAR,
      events: [{ action: 'submit', at: at(0), to: 'submitted' }] });
    const after = (await get(who.leader, `level=community&id=${C.id}&${PERIOD}`)).body.total;
    expect(after).toMatchObject({ cases: before.cases + 1, open: before.open + 1 });
  });

  it.each([
    ['level=country', /level/],
    ['level=community', /id/],
    ['level=city&id=3', /id/],
    ['from=2020-03-10&to=2020-03-01', /from/],
    ['from=2020-01-01&to=2022-01-01', /366/],
    ['from=yesterday', /from/],
    ['group=household', /group/],
    ['id=-1&level=grid', /id/],
    ['sort=score', /unknown parameter/],
  ])('answers %s with 400 and a message', async (query, message) => {
    const { status, body } = await get(who.leader, query);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });
});
