// Moving a case through its lifecycle (filing it is cases/filing.ts). The case row is the projection of its
// events: each change locks the row, appends one event and updates the row in the same
// transaction, so the two never disagree. Who may do what comes from the one transition
// table in contract/src/cases.ts; visibility is decided in SQL (caseInScope).
import type pg from 'pg';
import { HTTPException } from 'hono/http-exception';
import {
  CASE_TRANSITIONS, FINAL_STATUSES, ROLE_LABELS as CONTRACT_ROLE_LABELS, nextLevel, refusal,
  type CaseAction, type CaseActionBody, type CaseActor, type CaseHolding, type CaseLevel, type CaseStage, type CaseStatus,
} from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import type { Db, Queryable } from '../db/index.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { categoryClock } from './categories.ts';
import { startStage } from './clock.ts';
import { caseInScope, caseScopeParams, type User } from '../auth/scope.ts';
import { partnerUnits } from './partners.ts';
import { clearPartners, deliberationBlocksResolve, departmentRouting, openDeliberation, partsBlockResolve, routeToPartners } from './modes.ts';

const conflict = (message: string) => new HTTPException(409, { message });
const forbidden = (message: string) => new HTTPException(403, { message });

export function actorLabel(u: User): string {
  return `${u.display_name}（${CONTRACT_ROLE_LABELS[u.role as keyof typeof CONTRACT_ROLE_LABELS] ?? u.role}）`;
}

interface EventInput {
  action: string;
  from: CaseStatus | null;
  to: CaseStatus;
  payload?: Record<string, unknown>;
  at: Date;
  /** who acted when there is no user: the system by default, "居民" for a public report */
  label?: string;
}

/** Appends one event, copying the case's area and department onto it; returns its id. */
export async function appendEvent(client: pg.ClientBase, caseId: number, actor: User | null, e: EventInput): Promise<number> {
  const { rows } = await client.query(
    `INSERT INTO case_events (case_id, at, actor_user_id, actor_label, action, from_status, to_status, payload,
                              grid_id, community_id, subdistrict_id, department_id)
     SELECT c.id, $2, $3, $4, $5, $6, $7, $8::jsonb, c.grid_id, c.community_id, c.subdistrict_id, c.assigned_department_id
       FROM cases c WHERE c.id = $1
     RETURNING id`,
    [caseId, e.at, actor?.id ?? null, actor ? actorLabel(actor) : e.label ?? '系统 (system)', e.action, e.from, e.to, JSON.stringify(e.payload ?? {})],
  );
  return rows[0].id;
}

const CASE_COLUMNS = `c.id, c.status, c.level, c.max_level, c.mode, c.priority, c.category_code, c.grid_id, c.community_id, c.subdistrict_id,
  c.assigned_department_id, c.assigned_cadre_id, c.assigned_grid_id, c.reporter_user_id, c.rating, c.version,
  c.handling_deadline, c.escalation_count`;

/** The case as `holdersFor` needs it, or null when it does not exist or the user cannot see it. */
/** A case row as the lifecycle reads it: the contract's holding plus the columns of CASE_COLUMNS. */
type HoldingRow = CaseHolding & { max_level: string; escalation_count: number } & Record<string, any>;

export async function loadHolding(client: Queryable, u: User, id: number, lock = false): Promise<HoldingRow | null> {
  const { rows } = await client.query<HoldingRow>(
    `SELECT ${CASE_COLUMNS} FROM cases c WHERE c.id = $8 AND ${caseInScope(1)} ${lock ? 'FOR UPDATE OF c' : ''}`,
    [...caseScopeParams(u), id]);
  if (!rows[0]) return null;
  const w = await client.query<{ department_id: number }>(`SELECT department_id FROM case_whistles WHERE case_id = $1 AND reported_at IS NULL ORDER BY department_id`, [id]);
  return { ...rows[0], pending_whistle_department_ids: w.rows.map((r) => r.department_id) } as HoldingRow;
}

export function actorOf(u: User): CaseActor {
  return {
    id: u.id, role: u.role, subdistrict_id: u.subdistrict_id, community_id: u.community_id, grid_id: u.grid_id,
    department_id: u.department_id, cadre_id: u.cadre_id ?? null,
  };
}

export interface ActionResult {
  eventId: number;
  status: CaseStatus;
  version: number;
}

/** Applies one action; throws 404 (not visible), 403 (not theirs to take), 409 (wrong state or stale version), 400 (bad details). */
export async function applyAction(db: Db, u: User, id: number, body: CaseActionBody, now = new Date()): Promise<ActionResult> {
  return db.withTransaction(async (client) => {
    // A duplicate's original is read under lock too, and both rows are locked in the order of
    // their ids before anything is read: two opposite marks sent at once (A of B, B of A) then
    // wait one for the other, and the second sees the first's original already a duplicate.
    if (body.action === 'mark_duplicate' && body.duplicate_of !== id) {
      await client.query('SELECT id FROM cases WHERE id = ANY ($1::int[]) ORDER BY id FOR UPDATE', [[id, body.duplicate_of]]);
    }
    const c = await loadHolding(client, u, id, true);
    if (!c) throw notFound(`该案件不存在或不在您的管辖范围内 (no case with id ${id} in your scope)`);
    const action = body.action as CaseAction;
    const why = refusal(c, actorOf(u), action);
    if (why === 'role') throw forbidden(`您不能对此案件执行“${action}” (you may not ${action} this case)`);
    if (why === 'state') throw conflict(`案件当前状态为 ${c.status}，不能执行 ${action} (a case that is ${c.status} cannot be given ${action})`);
    if (body.version !== undefined && body.version !== c.version) {
      throw conflict(`案件已被他人更新，请刷新 (the case has changed since version ${body.version}; it is now version ${c.version})`);
    }
    const t = CASE_TRANSITIONS[action];
    const to: CaseStatus = t.to === 'same' ? c.status : t.to;
    const set: Record<string, unknown> = {};
    const payload: Record<string, unknown> = {};
    if ('note' in body && body.note) payload.note = body.note;
    if ('reason' in body) payload.reason = body.reason;
    const clockFor = async () => (await categoryClock(client, c.category_code, c.priority))!;
    const restart = async (stage: CaseStage | null, cap?: Date | null) => {
      const s = startStage(await clockFor(), stage, now, cap);
      Object.assign(set, { stage_started_at: s.stage_started_at, stage_limit_minutes: s.stage_limit_minutes, stage_warning: s.stage_warning, next_check_at: s.next_check_at });
      if (s.deadline) set[s.deadline[0]] = s.deadline[1];
    };
    const unassign = async () => {
      Object.assign(set, { assigned_department_id: null, assigned_cadre_id: null, assigned_grid_id: null, handling_deadline: null });
      await clearPartners(client, id);
    };

    switch (body.action) {
      case 'dispatch': {
        const targets = [body.department_id, body.cadre_id, body.grid_worker].filter((x) => x !== undefined);
        // 部门认责承办 without a department: the one the 权力清单 (else the category) names.
        let routed: Awaited<ReturnType<typeof departmentRouting>> = null;
        let partners: Awaited<ReturnType<typeof routeToPartners>> | null = null;
        if (body.mode === 'leader_led' || body.mode === 'party_committee') {
          // 领导领办 / 大党委交办: the community's 包保 organisation, never a unit named by hand.
          if (targets.length) {
            throw badRequest(body.mode === 'leader_led'
              ? '领导领办由本社区的联系市领导牵头、大党委成员单位协调，不另指定承办方 (a leader-led case goes to the community\'s linked leader and units; name no assignee)'
              : '大党委联动交办给本社区全部大党委成员单位，不另指定承办方 (a party-committee case goes to all the community\'s linked units; name no assignee)');
          }
          partners = await routeToPartners(client, id, c.community_id, body.mode, u, now);
          set.assigned_department_id = partners.lead;
          set.assigned_cadre_id = null;
          set.assigned_grid_id = null;
          Object.assign(payload, { leader: partners.leader, unit_ids: partners.units.map((x) => x.department_id) });
        } else if (body.mode === 'department' && targets.length === 0) {
          routed = await departmentRouting(client, c.category_code);
          if (!routed) throw badRequest('权力清单和类别主责中都没有此类别的承办部门，请指定承办部门 (no department is named for this category; name one)');
          payload.routing = { basis: routed.basis, power_item: routed.item?.code ?? null, reason: routed.reason };
          set.assigned_department_id = routed.department_id;
        } else if (targets.length !== 1) {
          throw badRequest('请指定一个承办方：department_id、cadre_id 或 grid_worker (name exactly one assignee)');
        } else if (body.department_id !== undefined) {
          if (body.mode === 'consultation') throw badRequest('协商议办由网格员或党员承办，不派给部门 (a consultation goes to the grid worker or a party member, not a department)');
          const d = await client.query('SELECT id FROM departments WHERE id = $1', [body.department_id]);
          if (!d.rowCount) throw badRequest(`部门 ${body.department_id} 不存在 (no department with id ${body.department_id})`);
          set.assigned_department_id = body.department_id;
        } else {
          if (body.mode !== 'consultation') throw badRequest('党员或网格员只承办协商议办的事项 (party members and grid workers take consultation matters only)');
          if (body.cadre_id !== undefined) {
            const m = await client.query(`SELECT id FROM cadres WHERE id = $1 AND kind IN ('in_service', 'sunk') AND grid_id = $2`, [body.cadre_id, c.grid_id]);
            if (!m.rowCount) throw badRequest(`党员 ${body.cadre_id} 不在本网格 (cadre ${body.cadre_id} is not a party member of the case's grid)`);
            set.assigned_cadre_id = body.cadre_id;
          } else {
            set.assigned_grid_id = c.grid_id;
          }
        }
        let cap: Date | null = null;
        if (body.deadline) {
          cap = new Date(body.deadline);
          if (cap <= now) throw badRequest('办理截止时间应晚于现在 (the deadline must be in the future)');
        }
        // Dispatched again in another mode: the leader and units of an earlier dispatch go.
        if (!partners) await clearPartners(client, id);
        Object.assign(payload, { mode: body.mode, department_id: body.department_id ?? routed?.department_id ?? partners?.lead ?? null, cadre_id: body.cadre_id ?? null,
          grid_id: body.grid_worker ? c.grid_id : null, deadline: cap?.toISOString() ?? null });
        set.mode = body.mode;
        // 协商议办: the case is handled through a 四方共议 deliberation, opened now.
        if (body.mode === 'consultation') await openDeliberation(client, id, u, now);
        // A dispatcher's deadline caps the handling stage, which starts when the case is claimed.
        set.handling_deadline = cap;
        await restart('claim');
        break;
      }
      case 'claim':
        await restart('handling', c.handling_deadline);
        break;
      case 'resolve': {
        const blocked = await deliberationBlocksResolve(client, id, c.mode) ?? await partsBlockResolve(client, id, c.mode);
        if (blocked) throw conflict(blocked);
        set.resolved_at = now;
        await restart('verification');
        break;
      }
      case 'reopen':
        set.resolved_at = null;
        await restart('handling');
        break;
      case 'verify':
        await restart(null);
        break;
      case 'close':
        set.closed_at = now;
        break;
      case 'rate':
        set.rating = body.rating;
        set.rated_at = now;
        payload.rating = body.rating;
        break;
      case 'return':
        await unassign();
        await restart('dispatch');
        break;
      case 'reject':
        await restart(null);
        break;
      case 'mark_duplicate': {
        if (body.duplicate_of === id) throw badRequest('不能标为自身的重复件 (a case cannot duplicate itself)');
        const orig = await client.query<{ id: number; number: string; status: CaseStatus }>(
          `SELECT c.id, c.number, c.status FROM cases c WHERE c.id = $8 AND ${caseInScope(1)}`,
          [...caseScopeParams(u), body.duplicate_of]);
        if (!orig.rowCount) throw badRequest(`案件 ${body.duplicate_of} 不存在 (no case with id ${body.duplicate_of})`);
        const o = orig.rows[0];
        // The original stands on its own: open, or handled (resolved, verified, closed). A rejected
        // case is no matter to merge into, and pointing at a duplicate would chain (or, pointing
        // back, close both as each other's duplicate with no case left to handle the matter).
        if (o.status === 'duplicate') {
          throw conflict(`案件 ${o.number} 本身是重复件，请标为它的原件的重复 (case ${o.number} is itself a duplicate; mark this case a duplicate of its original instead)`);
        }
        if (o.status === 'rejected') {
          throw conflict(`案件 ${o.number} 已不予受理，不能作为原件 (case ${o.number} was rejected and cannot be the original)`);
        }
        set.duplicate_of = body.duplicate_of;
        payload.duplicate_of = body.duplicate_of;
        payload.duplicate_of_number = orig.rows[0].number;
        await restart(null);
        break;
      }
      case 'escalate': {
        const level = nextLevel(c.level as CaseLevel)!;
        Object.assign(set, escalationColumns(c, level));
        await unassign();
        Object.assign(payload, { from_level: c.level, to_level: level });
        await restart('dispatch');
        break;
      }
      case 'whistle': {
        // Only the community's own units (大党委成员单位/包保); a refusal names them, never ids.
        const units = await partnerUnits(client, c.community_id);
        const asked = [...new Set(body.department_ids)];
        const foreign = asked.filter((d) => !units.some((p) => p.department_id === d));
        if (foreign.length) {
          const named = (await client.query<{ name: string }>('SELECT name FROM departments WHERE id = ANY ($1::int[]) ORDER BY code', [foreign])).rows.map((r) => r.name);
          const unknown = foreign.length - named.length;
          const what = [...named, ...(unknown ? [`${unknown} 个不存在的单位`] : [])].join('、');
          throw badRequest(`${what}不是本社区的包保单位；可吹哨的单位：${units.map((p) => p.name).join('、')} `
            + `(not units linked to this community: ${what}; the linked units are ${units.map((p) => p.name).join(', ')})`);
        }
        const added = await client.query(
          `INSERT INTO case_whistles (case_id, department_id, whistled_at, whistled_by)
           SELECT $1, d, $3, $4 FROM unnest($2::int[]) AS d ON CONFLICT (case_id, department_id) DO NOTHING RETURNING department_id`,
          [id, asked, now, u.id]);
        if (!added.rowCount) throw conflict('这些单位已被吹哨 (these units have already been whistled to this case)');
        payload.department_ids = added.rows.map((r) => r.department_id);
        break;
      }
      case 'report':
        await client.query(`UPDATE case_whistles SET reported_at = $3, reported_by = $4 WHERE case_id = $1 AND department_id = $2`,
          [id, u.department_id, now, u.id]);
        payload.department_id = u.department_id;
        break;
      default:
        break; // accept, start, supervise, comment: the event is the whole change
    }

    // Status changes and changed assignments move the version; comments and the like do not,
    // so they never make someone else's pending action stale.
    const moves = t.to !== 'same' || action === 'rate';
    if (to !== c.status && (FINAL_STATUSES.includes(to) || to === 'verified')) {
      Object.assign(set, { next_check_at: null });
    }
    const cols = Object.keys(set);
    const assignments = cols.map((k, i) => `${k} = $${i + 3}`);
    const version = moves ? c.version + 1 : c.version;
    await client.query(
      `UPDATE cases SET status = $2${assignments.length ? ', ' + assignments.join(', ') : ''}${moves ? `, version = version + 1, updated_at = $${cols.length + 3}` : ''}
        WHERE id = $1`,
      [id, to, ...cols.map((k) => set[k]), ...(moves ? [now] : [])]);
    const eventId = await appendEvent(client, id, u, { action, from: c.status, to, payload, at: now });
    await audit(client, { userId: u.id, actor: u.username, action: 'transition', entity: 'case', entityId: id, before: { status: c.status, version: c.version }, after: { status: to, version, action, event_id: eventId } });
    return { eventId, status: to, version };
  });
}

/** The level columns of a case escalated to `level`. */
export function escalationColumns(c: { level: string; max_level: string; escalation_count: number }, level: CaseLevel) {
  const order = ['grid', 'community', 'subdistrict', 'city'];
  return {
    level,
    max_level: order.indexOf(level) > order.indexOf(c.max_level) ? level : c.max_level,
    escalation_count: c.escalation_count + 1,
  };
}
