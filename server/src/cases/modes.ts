// 四级联办: what each handling mode sets going when a case is dispatched, and the work that
// follows from it. 协商议办 opens a 四方共议 deliberation (case_deliberations, migration 0028)
// whose steps are recorded in their one order; the case is resolved only after the decision.
import type pg from 'pg';
import { HTTPException } from 'hono/http-exception';
import {
  DELIBERATION_STEP_BODIES, DELIBERATION_STEP_LABELS, DELIBERATION_STEPS, nextDeliberationStep,
  routingReason,
  type CaseDeliberation, type CaseHolder, type DeliberationStepBody, type DeliberationStepRow, type DepartmentRouting,
} from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import type { User } from '../auth/scope.ts';
import type { Db, Queryable } from '../db/index.ts';
import { notFound } from '../http/errors.ts';
import { actorLabel, actorOf, loadHolding } from './service.ts';
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
