// A case's milestones (the first accept, dispatch and claim, and whether a limit ever passed)
// are columns of its row that the trigger on case_events keeps: what the KPIs' response times
// and on-time counts read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent, insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let grid = 0;
const t0 = new Date('2020-06-01T09:00:00+08:00').getTime();
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

beforeAll(async () => {
  db = await openTestDb();
  grid = (await db.query<{ id: number }>('SELECT id FROM grids ORDER BY id LIMIT 1')).rows[0].id;
});
afterAll(async () => {
  await db?.close();
});

async function milestones(id: number) {
  const { rows } = await db.query<{ accepted_at: Date | null; dispatched_at: Date | null; claimed_at: Date | null; auto_escalated: boolean }>(
    'SELECT accepted_at, dispatched_at, claimed_at, auto_escalated FROM cases WHERE id = $1', [id]);
  return rows[0];
}

describe('case milestones', () => {
  it('keeps the first accept, dispatch and claim; only an escalation without a user marks a passed limit', async () => {
    const { id } = await insertCase(db, {
      grid_id: grid, status: 'claimed', created_at: at(0), events: [
        { action: 'submit', at: at(0), to: 'submitted' },
        { action: 'accept', at: at(10), from: 'submitted', to: 'accepted', actor: 1 },
        { action: 'dispatch', at: at(20), from: 'accepted', to: 'dispatched', actor: 1 },
        { action: 'claim', at: at(30), from: 'dispatched', to: 'claimed', actor: 1 },
        { action: 'escalate', at: at(40), from: 'claimed', to: 'dispatched', actor: 1 },
      ],
    });
    expect(await milestones(id)).toEqual({ accepted_at: at(10), dispatched_at: at(20), claimed_at: at(30), auto_escalated: false });
    // Claimed again later: the response time still counts from the first claim.
    await appendEvent(db, id, { action: 'claim', at: at(50), from: 'dispatched', to: 'claimed', actor: 1 });
    expect((await milestones(id)).claimed_at).toEqual(at(30));
    // The sweeper escalates (no user): a limit passed.
    await appendEvent(db, id, { action: 'escalate', at: at(60), from: 'claimed', to: 'dispatched', actor: null });
    expect((await milestones(id)).auto_escalated).toBe(true);
  });

  it('leaves a case only submitted without milestones, and takes the earliest of several events in one statement', async () => {
    const { id } = await insertCase(db, { grid_id: grid, status: 'submitted', created_at: at(0), events: [{ action: 'submit', at: at(0), to: 'submitted' }] });
    expect(await milestones(id)).toEqual({ accepted_at: null, dispatched_at: null, claimed_at: null, auto_escalated: false });
    await db.query(
      `INSERT INTO case_events (case_id, at, actor_user_id, actor_label, action, from_status, to_status, grid_id, community_id, subdistrict_id)
       SELECT c.id, e.at, 1, '测试', e.action, e.f, e.t, c.grid_id, c.community_id, c.subdistrict_id
         FROM cases c, (VALUES ($2::timestamptz, 'claim', 'dispatched', 'claimed'), ($3, 'claim', 'dispatched', 'claimed'),
                               ($4, 'dispatch', 'accepted', 'dispatched'), ($5, 'accept', 'submitted', 'accepted')) AS e (at, action, f, t)
        WHERE c.id = $1`, [id, at(45), at(35), at(25), at(15)]);
    expect(await milestones(id)).toEqual({ accepted_at: at(15), dispatched_at: at(25), claimed_at: at(35), auto_escalated: false });
  });
});
