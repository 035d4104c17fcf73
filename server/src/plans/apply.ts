// Applies a plan (or drafts of several communities together), and reverts the latest one, in ONE
// transaction each (the caller's).
//
// Apply: the community rows are locked and their layout_version compared with each plan's base (a
// stale plan is a 409), the plans are validated (422 with the errors), the current layout is snapshotted,
// new grids are created, grids whose blocks change take the dissolve of their blocks, blocks and households move,
// and the grids the plan no longer uses are deleted after every reference has moved to the grid
// that took most of their households. Revert restores the snapshot exactly, or refuses (409) when the
// community's blocks are no longer those the snapshot recorded (their ids and exact shapes).
//
// The tables that hold a grid_id, listed on purpose (not discovered from information_schema):
// households, blocks, cadres, users, area_branch_grids, cases (grid_id, assigned_grid_id) and
// needs (grid_id; moveCases below). A table added later with a grid_id must be added to apply() and revert().
import type pg from 'pg';
import type { Queryable } from '../db/index.ts';
import { HTTPException } from 'hono/http-exception';
import type { ApplyResponse, PlanError, RevertPreview, RevertResponse } from '@grid-atlas/contract';
import { audit, auditAll } from '../audit/index.ts';
import { PLAN_GRIDS_TABLE, PLAN_KEYS, validatePlans } from './validate.ts';

export class PlanInvalid extends HTTPException {
  constructor(readonly errors: PlanError[]) {
    super(422, { message: `方案有 ${errors.length} 个问题，不能应用 (the plan has ${errors.length} problem(s) and cannot be applied)` });
  }
}

const conflict = (message: string) => new HTTPException(409, { message });

/** A block's exact shape, for comparing with the apply's snapshot (b: the blocks row). */
const BLOCK_SHAPE = 'md5(ST_AsEWKB(b.geom))';

export interface Actor {
  userId: number | null;
  actor: string;
  ip?: string | null;
}

interface PlanRow {
  id: number;
  community_id: number;
  status: string;
  base_version: number;
  applied_version: number | null;
  applied_at: Date | null;
}

async function lockPlan(client: pg.ClientBase, planId: number): Promise<{ plan: PlanRow; version: number }> {
  const [locked] = await lockPlans(client, [planId]);
  return locked;
}

/**
 * Locks the communities of the plans (in id order, so two batches never deadlock) and reads the
 * plans again under the lock: an apply or revert of the same community waits here, then sees
 * the new layout version. 404 for a plan that does not exist.
 */
async function lockPlans(client: pg.ClientBase, planIds: readonly number[]): Promise<{ plan: PlanRow; version: number }[]> {
  const read = () => client.query<PlanRow>(
    'SELECT id, community_id, status, base_version, applied_version, applied_at FROM plans WHERE id = ANY ($1::int[])', [planIds]);
  const first = await read();
  const missing = planIds.filter((id) => !first.rows.some((p) => p.id === id));
  if (missing.length) throw new HTTPException(404, { message: `方案 ${missing.join('、')} 不存在 (no plan with id ${missing.join(', ')})` });
  const versions = await client.query<{ id: number; layout_version: number }>(
    'SELECT id, layout_version FROM communities WHERE id = ANY ($1::int[]) ORDER BY id FOR UPDATE', [first.rows.map((p) => p.community_id)]);
  const plans = new Map((await read()).rows.map((p) => [p.id, p]));
  return planIds.map((id) => {
    const plan = plans.get(id)!;
    return { plan, version: versions.rows.find((c) => c.id === plan.community_id)!.layout_version };
  });
}

export async function applyPlan(client: pg.ClientBase, planId: number, who: Actor): Promise<ApplyResponse> {
  return (await applyPlans(client, [planId], who))[0];
}

/**
 * Applies drafts of different communities together (a city-wide redraw): every statement below
 * covers all of them, so thirty communities cost about the round trips of one. All or nothing:
 * one stale or invalid plan and none is applied.
 */
export async function applyPlans(client: pg.ClientBase, planIds: readonly number[], who: Actor): Promise<ApplyResponse[]> {
  const ids = [...new Set(planIds)];
  const locked = await lockPlans(client, ids);
  const seen = new Map<number, number>();
  for (const { plan, version } of locked) {
    const other = seen.get(plan.community_id);
    if (other !== undefined) {
      throw conflict(`方案 ${other} 与 ${plan.id} 属于同一社区，不能一并应用 (plans ${other} and ${plan.id} redraw the same community; apply one of them)`);
    }
    seen.set(plan.community_id, plan.id);
    if (plan.status !== 'draft') throw conflict(`方案 ${plan.id} 不是草稿（${plan.status}） (plan ${plan.id} is not a draft: ${plan.status})`);
    if (plan.base_version !== version) {
      throw conflict(`${ids.length > 1 ? `方案 ${plan.id}：` : ''}社区网格已在方案制定后变更（版本 ${plan.base_version} → ${version}），请基于当前网格重新制定 (the community's layout changed since the plan was drafted: version ${plan.base_version} → ${version})`);
    }
  }
  const checked = await validatePlans(client, ids);
  const errors = ids.flatMap((id) => checked.get(id)!.map((e) => (ids.length > 1 ? { ...e, plan: id } : e)));
  if (errors.length) throw new PlanInvalid(errors);
  const communities = locked.map((l) => l.plan.community_id);
  const planOf = new Map(locked.map((l) => [l.plan.community_id, l.plan.id]));

  // snapshot what the apply replaces
  await client.query(
    `INSERT INTO plan_prior_grids (plan_id, grid_id, code, number, name, synthetic, geom)
     SELECT p.id, g.id, g.code, g.number, g.name, g.synthetic, g.geom FROM plans p JOIN grids g ON g.community_id = p.community_id
      WHERE p.id = ANY ($1::int[])`, [ids]);
  // each block's shape too (BLOCK_SHAPE): a revert must find the blocks as they were, not only their ids
  await client.query(
    `INSERT INTO plan_prior_blocks (plan_id, block_ids, grid_ids, shapes)
     SELECT p.id, array_agg(b.id ORDER BY b.id), array_agg(b.grid_id ORDER BY b.id), array_agg(${BLOCK_SHAPE} ORDER BY b.id)
       FROM plans p JOIN blocks b ON b.community_id = p.community_id WHERE p.id = ANY ($1::int[]) GROUP BY p.id`, [ids]);
  // new grids: code = community code + 3-digit number; the polygon is the dissolve validatePlans
  // left in PLAN_GRIDS_TABLE (grids whose blocks change take theirs below)
  const created = await client.query<{ id: number; community_id: number }>(
    `INSERT INTO grids (code, number, name, community_id, synthetic, geom)
     SELECT cm.code || lpad(t.number::text, 3, '0'), t.number, cm.name || '第' || t.number || '网格', cm.id, cm.synthetic, t.geom
       FROM ${PLAN_GRIDS_TABLE} t JOIN communities cm ON cm.id = t.community_id
      WHERE t.grid_id IS NULL
      ORDER BY t.community_id, t.number
     RETURNING id, community_id`);
  // target grid of every block; new grids are found by their number
  await client.query('DROP TABLE IF EXISTS pg_temp.plan_target');
  await client.query(`CREATE TEMP TABLE plan_target ON COMMIT DROP AS
    SELECT k.plan_id, k.block_id,
           coalesce(k.grid_id, (SELECT g.id FROM grids g WHERE g.community_id = k.community_id AND g.number = k.new_number)) AS grid_id
      FROM (${PLAN_KEYS}) k`);
  // The blocks that change grid, read once: every later statement works from these few rows
  // (a city-wide redraw moves dozens of the city's five thousand blocks), as arrays.
  const changes = (await client.query<{ plan: number; block: number; from: number; to: number }>(
    `SELECT t.plan_id AS plan, b.id AS block, b.grid_id AS "from", t.grid_id AS "to"
       FROM plan_target t JOIN blocks b ON b.id = t.block_id WHERE b.grid_id <> t.grid_id ORDER BY b.id`)).rows;
  const moving = {
    plan: changes.map((x) => x.plan), block: changes.map((x) => x.block), from: changes.map((x) => x.from), to: changes.map((x) => x.to),
  };
  // Cadres and users that may move are those of a grid that loses a block (a removed grid loses
  // all of them); every other grid keeps its blocks, so its people stay put and revert restores
  // row by row. Branch links are kept for every grid of the communities: revert replaces them all.
  await client.query(
    `WITH losing AS MATERIALIZED (
       SELECT DISTINCT plan_id, grid_id FROM unnest($2::int[], $3::int[]) AS x (plan_id, grid_id)
     ), every AS MATERIALIZED (
       SELECT p.id AS plan_id, g.id AS grid_id FROM plans p JOIN grids g ON g.community_id = p.community_id WHERE p.id = ANY ($1::int[])
     )
     INSERT INTO plan_prior_refs (plan_id, kind, ref_ids, grid_ids)
     SELECT r.plan_id, r.kind, array_agg(r.ref_id ORDER BY r.ref_id, r.grid_id), array_agg(r.grid_id ORDER BY r.ref_id, r.grid_id)
       FROM (SELECT g.plan_id, 'cadre' AS kind, x.id AS ref_id, x.grid_id FROM losing g JOIN cadres x ON x.grid_id = g.grid_id
             UNION ALL SELECT g.plan_id, 'user', u.id, u.grid_id FROM losing g JOIN users u ON u.grid_id = g.grid_id
             UNION ALL SELECT g.plan_id, 'branch', ab.branch_id, ab.grid_id FROM every g JOIN area_branch_grids ab ON ab.grid_id = g.grid_id) r
      GROUP BY r.plan_id, r.kind`,
    [ids, moving.plan, moving.from]);
  await client.query(
    `UPDATE grids g SET geom = d.geom FROM ${PLAN_GRIDS_TABLE} d WHERE g.id = d.grid_id AND NOT d.kept`);
  await client.query(
    `UPDATE blocks b SET grid_id = x."to" FROM unnest($1::int[], $2::int[]) AS x (block, "to") WHERE b.id = x.block`,
    [moving.block, moving.to]);
  // households of the blocks that changed grid (every other one already lies in its block's grid)
  const moved = await client.query<{ plan: number; id: number; from: number; to: number }>(
    `WITH m AS MATERIALIZED (
       SELECT x.plan, h.id, h.grid_id AS "from", x."to"
         FROM unnest($1::int[], $2::int[], $3::int[]) AS x (block, plan, "to") JOIN households h ON h.block_id = x.block
        WHERE h.grid_id IS DISTINCT FROM x."to"
     ), u AS (UPDATE households h SET grid_id = m."to" FROM m WHERE h.id = m.id)
     SELECT * FROM m ORDER BY plan, id`, [moving.block, moving.plan, moving.to]);

  // grids the plans no longer use, and the grid that took most of each one's households (of a
  // grid without households, the lowest id that took its blocks): every block of a removed grid
  // is among the changes
  const removed = await client.query<{ plan: number; id: number; heir: number }>(
    `WITH x AS MATERIALIZED (SELECT * FROM unnest($2::int[], $3::int[], $4::int[]) AS x (block, "from", "to"))
     SELECT p.id AS plan, g.id,
            coalesce((SELECT x."to" FROM x JOIN households h ON h.block_id = x.block WHERE x."from" = g.id
                       GROUP BY x."to" ORDER BY count(*) DESC, x."to" LIMIT 1),
                     (SELECT min(x."to") FROM x WHERE x."from" = g.id)) AS heir
       FROM plans p JOIN grids g ON g.community_id = p.community_id
      WHERE p.id = ANY ($1::int[]) AND NOT EXISTS (SELECT 1 FROM plan_target t WHERE t.grid_id = g.id)
      ORDER BY p.id, g.id`, [ids, moving.block, moving.from, moving.to]);
  const removedIds = removed.rows.map((r) => r.id);
  const heirs = removed.rows.map((r) => r.heir);
  // cadres of a removed grid, or living in a block that changed grid, follow their point into
  // a grid of their community (else the heir); grid workers of a removed grid serve its heir
  await client.query(
    `WITH moved_blocks AS MATERIALIZED (
       SELECT b.geom, x.old FROM unnest($3::int[], $4::int[]) AS x (block, old) JOIN blocks b ON b.id = x.block
     ), cand AS (
       SELECT x.id FROM moved_blocks m JOIN cadres x ON x.grid_id = m.old AND ST_Intersects(m.geom, x.geom) WHERE x.kind <> 'grid_worker'
       UNION SELECT x.id FROM cadres x WHERE x.grid_id = ANY($1::int[]) AND x.kind <> 'grid_worker'
     )
     UPDATE cadres x SET grid_id = coalesce(
         (SELECT g.id FROM grids o JOIN grids g ON g.community_id = o.community_id
           WHERE o.id = x.grid_id AND ST_Intersects(g.geom, x.geom) AND NOT (g.id = ANY($1::int[])) ORDER BY g.id LIMIT 1),
         (SELECT r.heir FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE r.id = x.grid_id),
         x.grid_id)
       FROM cand WHERE cand.id = x.id`,
    [removedIds, heirs, moving.block, moving.from]);
  await client.query(
    `UPDATE cadres x SET grid_id = r.heir FROM unnest($1::int[], $2::int[]) AS r (id, heir)
      WHERE x.grid_id = r.id AND x.kind = 'grid_worker'`, [removedIds, heirs]);
  await client.query(`UPDATE users u SET grid_id = r.heir FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE u.grid_id = r.id`, [removedIds, heirs]);
  await client.query(
    `INSERT INTO area_branch_grids (branch_id, grid_id)
     SELECT ab.branch_id, r.heir FROM area_branch_grids ab JOIN unnest($1::int[], $2::int[]) AS r (id, heir) ON r.id = ab.grid_id
     ON CONFLICT DO NOTHING`, [removedIds, heirs]);
  await client.query('DELETE FROM area_branch_grids WHERE grid_id = ANY($1::int[])', [removedIds]);
  await moveCases(client, communities, removedIds, heirs, [...new Set(moving.to)]);
  await client.query('DELETE FROM grids WHERE id = ANY($1::int[])', [removedIds]);

  const next = new Map((await client.query<{ id: number; layout_version: number }>(
    'UPDATE communities SET layout_version = layout_version + 1 WHERE id = ANY ($1::int[]) RETURNING id, layout_version', [communities])).rows
    .map((c) => [c.id, c.layout_version]));
  await client.query(
    `UPDATE plans p SET status = 'applied', applied_at = now(), applied_version = c.layout_version
       FROM communities c WHERE c.id = p.community_id AND p.id = ANY ($1::int[])`, [ids]);
  // drafts drawn on the old layouts can no longer be applied
  await client.query(
    `UPDATE plans p SET status = 'superseded' FROM communities c
      WHERE c.id = p.community_id AND c.id = ANY ($1::int[]) AND p.status = 'draft' AND p.base_version < c.layout_version`, [communities]);

  const results = locked.map(({ plan, version }): [ApplyResponse, number] => {
    const mine = (r: { plan: number }) => r.plan === plan.id;
    return [{
      plan: plan.id,
      layout_version: next.get(plan.community_id)!,
      households_moved: moved.rows.filter(mine).length,
      grids_created: created.rows.filter((g) => planOf.get(g.community_id) === plan.id).map((g) => g.id),
      grids_removed: removed.rows.filter(mine).map((r) => r.id),
    }, version];
  });
  await auditAll(client, results.map(([result, version]) => ({
    ...who, action: 'apply', entity: 'plan', entityId: result.plan,
    before: { layout_version: version },
    after: { ...result, moves: moved.rows.filter((m) => m.plan === result.plan).map((m) => [m.id, m.from, m.to]) },
  })));
  return results.map(([result]) => result);
}

export async function revertPlan(client: pg.ClientBase, planId: number, who: Actor): Promise<RevertResponse> {
  const { plan, version } = await lockPlan(client, planId);
  if (plan.status !== 'applied') throw conflict(`方案 ${planId} 未应用，不能撤销（${plan.status}） (plan ${planId} is not applied: ${plan.status})`);
  const c = plan.community_id;
  const later = await client.query(
    `SELECT id FROM plans WHERE community_id = $1 AND status = 'applied' AND id <> $2
        AND applied_at >= (SELECT applied_at FROM plans WHERE id = $2) ORDER BY applied_at LIMIT 1`,
    [c, planId]);
  if (later.rowCount) throw conflict(`之后已应用方案 ${later.rows[0].id}，请先撤销它 (plan ${later.rows[0].id} was applied later; revert it first)`);
  // The snapshot restores the grids' polygons and each block's grid; it fits only the blocks as
  // they were at the apply. A boundary import (new blocks), a cut (new parts) or an edge redrawn
  // (same ids, other shapes) since then: refuse, naming the blocks, rather than restore grids
  // whose polygons no longer cover their blocks' households.
  const changed = (await client.query<{ id: number }>(
    `WITH prior AS (SELECT x.id, x.shape FROM plan_prior_blocks p, unnest(p.block_ids, p.shapes) AS x (id, shape) WHERE p.plan_id = $1),
          now AS (SELECT b.id, ${BLOCK_SHAPE} AS shape FROM blocks b WHERE b.community_id = $2)
     SELECT coalesce(n.id, p.id) AS id FROM prior p FULL JOIN now n ON n.id = p.id
      WHERE p.id IS NULL OR n.id IS NULL OR (p.shape IS NOT NULL AND p.shape <> n.shape)
      ORDER BY 1`,
    [planId, c])).rows.map((r) => r.id);
  // A snapshot written before block shapes were recorded (sql 0021) knows only ids: an edge
  // redrawn since the apply, which the audit log records, changed shapes all the same.
  if (!changed.length) {
    const legacy = await client.query<{ blocks: number[] }>(
      `SELECT (SELECT array_agg(DISTINCT x::int ORDER BY x::int) FROM audit_log a, jsonb_array_elements_text(a.after->'edge'->'blocks') AS x
                WHERE a.entity = 'block' AND a.action = 'update' AND a.entity_id = $2::text AND a.at >= p.applied_at AND a.after ? 'edge') AS blocks
         FROM plans p JOIN plan_prior_blocks s ON s.plan_id = p.id WHERE p.id = $1 AND s.shapes IS NULL`, [planId, c]);
    changed.push(...(legacy.rows[0]?.blocks ?? []));
  }
  if (changed.length) {
    const named = changed.slice(0, 10).join('、') + (changed.length > 10 ? ` 等 ${changed.length} 个` : '');
    const listed = changed.slice(0, 10).join(', ') + (changed.length > 10 ? ` and ${changed.length - 10} more` : '');
    throw conflict(`方案应用后社区的街区已变化（街区 ${named} 被切分、重画边界或重新导入），不能撤销；请另拟方案恢复 (the community's blocks changed after this plan was applied: blocks ${listed} were cut, redrawn or re-imported; it cannot be reverted — draft a new plan instead)`);
  }

  const current = (await client.query<{ id: number }>('SELECT id FROM grids WHERE community_id = $1', [c])).rows.map((r) => r.id);
  // grids the plan removed come back with their ids; kept ones get their old geometry and names
  await client.query(
    `INSERT INTO grids (id, code, number, name, community_id, synthetic, geom)
     SELECT p.grid_id, p.code, p.number, p.name, $2, p.synthetic, p.geom FROM plan_prior_grids p
      WHERE p.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = p.grid_id)`, [planId, c]);
  await client.query(
    `UPDATE grids g SET code = p.code, number = p.number, name = p.name, synthetic = p.synthetic, geom = p.geom
       FROM plan_prior_grids p WHERE p.plan_id = $1 AND p.grid_id = g.id`, [planId]);
  await client.query(
    `UPDATE blocks b SET grid_id = x.grid_id FROM plan_prior_blocks p, unnest(p.block_ids, p.grid_ids) AS x (block_id, grid_id)
      WHERE p.plan_id = $1 AND x.block_id = b.id AND b.grid_id <> x.grid_id`, [planId]);
  const moved = await client.query<{ id: number; from: number; to: number }>(
    `WITH m AS (
       SELECT h.id, h.grid_id AS "from", b.grid_id AS "to"
         FROM households h JOIN blocks b ON b.id = h.block_id
        WHERE b.community_id = $1 AND h.grid_id IS DISTINCT FROM b.grid_id
     ), u AS (UPDATE households h SET grid_id = m."to" FROM m WHERE h.id = m.id)
     SELECT * FROM m ORDER BY id`, [c]);
  const refs = (kind: 'cadre' | 'user' | 'branch') => `(SELECT r.ref_id, r.grid_id FROM plan_prior_refs p, unnest(p.ref_ids, p.grid_ids) AS r (ref_id, grid_id)
                                                        WHERE p.plan_id = $1 AND p.kind = '${kind}')`;
  await client.query(`UPDATE cadres x SET grid_id = p.grid_id FROM ${refs('cadre')} p WHERE p.ref_id = x.id AND x.grid_id IS DISTINCT FROM p.grid_id`, [planId]);
  await client.query(`UPDATE users u SET grid_id = p.grid_id FROM ${refs('user')} p WHERE p.ref_id = u.id AND u.grid_id IS DISTINCT FROM p.grid_id`, [planId]);
  await client.query('DELETE FROM area_branch_grids WHERE grid_id = ANY($1::int[])', [current]);
  await client.query(
    `INSERT INTO area_branch_grids (branch_id, grid_id)
     SELECT p.ref_id, p.grid_id FROM ${refs('branch')} p WHERE EXISTS (SELECT 1 FROM area_branches b WHERE b.id = p.ref_id)`, [planId]);
  // grids the plan created
  const created = (await client.query<{ id: number }>(
    `SELECT g.id FROM grids g WHERE g.community_id = $2
        AND NOT EXISTS (SELECT 1 FROM plan_prior_grids p WHERE p.plan_id = $1 AND p.grid_id = g.id)`, [planId, c])).rows.map((r) => r.id);
  await moveCases(client, [c], created, created.map(() => null));
  const dropped = await client.query<{ id: number }>(
    `DELETE FROM grids g WHERE g.community_id = $2
        AND NOT EXISTS (SELECT 1 FROM plan_prior_grids p WHERE p.plan_id = $1 AND p.grid_id = g.id) RETURNING id`, [planId, c]);

  const next = version + 1;
  await client.query('UPDATE communities SET layout_version = $2 WHERE id = $1', [c, next]);
  await client.query(`UPDATE plans SET status = 'reverted', reverted_at = now() WHERE id = $1`, [planId]);
  await client.query(`UPDATE plans SET status = 'superseded' WHERE community_id = $1 AND status = 'draft' AND base_version < $2`, [c, next]);
  const result: RevertResponse = { plan: planId, layout_version: next, households_moved: moved.rowCount ?? 0 };
  await audit(client, {
    ...who, action: 'revert', entity: 'plan', entityId: planId,
    before: { layout_version: version, grids_removed: dropped.rows.map((r) => r.id) },
    after: { ...result, moves: moved.rows.map((m) => [m.id, m.from, m.to]) },
  });
  return result;
}


/**
 * What reverting a plan would do: the revert itself, run inside a savepoint and rolled back, so
 * the figures a planner confirms are the revert's own (and a revert that would be refused is
 * refused here with the same 409). Nothing it does is kept, the audit row included.
 */
export async function previewRevert(client: pg.ClientBase, planId: number, who: Actor): Promise<RevertPreview> {
  await client.query('SAVEPOINT revert_preview');
  try {
    const grids = (await client.query<{ restored: number; removed: number; reshaped: number }>(
      `SELECT (SELECT count(*)::int FROM plan_prior_grids p WHERE p.plan_id = $1
                  AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = p.grid_id)) AS restored,
              (SELECT count(*)::int FROM grids g WHERE g.community_id = pl.community_id
                  AND NOT EXISTS (SELECT 1 FROM plan_prior_grids p WHERE p.plan_id = $1 AND p.grid_id = g.id)) AS removed,
              (SELECT count(*)::int FROM plan_prior_grids p JOIN grids g ON g.id = p.grid_id
                WHERE p.plan_id = $1 AND NOT ST_Equals(g.geom, p.geom)) AS reshaped
         FROM plans pl WHERE pl.id = $1`, [planId])).rows[0];
    const done = await revertPlan(client, planId, who);
    return { plan: planId, households_moved: done.households_moved, grids_restored: grids.restored, grids_removed: grids.removed, grids_reshaped: grids.reshaped };
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT revert_preview');
  }
}

/**
 * Cases, needs and 尖刀班 tasks follow the new layout: each of the communities' goes to the grid of its
 * community that now contains its point (one filed up to 50 m outside every grid keeps its grid,
 * or takes the heir of a removed one), and case work assigned to a removed grid goes to its heir.
 * `into`: when only those grids gained ground (an apply: the grids that took blocks), only they
 * can take a case or need; null looks at every grid of the communities.
 * Runs before the removed grids are deleted; case_events and need_steps keep the ids they were
 * written with (they are history). The two table names are constants here, never input.
 */
export async function moveCases(client: Queryable, communities: readonly number[], removed: number[], heirs: (number | null)[],
  into: number[] | null = null): Promise<void> {
  for (const table of ['cases', 'needs'] as const) {
    await client.query(
      `UPDATE ${table} k SET grid_id = g.id
         FROM grids g
        WHERE k.community_id = ANY ($1::int[]) AND g.community_id = k.community_id AND NOT (g.id = ANY($2::int[]))
          AND ($3::int[] IS NULL OR g.id = ANY ($3::int[]))
          AND ST_Intersects(g.geom, k.geom) AND k.grid_id <> g.id`, [communities, removed, into]);
    await client.query(
      `UPDATE ${table} k SET grid_id = coalesce(r.heir, (SELECT g.id FROM grids g WHERE g.community_id = k.community_id AND NOT (g.id = ANY($1::int[]))
                                                       ORDER BY ST_Distance(g.geom, k.geom) LIMIT 1))
         FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE k.grid_id = r.id`, [removed, heirs]);
  }
  await client.query(
    `UPDATE cases k SET assigned_grid_id = coalesce(r.heir, k.grid_id)
       FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE k.assigned_grid_id = r.id`, [removed, heirs]);
  // 红色尖刀班 tasks are placed at a point in a grid too (their community is their team's): the
  // same two steps, so a task is never left in a grid that no longer covers it, nor deleted with one.
  await client.query(
    `UPDATE vanguard_tasks k SET grid_id = g.id
       FROM vanguard_teams t, grids g
      WHERE t.id = k.team_id AND t.community_id = ANY ($1::int[]) AND g.community_id = t.community_id
        AND NOT (g.id = ANY($2::int[])) AND ($3::int[] IS NULL OR g.id = ANY ($3::int[]))
        AND ST_Intersects(g.geom, k.geom) AND k.grid_id <> g.id`, [communities, removed, into]);
  await client.query(
    `UPDATE vanguard_tasks k SET grid_id = coalesce(r.heir, (SELECT g.id FROM grids g JOIN vanguard_teams t ON t.community_id = g.community_id
                                                              WHERE t.id = k.team_id AND NOT (g.id = ANY($1::int[]))
                                                              ORDER BY ST_Distance(g.geom, k.geom) LIMIT 1))
       FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE k.grid_id = r.id`, [removed, heirs]);
}
