// The sweeper at chosen moments: warnings at 75 % and 90 % of a stage's limit, escalation one
// level up when the limit passes, nothing written twice (also with two sweeps at once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { act, castAround, deliberate, fileCase, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { addWorkingMinutes } from './clock.ts';
import { sweepCases } from './sweeper.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.67.0');
});
afterAll(() => db?.close());

const MIN = 60_000;
const row = async (id: number) => (await db.query<any>(
  `SELECT status, level, max_level, escalation_count, stage_started_at, stage_warning, dispatch_deadline, deadline, next_check_at, version
     FROM cases WHERE id = $1`, [id])).rows[0];
const events = async (id: number, action: string) => (await db.query<any>(
  `SELECT action, actor_user_id, actor_label, from_status, to_status, payload FROM case_events WHERE case_id = $1 AND action = $2 ORDER BY id`,
  [id, action])).rows;

// 噪声扰民 keeps calendar time: 120 minutes to dispatch at normal priority.
const fileNoise = async () => (await fileCase(app, cast, { category: 'noise', description: '测试：深夜装修噪声' })).id;

describe('case sweeper', () => {
  it('warns at 75 % and 90 %, then escalates one level when the limit passes', async () => {
    const id = await fileNoise();
    const start: Date = (await row(id)).stage_started_at;
    expect((await row(id)).deadline).toEqual(new Date(start.getTime() + 120 * MIN));
    const at = (m: number) => new Date(start.getTime() + m * MIN);

    expect(await sweepCases(db, at(89), { only: [id] })).toEqual({ warnings: 0, escalations: 0 });
    expect(await sweepCases(db, at(91), { only: [id] })).toEqual({ warnings: 1, escalations: 0 });
    expect(await sweepCases(db, at(92), { only: [id] })).toEqual({ warnings: 0, escalations: 0 });
    expect(await sweepCases(db, at(109), { only: [id] })).toEqual({ warnings: 1, escalations: 0 });
    expect((await events(id, 'warning')).map((e) => e.payload.percent)).toEqual([75, 90]);
    expect((await events(id, 'warning'))[0]).toMatchObject({ actor_user_id: null, from_status: 'submitted', to_status: 'submitted' });

    expect(await sweepCases(db, at(121), { only: [id] })).toEqual({ warnings: 0, escalations: 1 });
    const r = await row(id);
    expect(r).toMatchObject({ status: 'accepted', level: 'community', max_level: 'community', escalation_count: 1, stage_warning: 0 });
    // The community's dispatcher gets a fresh dispatch clock from the moment of escalation.
    expect(r.dispatch_deadline).toEqual(at(121 + 120));
    const [esc] = await events(id, 'escalate');
    expect(esc).toMatchObject({ actor_user_id: null, from_status: 'submitted', to_status: 'accepted' });
    expect(esc.payload).toMatchObject({ auto: true, stage: 'dispatch', from_level: 'grid', to_level: 'community' });
    expect(await sweepCases(db, at(122), { only: [id] })).toEqual({ warnings: 0, escalations: 0 });
  });

  it('writes only the highest warning when it wakes late, and only once from two sweeps at once', async () => {
    const id = await fileNoise();
    const start: Date = (await row(id)).stage_started_at;
    const late = new Date(start.getTime() + 115 * MIN);
    const both = await Promise.all([sweepCases(db, late, { only: [id] }), sweepCases(db, late, { only: [id] })]);
    expect(both.reduce((n, r) => n + r.warnings, 0)).toBe(1);
    expect((await events(id, 'warning')).map((e) => e.payload.percent)).toEqual([90]);
  });

  it('runs each stage on its own clock, and stops the clock once the case is handled', async () => {
    const id = await fileNoise();
    await act(app, cast, 'grid', id, { action: 'accept' });
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'consultation', grid_worker: true });
    const r = await row(id);
    // 噪声扰民, normal: 240 minutes to claim, from the dispatch
    expect(r.deadline.getTime() - r.stage_started_at.getTime()).toBe(240 * MIN);
    expect(r.stage_warning).toBe(0);
    await act(app, cast, 'grid', id, { action: 'claim' });
    await act(app, cast, 'grid', id, { action: 'start' });
    await deliberate(app, cast, 'grid', id);
    await act(app, cast, 'grid', id, { action: 'resolve', note: '已协商停工' });
    await act(app, cast, 'grid', id, { action: 'verify' });
    const done = await row(id);
    expect(done.deadline).toBeNull();
    expect(done.next_check_at).toBeNull();
    expect(await sweepCases(db, new Date(Date.now() + 365 * 24 * 60 * MIN), { only: [id] })).toEqual({ warnings: 0, escalations: 0 });
  });

  it('counts office hours for categories that keep them', async () => {
    const { id } = await fileCase(app, cast, { category: 'garbage' });
    const r = await row(id);
    expect(r.deadline).toEqual(addWorkingMinutes(r.stage_started_at, 120));
  });

  it('at the city, a passed limit is a 100 % warning, not an escalation', async () => {
    const id = await fileNoise();
    await act(app, cast, 'grid', id, { action: 'escalate', reason: '需社区协调' });
    await act(app, cast, 'secretary', id, { action: 'escalate', reason: '需街道协调' });
    await act(app, cast, 'subdistrict', id, { action: 'escalate', reason: '需市级协调' });
    const r = await row(id);
    expect(r.level).toBe('city');
    const after = new Date(r.stage_started_at.getTime() + 121 * MIN);
    expect(await sweepCases(db, after, { only: [id] })).toEqual({ warnings: 1, escalations: 0 });
    expect((await events(id, 'warning')).map((e) => e.payload.percent)).toEqual([100]);
    expect((await row(id)).next_check_at).toBeNull();
  });
});
