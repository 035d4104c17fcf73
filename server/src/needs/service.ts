// The needs list's writes: gathering a need, and every later step of its chain. The chain
// itself (which step a status waits for, and the roles that hold it) is the contract's
// NEED_STEPS; this module checks the rest in one transaction per write: the need is in the
// caller's scope (else 404, as if it did not exist), the caller holds the step (403 naming
// who does), the need is where the step applies (409), and for claim and fulfil, the unit or
// the claimer is the caller's. Each step is a need_steps row and an audit entry.
import { HTTPException } from 'hono/http-exception';
import {
  NEED_ACTION_LABELS, NEED_DECLINABLE, NEED_GATHERERS, NEED_STATUS_LABELS, NEED_STEPS, ROLE_LABELS, type NeedActionBody,
  type NeedStatus, type NewNeedBody, OPEN_NEED_STATUSES,
} from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { audit } from '../audit/index.ts';
import { locate } from '../cases/locate.ts';
import { needInScope, needScopeParams, type User } from '../auth/scope.ts';

const forbidden = (message: string) => new HTTPException(403, { message });
const conflict = (message: string) => new HTTPException(409, { message });

interface Holding {
  id: number;
  status: NeedStatus;
  version: number;
  grid_id: number;
  community_id: number;
  category_code: string;
  department_id: number | null;
  organisation_id: number | null;
  claimed_by: number | null;
  claimer_role: string | null;
}

export async function gatherNeed(client: Queryable, u: User, b: NewNeedBody, ip: string | null): Promise<number> {
  if (!NEED_GATHERERS.includes(u.role)) {
    throw forbidden(`需求由网格员或党员在本网格收集 (needs are gathered by grid workers and party members in their own grid; not by ${ROLE_LABELS[u.role]})`);
  }
  const cat = await client.query('SELECT 1 FROM case_categories WHERE code = $1', [b.category]);
  if (!cat.rowCount) throw badRequest(`未知的类别 (unknown category): ${b.category}`);
  const located = await locate(client, b.lon, b.lat);
  if (!located || located.grid_id !== u.grid_id) {
    throw badRequest('位置不在您负责的网格内，请在本网格内选点 (the place is not in your own grid)');
  }
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO needs (title, description, category_code, building, households, geom, grid_id, community_id, subdistrict_id, created_by)
     VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6::float8, $7::float8), 4326), $8, $9, $10, $11) RETURNING id`,
    [b.title, b.description, b.category, b.building, b.households, b.lon, b.lat,
     located.grid_id, located.community_id, located.subdistrict_id, u.id]);
  const id = rows[0].id;
  await step(client, u, id, 'gather', null, 'gathered', '');
  await audit(client, { userId: u.id, actor: u.username, action: 'create', entity: 'need', entityId: id, after: b, ip });
  return id;
}

async function step(client: Queryable, u: User, need: number, action: string, from: NeedStatus | null, to: NeedStatus, note: string) {
  await client.query(
    `INSERT INTO need_steps (need_id, action, from_status, to_status, user_id, actor, role, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [need, action, from, to, u.id, u.display_name, u.role, note]);
}

/** The need, locked, if the caller may see it; 404 otherwise. */
async function hold(client: Queryable, u: User, id: number): Promise<Holding> {
  const { rows } = await client.query<Holding>(
    `SELECT n.id, n.status, n.version, n.grid_id, n.community_id, n.category_code, n.department_id, n.organisation_id, n.claimed_by,
            (SELECT role FROM users WHERE id = n.claimed_by) AS claimer_role
       FROM needs n WHERE n.id = $8 AND ${needInScope(1)} FOR UPDATE OF n`,
    [...needScopeParams(u), id]);
  if (!rows[0]) throw notFound(`需求 ${id} 不存在 (no need with id ${id})`);
  return rows[0];
}

/**
 * Who may take a dispatched need: a need dispatched to an organisation is claimed and reported
 * done by the community's secretary on its behalf (an organisation has no account), and only
 * by them; a need dispatched to a unit's resource by the unit's staff or a party member.
 */
function takerCheck(u: User, n: Holding): void {
  if (n.organisation_id !== null && u.role !== 'community_secretary') {
    throw forbidden('此需求派给了社会组织，由社区书记代为登记领单和办结 (dispatched to an organisation: the community secretary records its claim and result)');
  }
  if (n.organisation_id === null && u.role === 'community_secretary') {
    throw forbidden('此需求派给了单位，由单位或党员领单办结 (dispatched to a unit: its staff or a party member take it)');
  }
}

export async function actOnNeed(client: Queryable, u: User, id: number, b: NeedActionBody, ip: string | null): Promise<void> {
  const n = await hold(client, u, id);
  if (b.version !== undefined && b.version !== n.version) {
    throw conflict(`需求已被他人更新（当前第 ${n.version} 版），请刷新后再试 (the need changed meanwhile; reload and try again)`);
  }
  const here = NEED_STATUS_LABELS[n.status];
  if (b.action === 'urge') {
    if (u.role !== 'task_force') throw forbidden('督办由专班进行 (only the task force urges)');
    if (!OPEN_NEED_STATUSES.includes(n.status)) throw conflict(`需求${here}，无需督办 (the need is ${n.status}; nothing to urge)`);
    await step(client, u, id, 'urge', n.status, n.status, b.note);
    await audit(client, { userId: u.id, actor: u.username, action: 'transition', entity: 'need', entityId: id, after: { action: 'urge', note: b.note }, ip });
    return;
  }
  const next = NEED_STEPS[n.status];
  const decline = b.action === 'decline';
  if (!next || (decline ? !NEED_DECLINABLE.includes(n.status) : next.action !== b.action)) {
    throw conflict(`需求${here}，不能${NEED_ACTION_LABELS[b.action]} (the need is ${n.status}; ${b.action} does not apply)`);
  }
  if (!next.by.includes(u.role)) {
    throw forbidden(`此步由${next.by.map((r) => ROLE_LABELS[r]).join('或')}办理 (this step belongs to ${next.by.join(' or ')})`);
  }
  const to: NeedStatus = decline ? 'declined' : next.to;
  const note = decline ? b.reason : (b.note ?? '');
  switch (b.action) {
    case 'judge':
      await client.query('UPDATE needs SET body = $2 WHERE id = $1', [id, b.body]);
      break;
    case 'screen':
      await client.query(
        `UPDATE needs SET branch_id = (SELECT branch_id FROM area_branch_grids WHERE grid_id = $2 ORDER BY branch_id LIMIT 1) WHERE id = $1`,
        [id, n.grid_id]);
      break;
    case 'dispatch': {
      if (b.organisation_id !== undefined) {
        // A 五社联动 organisation: it serves the whole city, or is the need's own community's.
        const o = (await client.query<{ name: string; serves: boolean }>(
          `SELECT name, (city_wide OR community_id = $2) AS serves FROM social_organisations WHERE id = $1 AND active`,
          [b.organisation_id, n.community_id])).rows[0];
        if (!o) throw badRequest(`社会组织 ${b.organisation_id} 不存在或已停用 (no active organisation with id ${b.organisation_id})`);
        if (!o.serves) throw badRequest(`“${o.name}”不服务本社区 (that organisation does not serve this community)`);
        await client.query('UPDATE needs SET organisation_id = $2, department_id = NULL, resource_id = NULL WHERE id = $1', [id, b.organisation_id]);
        break;
      }
      const r = (await client.query<{ department_id: number; name: string; serves: boolean }>(
        `SELECT department_id, name, (community_ids IS NULL OR $2 = ANY (community_ids)) AS serves
           FROM department_resources WHERE id = $1 AND active AND capacity > 0`, [b.resource_id, n.community_id])).rows[0];
      if (!r) throw badRequest(`资源 ${b.resource_id} 不存在或已停用 (no active resource with id ${b.resource_id})`);
      if (!r.serves) throw badRequest(`“${r.name}”不服务本社区 (that resource does not serve this community)`);
      await client.query('UPDATE needs SET department_id = $2, resource_id = $3, organisation_id = NULL WHERE id = $1', [id, r.department_id, b.resource_id]);
      break;
    }
    case 'claim':
      takerCheck(u, n);
      if (u.role === 'department_staff' && u.department_id !== n.department_id) {
        throw forbidden('此需求派给了其他单位 (the need was dispatched to another unit)');
      }
      await client.query('UPDATE needs SET claimed_by = $2 WHERE id = $1', [id, u.id]);
      break;
    case 'fulfil': {
      takerCheck(u, n);
      // An organisation's need: any secretary of the community (the need is in their scope)
      // records its result, whoever of them recorded the claim.
      const mine = u.role === 'department_staff'
        ? n.claimer_role === 'department_staff' && u.department_id === n.department_id
        : u.role === 'community_secretary' ? n.organisation_id !== null : n.claimed_by === u.id;
      if (!mine) throw forbidden('只有领单人（或其单位）可以办结 (only whoever claimed it, or their unit, reports it done)');
      break;
    }
    default:
      break;
  }
  await client.query('UPDATE needs SET status = $2, updated_at = now(), version = version + 1 WHERE id = $1', [id, to]);
  await step(client, u, id, b.action, n.status, to, note);
  await audit(client, { userId: u.id, actor: u.username, action: 'transition', entity: 'need', entityId: id, before: { status: n.status }, after: { ...b, status: to }, ip });
}
