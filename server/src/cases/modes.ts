// 四级联办: what each handling mode sets going when a case is dispatched, and the work that
// follows from it. 协商议办 opens a 四方共议 deliberation (case_deliberations, migration 0028)
// whose steps are recorded in their one order; the case is resolved only after the decision.
import type pg from 'pg';
import { HTTPException } from 'hono/http-exception';
import {
  DELIBERATION_STEP_BODIES, DELIBERATION_STEP_LABELS, DELIBERATION_STEPS, nextDeliberationStep,
  routingReason,
  type CaseDeliberation, type CaseHolder, type CaseLeader, type CasePartAction, type CasePartBody, type CaseUnit,
  type DeliberationStepBody, type DeliberationStepRow, type DepartmentRouting,
} from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import type { User } from '../auth/scope.ts';
import type { Db, Queryable } from '../db/index.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { partnerUnits } from './partners.ts';
import { actorLabel, actorOf, loadHolding } from './lifecycle.ts';
import { holdersFor, type CaseHolding } from '@grid-atlas/contract';

const conflict = (message: string) => new HTTPException(409, { message });
const forbidden = (message: string) => new HTTPException(403, { message });

/** Who records a deliberation's steps: whoever handles the consultation, or the community's secretary. */
const DELIBERATORS: readonly CaseHolder[] = ['assignee', 'secretary'];
/** The statuses in which the steps are recorded: once the case is claimed, until it is resolved. */
const DELIBERATING = ['claimed', 'in_progress'];

/** Opens the case's deliberation when it is dispatched in consultation mode (an open one stays as it is). */
export async function openDeliberation(client: pg.ClientBase, caseId: number, u: User, now: Date): Promise<void> {
  await client.query(
    `INSERT INTO case_deliberations (case_id, opened_at, opened_by) VALUES ($1, $2, $3) ON CONFLICT (case_id) DO NOTHING`,
    [caseId, now, u.id]);
}

/**
 * null when the case may be resolved as far as its deliberation goes; otherwise why not (a
 * consultation case whose deliberation is open and has no decision yet).
 */
export async function deliberationBlocksResolve(client: Queryable, caseId: number, mode: string): Promise<string | null> {
  if (mode !== 'consultation') return null;
  const { rows } = await client.query<{ done: number }>(
    `SELECT (SELECT count(*)::int FROM case_deliberation_steps s WHERE s.case_id = d.case_id) AS done
       FROM case_deliberations d WHERE d.case_id = $1`, [caseId]);
  if (!rows[0] || rows[0].done >= DELIBERATION_STEPS.length) return null;
  const next = nextDeliberationStep(rows[0].done)!;
  return `协商议办须先完成四方共议并记录决议，才能办结；下一步：${DELIBERATION_STEP_BODIES[next]}${DELIBERATION_STEP_LABELS[next]} `
    + `(a consultation is resolved only after its deliberation's decision is recorded; next step: ${next})`;
}

/** The case's deliberation, or null when none was opened. */
export async function loadDeliberation(db: Queryable, caseId: number, mayRecord: boolean): Promise<CaseDeliberation | null> {
  const d = await db.query<{ opened_at: Date }>('SELECT opened_at FROM case_deliberations WHERE case_id = $1', [caseId]);
  if (!d.rows[0]) return null;
  const steps = (await db.query<DeliberationStepRow & { at: Date }>(
    `SELECT step_no, step, by_name, note, at, recorded_label FROM case_deliberation_steps WHERE case_id = $1 ORDER BY step_no`,
    [caseId])).rows.map((s) => ({ ...s, at: new Date(s.at).toISOString() }));
  const next = nextDeliberationStep(steps.length);
  return {
    opened_at: new Date(d.rows[0].opened_at).toISOString(),
    steps,
    next_step: next,
    decided: next === null,
    may_record: mayRecord && next !== null,
  };
}

/** Whether the user may record the next step of this case's deliberation now (status and holding; not the order). */
export function mayDeliberate(c: CaseHolding & Record<string, any>, u: User): boolean {
  if (c.mode !== 'consultation' || !DELIBERATING.includes(c.status)) return false;
  const holders = holdersFor(c, actorOf(u));
  return DELIBERATORS.some((h) => holders.has(h));
}

/**
 * Records one step of the case's deliberation: 404 (not visible), 403 (not theirs to record),
 * 409 (no deliberation, the wrong status, out of order, already decided). Changes nothing
 * when it refuses.
 */
export async function recordDeliberationStep(db: Db, u: User, id: number, body: DeliberationStepBody, now = new Date()): Promise<CaseDeliberation> {
  return db.withTransaction(async (client) => {
    const c = await loadHolding(client, u, id, true);
    if (!c) throw notFound(`该案件不存在或不在您的管辖范围内 (no case with id ${id} in your scope)`);
    const holders = holdersFor(c, actorOf(u));
    if (!DELIBERATORS.some((h) => holders.has(h))) {
      throw forbidden('只有承办此案件的网格员或党员、或本社区书记可以记录四方共议 (only whoever handles the consultation, or the community secretary, records its steps)');
    }
    const open = await client.query('SELECT 1 FROM case_deliberations WHERE case_id = $1', [id]);
    if (c.mode !== 'consultation' || !open.rowCount) {
      throw conflict('此案件不是以协商议办派出的，没有四方共议 (this case was not dispatched as a consultation; it has no deliberation)');
    }
    if (!DELIBERATING.includes(c.status)) {
      throw conflict(c.status === 'dispatched'
        ? '请先领单，再记录四方共议 (claim the case before recording its deliberation)'
        : `案件当前状态不能记录四方共议 (a case that is ${c.status} takes no deliberation steps)`);
    }
    const done = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM case_deliberation_steps WHERE case_id = $1', [id])).rows[0].n;
    const expected = nextDeliberationStep(done);
    if (expected === null) throw conflict('决议已记录，四方共议已结束 (the decision is recorded; the deliberation is over)');
    if (body.step !== expected) {
      const asked = DELIBERATION_STEPS.indexOf(body.step) < done ? '已记录' : '还不能记录';
      throw conflict(`四方共议须按顺序进行：${DELIBERATION_STEP_LABELS[body.step]}${asked}，下一步应由${DELIBERATION_STEP_BODIES[expected]}${DELIBERATION_STEP_LABELS[expected]} `
        + `(the deliberation goes in order: the next step is ${expected}, not ${body.step})`);
    }
    await client.query(
      `INSERT INTO case_deliberation_steps (case_id, step_no, step, by_name, note, at, recorded_by, recorded_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, done + 1, body.step, body.by, body.note, now, u.id, actorLabel(u)]);
    await audit(client, { userId: u.id, actor: u.username, action: 'update', entity: 'case', entityId: id,
      before: { deliberation_steps: done }, after: { deliberation_steps: done + 1, step: body.step, by: body.by } });
    return (await loadDeliberation(client, id, true))!;
  });
}

/**
 * 部门认责承办: the department a case of `category` goes to — the unit that held the power the
 * category falls under in the 权力下放清单 (the list's first item for it, statutory powers first),
 * else the category's default unit; null when neither names one.
 */
export async function departmentRouting(db: Queryable, category: string): Promise<DepartmentRouting | null> {
  const { rows } = await db.query<Omit<DepartmentRouting, 'reason'> & { category_name: string }>(
    `SELECT d.id AS department_id, d.name AS department_name,
            CASE WHEN i.id IS NULL THEN 'category_default' ELSE 'power_list' END AS basis,
            CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('number', i.n, 'code', i.code, 'name', i.name) END AS item,
            cat.name AS category_name
       FROM case_categories cat
       LEFT JOIN case_category_powers p ON p.category_code = cat.code
       LEFT JOIN (SELECT id, code, name, department_code, row_number() OVER (ORDER BY sort)::int AS n FROM power_items) i ON i.id = p.item_id
       JOIN departments d ON d.code = coalesce(i.department_code, cat.default_department_code)
      WHERE cat.code = $1`, [category]);
  if (!rows[0]) return null;
  const { category_name, ...r } = rows[0];
  return { ...r, reason: routingReason(r, category_name) };
}

// ---- 领导领办 and 大党委交办: the community's 包保 organisation (case_leaders, case_units; migration 0029) ----

/** The statuses in which a 大党委 unit claims and reports its part: dispatched until resolved. */
const PART_STATUSES = ['dispatched', 'claimed', 'in_progress'];

/**
 * Routes a leader_led or party_committee dispatch: records the community's city leader (leader_led)
 * and its 大党委 units, replacing what an earlier dispatch recorded; returns the lead unit (the
 * case's assignee), the leader and the units for the event.
 */
export async function routeToPartners(client: pg.ClientBase, caseId: number, communityId: number, mode: 'leader_led' | 'party_committee', u: User, now: Date) {
  const units = await partnerUnits(client, communityId);
  const lead = units.find((x) => x.role === 'lead');
  if (!lead) throw badRequest('本社区没有大党委成员单位（包保），不能以此方式派单 (the community has no linked units)');
  await clearPartners(client, caseId);
  let leader: string | null = null;
  if (mode === 'leader_led') {
    leader = (await client.query<{ city_leader: string }>('SELECT city_leader FROM community_partners WHERE community_id = $1', [communityId])).rows[0]?.city_leader ?? null;
    if (!leader) throw badRequest('本社区没有联系市领导，不能以领导领办派单 (the community has no linked city leader)');
    await client.query('INSERT INTO case_leaders (case_id, leader_name, assigned_at, assigned_by) VALUES ($1, $2, $3, $4)', [caseId, leader, now, u.id]);
  }
  await client.query(
    `INSERT INTO case_units (case_id, department_id, mode, role, assigned_at)
     SELECT $1, d, $3, r, $4 FROM unnest($2::int[], $5::text[]) AS x (d, r)`,
    [caseId, units.map((x) => x.department_id), mode, now, units.map((x) => x.role)]);
  return { lead: lead.department_id, leader, units };
}

/** Forgets the leader and units of an earlier dispatch (the case returned, escalated or dispatched again). */
export async function clearPartners(client: Queryable, caseId: number): Promise<void> {
  await client.query('DELETE FROM case_units WHERE case_id = $1', [caseId]);
  await client.query('DELETE FROM case_leaders WHERE case_id = $1', [caseId]);
}

/** null when the case may be resolved as far as its 大党委 parts go; otherwise why not. */
export async function partsBlockResolve(client: Queryable, caseId: number, mode: string): Promise<string | null> {
  if (mode !== 'party_committee') return null;
  const { rows } = await client.query<{ name: string }>(
    `SELECT d.name FROM case_units cu JOIN departments d ON d.id = cu.department_id
      WHERE cu.case_id = $1 AND cu.mode = 'party_committee' AND cu.reported_at IS NULL ORDER BY cu.role = 'lead' DESC, d.code`, [caseId]);
  if (!rows.length) return null;
  return `大党委联动交办须各成员单位报告办理情况后才能办结；尚未报告：${rows.map((r) => r.name).join('、')} `
    + `(every unit of the party committee reports its part before the case is resolved; ${rows.length} not yet)`;
}

/** The case's leader and units (empty when none), and the part actions the user may take now. */
export async function loadPartners(db: Queryable, caseId: number, u: User, status: string) {
  const leader = (await db.query<{ name: string; assigned_at: Date }>('SELECT leader_name AS name, assigned_at FROM case_leaders WHERE case_id = $1', [caseId])).rows[0];
  const units = (await db.query<Omit<CaseUnit, 'claimed_at' | 'reported_at'> & { claimed_at: Date | null; reported_at: Date | null }>(
    `SELECT cu.department_id, d.name, cu.role, cu.mode, cu.claimed_at, cu.reported_at, cu.report_note
       FROM case_units cu JOIN departments d ON d.id = cu.department_id
      WHERE cu.case_id = $1 ORDER BY cu.role = 'lead' DESC, d.code`, [caseId])).rows.map((r) => ({
    ...r, claimed_at: r.claimed_at && new Date(r.claimed_at).toISOString(), reported_at: r.reported_at && new Date(r.reported_at).toISOString(),
  }));
  const mine = u.role === 'department_staff' ? units.find((x) => x.department_id === u.department_id && x.mode === 'party_committee') : undefined;
  const part_actions: CasePartAction[] = [];
  if (mine && PART_STATUSES.includes(status)) {
    if (!mine.claimed_at) part_actions.push('claim');
    else if (!mine.reported_at) part_actions.push('report');
  }
  const out: { leader: CaseLeader | null; units: CaseUnit[]; part_actions: CasePartAction[] } = {
    leader: leader ? { name: leader.name, assigned_at: new Date(leader.assigned_at).toISOString() } : null,
    units,
    part_actions,
  };
  return out;
}

/**
 * A 大党委 unit's staff claim or report their unit's part of a party_committee case: 404 (not
 * visible), 403 (not one of the case's units), 409 (wrong status, claimed twice, report before the
 * claim or twice). Changes nothing when it refuses.
 */
export async function actOnPart(db: Db, u: User, id: number, body: CasePartBody, now = new Date()) {
  return db.withTransaction(async (client) => {
    const c = await loadHolding(client, u, id, true);
    if (!c) throw notFound(`该案件不存在或不在您的管辖范围内 (no case with id ${id} in your scope)`);
    const part = u.role === 'department_staff'
      ? (await client.query<{ claimed_at: Date | null; reported_at: Date | null }>(
        `SELECT claimed_at, reported_at FROM case_units WHERE case_id = $1 AND department_id = $2 AND mode = 'party_committee' FOR UPDATE`,
        [id, u.department_id])).rows[0]
      : undefined;
    if (!part) throw forbidden('只有交办此案件的大党委成员单位的工作人员可以领办或报告本单位的部分 (only staff of a unit the case was given to claim or report its part)');
    if (!PART_STATUSES.includes(c.status)) throw conflict(`案件当前状态不能领办或报告 (a case that is ${c.status} takes no claims or reports of parts)`);
    if (body.action === 'claim') {
      if (part.claimed_at) throw conflict('本单位已领办此案件的部分 (your unit has already claimed its part)');
      await client.query('UPDATE case_units SET claimed_at = $3, claimed_by = $4 WHERE case_id = $1 AND department_id = $2', [id, u.department_id, now, u.id]);
    } else {
      if (!part.claimed_at) throw conflict('请先领办本单位的部分，再报告办理情况 (claim your unit\'s part before reporting it)');
      if (part.reported_at) throw conflict('本单位已报告办理情况 (your unit has already reported its part)');
      await client.query('UPDATE case_units SET reported_at = $3, reported_by = $4, report_note = $5 WHERE case_id = $1 AND department_id = $2',
        [id, u.department_id, now, u.id, body.note]);
    }
    await audit(client, { userId: u.id, actor: u.username, action: 'update', entity: 'case', entityId: id,
      before: { part: { department_id: u.department_id, claimed: !!part.claimed_at, reported: !!part.reported_at } },
      after: { part: { department_id: u.department_id, action: body.action } } });
    return loadPartners(client, id, u, c.status);
  });
}
