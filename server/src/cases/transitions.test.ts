// Every action × every status × every kind of user, against the real app. What should happen
// is written out here by hand — from which statuses each action goes and where to, which
// actions each user holds on the test case, who sees it at all — and never read from the
// contract's transition table, so a wrong entry there (the client's buttons and the server
// follow it alike) fails here. A refused action must leave the case exactly as it was: same
// version, no new event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowedActions, CASE_ACTIONS, CASE_STATUSES, CASE_TRANSITIONS, type CaseAction, type CaseHolding, type CaseStatus,
} from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { act, call, caseIn, castAround, deliberate, fileCase, type Cast, type Persona } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
let original: number;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.66.0');
  original = (await fileCase(app, cast)).id;
});
afterAll(() => db?.close());

const PERSONAS: Persona[] = [
  'admin', 'leader', 'planner', 'taskforce', 'taskforceCommunity', 'subdistrict', 'secretary', 'grid', 'member',
  'deptAssigned', 'deptPartner', 'deptOther', 'otherSecretary',
];

/** Who sees a grid-level case of the cast's grid (whistled to the first linked unit). */
function sees(p: Persona, status: CaseStatus): boolean {
  if (p === 'deptOther' || p === 'otherSecretary') return false;
  // dispatched to the assigned department from 'dispatched' on; never for cases stopped before
  if (p === 'deptAssigned') return !['submitted', 'accepted', 'rejected', 'duplicate'].includes(status);
  return true;
}

const OPEN: CaseStatus[] = ['submitted', 'accepted', 'dispatched', 'claimed', 'in_progress'];

/** The workflow, by hand: the statuses each action may be taken in, and the status it leads to. */
const FROM: Record<CaseAction, readonly CaseStatus[]> = {
  accept: ['submitted'],
  dispatch: ['accepted'],
  claim: ['dispatched'],
  start: ['claimed'],
  resolve: ['in_progress'],
  verify: ['resolved'],
  reopen: ['resolved'],
  close: ['verified'],
  rate: ['closed'],
  return: ['dispatched', 'claimed', 'in_progress'],
  reject: ['submitted', 'accepted'],
  mark_duplicate: ['submitted', 'accepted'],
  escalate: OPEN,
  whistle: OPEN,
  report: CASE_STATUSES,
  supervise: OPEN,
  comment: CASE_STATUSES,
};
const TO: Record<CaseAction, CaseStatus | 'same'> = {
  accept: 'accepted', dispatch: 'dispatched', claim: 'claimed', start: 'in_progress', resolve: 'resolved',
  verify: 'verified', reopen: 'in_progress', close: 'closed', rate: 'same', return: 'accepted', reject: 'rejected',
  mark_duplicate: 'duplicate', escalate: 'accepted', whistle: 'same', report: 'same', supervise: 'same', comment: 'same',
};

/**
 * By hand: the actions each user may take on the test case (a grid-level case of the cast's grid,
 * filed by its grid worker, whistled to deptPartner's unit, dispatched to deptAssigned's), when
 * the status allows them; anything else they see is a 403. City roles and the subdistrict admin
 * only comment on a case at grid level; the task force (city-wide, or of the case's community)
 * escalates and supervises; the secretary verifies, reopens, rates and whistles; the grid worker
 * dispatches at grid level, verifies, and rates as the reporter; the party member of the grid was
 * not dispatched to, so only comments.
 */
const MAY: Record<Persona, readonly CaseAction[]> = {
  admin: ['comment'],
  leader: ['comment'],
  planner: ['comment'],
  taskforce: ['escalate', 'supervise', 'comment'],
  taskforceCommunity: ['escalate', 'supervise', 'comment'],
  subdistrict: ['comment'],
  secretary: ['verify', 'reopen', 'rate', 'whistle', 'comment'],
  grid: ['accept', 'dispatch', 'close', 'reject', 'mark_duplicate', 'escalate', 'verify', 'reopen', 'rate', 'comment'],
  member: ['comment'],
  deptAssigned: ['claim', 'start', 'resolve', 'return', 'comment'],
  deptPartner: ['report', 'comment'],
  deptOther: [],
  otherSecretary: [],
};

/** The answer to `action` by `p` on the test case in `status`: hidden 404, not theirs 403, not now 409. */
function expected(p: Persona, action: CaseAction, status: CaseStatus): 200 | 403 | 404 | 409 {
  if (!sees(p, status)) return 404;
  if (!MAY[p].includes(action)) return 403;
  if (!FROM[action].includes(status)) return 409;
  return 200;
}

function bodyFor(action: CaseAction): Record<string, unknown> {
  switch (action) {
    case 'dispatch': return { action, mode: 'department', department_id: cast.assignedDepartment };
    case 'resolve': return { action, note: '已处理' };
    case 'reopen': case 'return': case 'reject': case 'escalate': return { action, reason: '测试原因' };
    case 'rate': return { action, rating: 4 };
    case 'mark_duplicate': return { action, duplicate_of: original };
    case 'whistle': return { action, department_ids: [cast.partners[1]] };
    case 'supervise': case 'comment': return { action, note: '请尽快处理' };
    default: return { action };
  }
}

async function holding(id: number): Promise<CaseHolding> {
  const c = (await db.query<CaseHolding>('SELECT * FROM cases WHERE id = $1', [id])).rows[0];
  const w = (await db.query<{ department_id: number }>('SELECT department_id FROM case_whistles WHERE case_id = $1 AND reported_at IS NULL', [id])).rows;
  return { ...c, pending_whistle_department_ids: w.map((r) => r.department_id) };
}

const snapshot = async (id: number) => (await db.query<{ version: number } & Record<string, unknown>>(
  `SELECT c.version, c.status, c.level, (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) AS events,
          (SELECT count(*) FROM case_whistles w WHERE w.case_id = c.id AND w.reported_at IS NULL) AS pending
     FROM cases c WHERE c.id = $1`, [id])).rows[0];

describe('the transition table, for every status, action and user', () => {
  it('the contract\'s table says what the hand-written workflow says', () => {
    for (const a of CASE_ACTIONS) {
      expect([...CASE_TRANSITIONS[a].from].sort(), a).toEqual([...FROM[a]].sort());
      expect(CASE_TRANSITIONS[a].to, a).toBe(TO[a]);
    }
  });

  for (const status of CASE_STATUSES) {
    it(`a grid-level case that is ${status}`, async () => {
      const id = await caseIn(app, cast, status);
      const h = await holding(id);
      expect(h.status).toBe(status);
      const before = await snapshot(id);
      const allowed: [Persona, CaseAction][] = [];
      const refused: [Persona, CaseAction, number][] = [];
      for (const p of PERSONAS) {
        for (const action of CASE_ACTIONS) {
          const answer = expected(p, action, status);
          if (answer === 200) allowed.push([p, action]);
          else refused.push([p, action, answer]);
        }
        // The buttons the client shows (the contract's allowedActions) are exactly these.
        if (sees(p, status)) {
          expect(allowedActions(h, cast.users[p] as any), `${p} on a ${status} case`)
            .toEqual(CASE_ACTIONS.filter((a) => expected(p, a, status) === 200));
        }
      }
      // Refusals change nothing, so they are sent all at once (the server serialises what it must).
      await Promise.all(refused.map(async ([p, action, expected]) => {
        const res = await call(app, cast.signed[p], 'POST', `/api/cases/${id}/actions`, bodyFor(action));
        expect(res.status, `${action} by ${p} on a ${status} case: ${res.text}`).toBe(expected);
        expect(res.body.error).toMatch(/[\u4e00-\u9fff].*\(.+\)/);
      }));
      expect(await snapshot(id)).toEqual(before);

      // Each allowed action, on a fresh case in the same status (cases of their own, so side by
      // side), succeeds and lands where the table says.
      await Promise.all(allowed.map(async ([p, action]) => {
        const fresh = await caseIn(app, cast, status);
        const res = await call(app, cast.signed[p], 'POST', `/api/cases/${fresh}/actions`, bodyFor(action));
        expect(res.status, `${action} by ${p} on a ${status} case: ${res.text}`).toBe(200);
        expect(res.body.status).toBe(TO[action] === 'same' ? status : TO[action]);
        const last = (await db.query('SELECT action, from_status, to_status, actor_user_id FROM case_events WHERE case_id = $1 ORDER BY id DESC LIMIT 1', [fresh])).rows[0];
        expect(last).toEqual({ action, from_status: status, to_status: res.body.status, actor_user_id: cast.users[p].id });
      }));
      // Sanity: the matrix is not empty anywhere it should not be.
      if (status !== 'duplicate' && status !== 'rejected') expect(allowed.length).toBeGreaterThan(1);
    });
  }
});

describe('the dispatcher follows the level', () => {
  it('after each escalation only the next level dispatches, up to the city', async () => {
    const id = await caseIn(app, cast, 'accepted');
    const dispatchers: [string, Persona][] = [['community', 'secretary'], ['subdistrict', 'subdistrict'], ['city', 'taskforce']];
    let prev: Persona = 'grid';
    for (const [level, who] of dispatchers) {
      await act(app, cast, prev, id, { action: 'escalate', reason: '超出本级能力' });
      const row = (await db.query('SELECT level, max_level, escalation_count, status FROM cases WHERE id = $1', [id])).rows[0];
      expect(row).toMatchObject({ level, max_level: level, status: 'accepted' });
      const stale = await call(app, cast.signed[prev], 'POST', `/api/cases/${id}/actions`, bodyFor('dispatch'));
      expect(stale.status).toBe(403);
      prev = who;
    }
    expect((await call(app, cast.signed.taskforce, 'POST', `/api/cases/${id}/actions`, { action: 'escalate', reason: 'x' })).status).toBe(409);
    const r = await call(app, cast.signed.taskforce, 'POST', `/api/cases/${id}/actions`, bodyFor('dispatch'));
    expect(r.status).toBe(200);
    expect((await db.query('SELECT escalation_count FROM cases WHERE id = $1', [id])).rows[0].escalation_count).toBe(3);
  });

  it('a party member claims what was dispatched to them, and a grid worker a consultation', async () => {
    const a = await caseIn(app, cast, 'accepted');
    await act(app, cast, 'grid', a, { action: 'dispatch', mode: 'consultation', cadre_id: cast.memberCadre });
    expect((await call(app, cast.signed.deptAssigned, 'POST', `/api/cases/${a}/actions`, { action: 'claim' })).status).toBe(404);
    await act(app, cast, 'member', a, { action: 'claim' });
    await act(app, cast, 'member', a, { action: 'start' });
    await deliberate(app, cast, 'member', a);
    await act(app, cast, 'member', a, { action: 'resolve', note: '已代办' });
    const b = await caseIn(app, cast, 'accepted');
    await act(app, cast, 'grid', b, { action: 'dispatch', mode: 'consultation', grid_worker: true });
    expect((await call(app, cast.signed.member, 'POST', `/api/cases/${b}/actions`, { action: 'claim' })).status).toBe(403);
    await act(app, cast, 'grid', b, { action: 'claim' });
  });

  it('refuses a stale version with 409 and stores nothing', async () => {
    const id = await caseIn(app, cast, 'submitted');
    const before = await snapshot(id);
    const r = await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'accept', version: before.version + 1 });
    expect(r.status).toBe(409);
    expect(await snapshot(id)).toEqual(before);
    await act(app, cast, 'grid', id, { action: 'accept', version: before.version });
    expect((await snapshot(id)).version).toBe(before.version + 1);
  });

  it('rejects bad dispatch details with 400 and stores nothing', async () => {
    const id = await caseIn(app, cast, 'accepted');
    const before = await snapshot(id);
    const otherGridMember = (await db.query(
      `SELECT id FROM cadres WHERE kind = 'in_service' AND grid_id <> $1 ORDER BY id LIMIT 1`, [cast.grid.id])).rows[0].id;
    for (const body of [
      { action: 'dispatch', mode: 'department', cadre_id: cast.memberCadre },
      { action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment, grid_worker: true },
      { action: 'dispatch', mode: 'department', department_id: 999999 },
      { action: 'dispatch', mode: 'consultation', department_id: cast.assignedDepartment },
      { action: 'dispatch', mode: 'consultation', cadre_id: otherGridMember },
      { action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment, deadline: '2000-01-01T00:00:00Z' },
      { action: 'dispatch', mode: 'sideways', department_id: cast.assignedDepartment },
      { action: 'dispatch', mode: 'department', department_id: '3' },
      { action: 'teleport' },
      { action: 'reject' },
      { action: 'reject', reason: 'x'.repeat(501) },
      { action: 'mark_duplicate', duplicate_of: id },
      { action: 'accept', extra: 1 },
    ]) {
      const r = await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toBeTruthy();
    }
    const w = await call(app, cast.signed.secretary, 'POST', `/api/cases/${id}/actions`, { action: 'whistle', department_ids: [cast.otherDepartment] });
    expect(w.status).toBe(400);
    expect(w.body.error).toMatch(/包保/);
    expect(await snapshot(id)).toEqual(before);
  });

  it('keeps case events append-only', async () => {
    const id = await caseIn(app, cast, 'submitted');
    await expect(db.query('UPDATE case_events SET actor_label = $2 WHERE case_id = $1', [id, 'forged'])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM case_events WHERE case_id = $1', [id])).rejects.toThrow(/append-only/);
  });

  it('records when a whistled unit reports in', async () => {
    const id = await caseIn(app, cast, 'submitted');
    await act(app, cast, 'deptPartner', id, { action: 'report', note: '已到场' });
    const w = (await db.query('SELECT reported_at, reported_by FROM case_whistles WHERE case_id = $1', [id])).rows[0];
    expect(w.reported_at).toBeInstanceOf(Date);
    expect(w.reported_by).toBe(cast.users.deptPartner.id);
    expect((await call(app, cast.signed.deptPartner, 'POST', `/api/cases/${id}/actions`, { action: 'report' })).status).toBe(403);
  });
});
