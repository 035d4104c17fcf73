// 三级考评 of people and units through the real app: the weights table holds the contract's
// subjects and metrics; each subject lists what the database holds (counted in SQL), with the
// source figures of every rate, and a whistle blown and reported, or a progress report, moves
// exactly the figures it should; every score is Σ weight × rate ÷ Σ weight over the defined rates.
// The administrator's weights: bad input is a 400 in words that changes nothing and audits
// nothing; a good change is audited and rescored. Other test files add cases and reports, so
// figures are compared before and after, never with a fixed count of events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION_FIGURES, EVALUATION_METRICS, EVALUATION_SUBJECTS, type EvaluationResponse, type EvaluationRow } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { act, call, castAround, fileCase, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.77.0');
});
afterAll(() => db?.close());

const one = async <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => (await db.query<T & Record<string, unknown>>(sql, p)).rows[0];
const get = async (query: string, who: keyof Cast['signed'] = 'admin') => {
  const r = await call(app, cast.signed[who], 'GET', `/api/evaluation?${query}`);
  expect(r.status, r.text).toBe(200);
  return r.body as EvaluationResponse;
};
/** Every row of a subject, page by page. */
const all = async (subject: string, who: keyof Cast['signed'] = 'admin') => {
  const rows: EvaluationRow[] = [];
  let body: EvaluationResponse;
  do {
    body = await get(`subject=${subject}&limit=200&offset=${rows.length}`, who);
    rows.push(...body.rows);
  } while (rows.length < body.total && body.rows.length);
  return { ...body, rows };
};
/** The score the weights give: Σ w × rate ÷ Σ w over the rates that are defined and weighted, 0–100, two decimals. */
const expectedScore = (row: EvaluationRow, weights: { metric: string; weight: number }[]) => {
  let sum = 0;
  let total = 0;
  for (const w of weights) {
    const r = row.rates[w.metric];
    if (r === null || r === undefined || !(w.weight > 0)) continue;
    sum += w.weight * r;
    total += w.weight;
  }
  return total > 0 ? Math.round((10000 * sum) / total) / 100 : null;
};
const weightsOf = async (subject: string) =>
  (await db.query<{ metric: string; weight: number }>('SELECT metric, weight::float8 AS weight FROM evaluation_weights WHERE subject = $1 ORDER BY metric', [subject])).rows;
const audits = async () => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'evaluation_weights'`)).n;

describe('the weights', () => {
  it('are the contract’s subjects and metrics, with the default weights', async () => {
    const { rows } = await db.query<{ subject: string; metric: string }>('SELECT subject, metric FROM evaluation_weights ORDER BY subject, sort');
    const bySubject = Object.fromEntries(EVALUATION_SUBJECTS.map((s) => [s, rows.filter((r) => r.subject === s).map((r) => r.metric)]));
    expect(bySubject).toEqual(Object.fromEntries(EVALUATION_SUBJECTS.map((s) => [s, [...EVALUATION_METRICS[s]]])));
  });
});

describe('GET /api/evaluation', () => {
  it('lists every 包保 unit and every unit, the vanguard members and the sunk members of the area, as the database holds them', async () => {
    const partner = await all('partner_unit');
    expect(partner.total).toBe((await one<{ n: number }>('SELECT count(DISTINCT department_id)::int AS n FROM community_partner_units')).n);
    expect((await get('subject=resident_unit')).total).toBe((await one<{ n: number }>('SELECT count(*)::int AS n FROM departments')).n);
    expect((await get('subject=vanguard_member')).total).toBe(264);
    // the secretary: the own community's team (8) and sunk members, with their names
    const own = await get('subject=vanguard_member&limit=200', 'secretary');
    expect(own.total).toBe(8);
    expect(own.rows.every((r) => r.name !== null)).toBe(true);
    const sunk = await get('subject=sunk_member&limit=10', 'secretary');
    expect(sunk.total).toBe((await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM cadres c JOIN area_branches b ON b.id = c.branch_id WHERE c.kind = 'sunk' AND b.community_id = $1`,
      [cast.grid.community_id])).n);
    // the city leader: every member, no names
    const city = await get('subject=sunk_member&limit=5', 'leader');
    expect(city.total).toBe((await one<{ n: number }>(`SELECT count(*)::int AS n FROM cadres WHERE kind = 'sunk'`)).n);
    expect(city.rows.every((r) => r.name === null)).toBe(true);
    // each 包保 unit's communities, as the 包保 view says
    const { rows } = await db.query<{ department_id: number; n: number }>('SELECT department_id, count(*)::int AS n FROM community_partner_units GROUP BY 1');
    for (const r of partner.rows) expect(r.figures.communities).toBe(rows.find((x) => x.department_id === r.id)!.n);
  });

  it('scores every row by the weights, ranks by score, and gives no score where there is nothing to count', async () => {
    for (const subject of EVALUATION_SUBJECTS) {
      const body = await get(`subject=${subject}&limit=200`);
      const weights = body.weights.map((w) => ({ metric: w.metric, weight: w.weight }));
      for (const r of body.rows) {
        expect(Object.keys(r.rates).sort()).toEqual([...EVALUATION_METRICS[subject]].sort());
        expect(Object.keys(r.figures).sort()).toEqual([...EVALUATION_FIGURES[subject]].sort());
        expect(r.score).toBe(expectedScore(r, weights));
        expect(r.rank === null).toBe(r.score === null);
      }
      const scores = body.rows.map((r) => r.score ?? -1);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('counts a whistle blown to a 包保 unit and its report in the unit’s figures and rate', async () => {
    const unit = cast.partners[0];
    const row = async () => (await all('partner_unit')).rows.find((r) => r.id === unit)!;
    const before = await row();
    const { id } = await fileCase(app, cast);
    await act(app, cast, 'secretary', id, { action: 'whistle', department_ids: [unit] });
    const whistled = await row();
    expect(whistled.figures.whistles).toBe(before.figures.whistles + 1);
    expect(whistled.figures.whistles_reported).toBe(before.figures.whistles_reported);
    await act(app, cast, 'deptPartner', id, { action: 'report' });
    const reported = await row();
    expect(reported.figures.whistles_reported).toBe(before.figures.whistles_reported + 1);
    expect(reported.rates.whistle_rate).toBeCloseTo(reported.figures.whistles_reported / reported.figures.whistles, 10);
    expect(reported.score).toBe(expectedScore(reported, await weightsOf('partner_unit')));
  });

  it('counts a vanguard member’s progress report in the member’s figures and task coverage', async () => {
    const task = await one<{ id: number; done: number; member: number; team_tasks: number }>(
      `SELECT k.id, k.done, (SELECT min(m.id) FROM vanguard_members m WHERE m.team_id = t.id) AS member,
              (SELECT count(*)::int FROM vanguard_tasks x WHERE x.team_id = t.id) AS team_tasks
         FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id WHERE t.community_id = $1 ORDER BY k.id LIMIT 1`,
      [cast.grid.community_id]);
    const row = async () => (await get('subject=vanguard_member&limit=200', 'secretary')).rows.find((r) => r.id === task.member)!;
    const before = await row();
    const r = await call(app, cast.signed.secretary, 'POST', `/api/vanguard/tasks/${task.id}/progress`, { member_id: task.member, done: task.done });
    expect(r.status, r.text).toBe(201);
    const after = await row();
    expect(after.figures.reports).toBe(before.figures.reports + 1);
    const reported = (await one<{ n: number }>(
      `SELECT count(DISTINCT task_id)::int AS n FROM vanguard_task_updates WHERE member_id = $1 AND at >= now() - interval '30 days'`, [task.member])).n;
    expect(after.figures.tasks_reported).toBe(reported);
    expect(after.figures.team_tasks).toBe(task.team_tasks);
    expect(after.rates.task_coverage).toBeCloseTo(reported / task.team_tasks, 10);
    expect(after.score).toBe(expectedScore(after, await weightsOf('vanguard_member')));
  });

  it.each([
    ['', /subject/], ['subject=people', /subject/], ['subject=partner_unit&limit=0', /至少/], ['subject=partner_unit&limit=201', /最多/],
    ['subject=partner_unit&community=1', /不按社区筛选/], ['subject=sunk_member&colour=red', /colour|参数/],
  ])('refuses ?%s with a 400 in words', async (query, message) => {
    const r = await call(app, cast.signed.admin, 'GET', `/api/evaluation?${query}`);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/[\u4e00-\u9fff]/);
    expect(r.text).toMatch(message);
  });

  it('answers another community with a 404, as if it did not exist', async () => {
    const other = await one<{ id: number }>(`SELECT id FROM communities WHERE code = '422801002001'`);
    const r = await call(app, cast.signed.secretary, 'GET', `/api/evaluation?subject=sunk_member&community=${other.id}`);
    expect(r.status).toBe(404);
  });
});

describe('PUT /api/evaluation/weights', () => {
  const put = (body: unknown, who: keyof Cast['signed'] = 'admin') => call(app, cast.signed[who], 'PUT', '/api/evaluation/weights', body);
  const good = { whistle_rate: 30, party_committee_rate: 20, community_resolution_rate: 30, community_satisfaction_rate: 20 };

  it.each([
    ['a negative weight', { subject: 'partner_unit', weights: { ...good, whistle_rate: -1 } }, /不能为负/],
    ['all weights 0', { subject: 'partner_unit', weights: { whistle_rate: 0, party_committee_rate: 0, community_resolution_rate: 0, community_satisfaction_rate: 0 } }, /之和应大于 0/],
    ['a weight above 100', { subject: 'partner_unit', weights: { ...good, whistle_rate: 101 } }, /最多 100/],
    ['a weight in words', { subject: 'partner_unit', weights: { ...good, whistle_rate: '三十' } }, /权重应为/],
    ['a blank weight (null)', { subject: 'partner_unit', weights: { ...good, whistle_rate: null } }, /权重应为/],
    ['an unknown metric', { subject: 'partner_unit', weights: { ...good, speed: 10 } }, /没有指标 speed/],
    ['a missing metric', { subject: 'partner_unit', weights: { whistle_rate: 30, party_committee_rate: 20, community_resolution_rate: 30 } }, /缺少指标 community_satisfaction_rate/],
    ['an unknown subject', { subject: 'areas', weights: good }, /subject/],
    ['a stray field', { subject: 'partner_unit', weights: good, note: 'x' }, /note|参数|字段|Unrecognized|未知/],
    ['no weights', { subject: 'partner_unit' }, /weights/],
  ])('refuses %s with a 400 in words, changing and auditing nothing', async (_what, body, message) => {
    const [before, logged] = [await weightsOf('partner_unit'), await audits()];
    const r = await put(body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/[\u4e00-\u9fff]/);
    expect(r.text).toMatch(message);
    expect(await weightsOf('partner_unit')).toEqual(before);
    expect(await audits()).toBe(logged);
  });

  it('refuses a body that is not JSON, and every role but the administrator', async () => {
    const before = await weightsOf('partner_unit');
    const text = await app.request('/api/evaluation/weights', { method: 'PUT', headers: cast.signed.admin.write, body: '{"subject":' });
    expect(text.status).toBe(400);
    for (const who of ['leader', 'secretary', 'subdistrict', 'deptPartner'] as const) {
      const r = await put({ subject: 'partner_unit', weights: good }, who);
      expect(r.status).toBe(403);
      expect(r.text).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await weightsOf('partner_unit')).toEqual(before);
  });

  it('sets the weights, audits the change and rescores, and sets them back', async () => {
    const before = await weightsOf('vanguard_member');
    const logged = await audits();
    try {
      const r = await put({ subject: 'vanguard_member', weights: { team_progress: 0, task_coverage: 7.5 } });
      expect(r.status, r.text).toBe(200);
      expect(r.body.weights.map((w: any) => [w.metric, w.weight])).toEqual([['team_progress', 0], ['task_coverage', 7.5]]);
      expect(await audits()).toBe(logged + 1);
      const entry = await one<{ actor: string; entity_id: string; before: any; after: any }>(
        `SELECT actor, entity_id, before, after FROM audit_log WHERE entity = 'evaluation_weights' ORDER BY id DESC LIMIT 1`);
      expect(entry).toMatchObject({ actor: 'admin', entity_id: 'vanguard_member', after: { team_progress: 0, task_coverage: 7.5 } });
      expect(entry.before).toEqual(Object.fromEntries(before.map((w) => [w.metric, w.weight])));
      // only task coverage counts now: the score is the coverage in percent
      const body = await get('subject=vanguard_member&limit=50');
      for (const row of body.rows) {
        const c = row.rates.task_coverage;
        expect(row.score).toBe(c === null || c === undefined ? null : Math.round(10000 * c) / 100);
      }
    } finally {
      const back = await put({ subject: 'vanguard_member', weights: Object.fromEntries(before.map((w) => [w.metric, w.weight])) });
      expect(back.status).toBe(200);
    }
    expect(await weightsOf('vanguard_member')).toEqual(before);
  });
});
