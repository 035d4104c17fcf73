// Applies a plan, and reverts the latest one, in ONE transaction each (the caller's).
//
// Apply: the community row is locked and its layout_version compared with the plan's base (a stale
// plan is a 409), the plan is validated (422 with the errors), the current layout is snapshotted,
// new grids are created, kept grids take the dissolve of their blocks, blocks and households move,
// and the grids the plan no longer uses are deleted after every reference has moved to the grid
// that took most of their households. Revert restores the snapshot exactly.
//
// The tables that hold a grid_id, listed on purpose (not discovered from information_schema):
// households, blocks, cadres, users, area_branch_grids, cases (grid_id, assigned_grid_id) and
// needs (grid_id; moveCases below). A table added later with a grid_id must be added to apply() and revert().
import type pg from 'pg';
import type { Queryable } from '../db/index.ts';
import { HTTPException } from 'hono/http-exception';
import type { ApplyResponse, PlanError, RevertResponse } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { PLAN, PLAN_GRIDS_TABLE, PLAN_KEYS, usePlan, validatePlan } from './validate.ts';

export class PlanInvalid extends HTTPException {
  constructor(readonly errors: PlanError[]) {
    super(422, { message: `方案有 ${errors.length} 个问题，不能应用 (the plan has ${errors.length} problem(s) and cannot be applied)` });
  }
}

const conflict = (message: string) => new HTTPException(409, { message });

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
  const p = await client.query<PlanRow>('SELECT id, community_id, status, base_version, applied_version, applied_at FROM plans WHERE id = $1', [planId]);
  if (!p.rowCount) throw new HTTPException(404, { message: `方案 ${planId} 不存在 (no plan with id ${planId})` });
  // Serialises applies and reverts of one community: a second one waits here, then sees the new version.
  const c = await client.query<{ layout_version: number }>('SELECT layout_version FROM communities WHERE id = $1 FOR UPDATE', [p.rows[0].community_id]);
  const plan = (await client.query<PlanRow>('SELECT id, community_id, status, base_version, applied_version, applied_at FROM plans WHERE id = $1', [planId])).rows[0];
  return { plan, version: c.rows[0].layout_version };
}

export async function applyPlan(client: pg.ClientBase, planId: number, who: Actor): Promise<ApplyResponse> {
  const { plan, version } = await lockPlan(client, planId);
  if (plan.status !== 'draft') throw conflict(`方案 ${planId} 不是草稿（${plan.status}） (plan ${planId} is not a draft: ${plan.status})`);
  if (plan.base_version !== version) {
    throw conflict(`社区网格已在方案制定后变更（版本 ${plan.base_version} → ${version}），请基于当前网格重新制定 (the community's layout changed since the plan was drafted: version ${plan.base_version} → ${version})`);
  }
  await usePlan(client, planId);
  const errors = await validatePlan(client);
  if (errors.length) throw new PlanInvalid(errors);
  const c = plan.community_id;

  // snapshot what the apply replaces
  await client.query(
    `INSERT INTO plan_prior_grids (plan_id, grid_id, code, number, name, synthetic, geom)
     SELECT $1::int, id, code, number, name, synthetic, geom FROM grids WHERE community_id = $2`, [planId, c]);
  await client.query(`INSERT INTO plan_prior_blocks (plan_id, block_id, grid_id) SELECT $1::int, id, grid_id FROM blocks WHERE community_id = $2`, [planId, c]);
  // new grids: code = community code + 3-digit number; the polygon is the dissolve validatePlan
  // left in PLAN_GRIDS_TABLE (kept grids take theirs below)
  const created = await client.query<{ id: number }>(
    `INSERT INTO grids (code, number, name, community_id, synthetic, geom)
     SELECT cm.code || lpad(t.number::text, 3, '0'), t.number, cm.name || '第' || t.number || '网格', cm.id, cm.synthetic, t.geom
       FROM ${PLAN_GRIDS_TABLE} t, communities cm
      WHERE t.grid_id IS NULL AND cm.id = (SELECT community_id FROM plans WHERE id = ${PLAN})
      ORDER BY t.number
     RETURNING id`);
  // target grid of every block
  await client.query('DROP TABLE IF EXISTS pg_temp.plan_target');
  await client.query(`CREATE TEMP TABLE plan_target ON COMMIT DROP AS
    SELECT k.block_id, coalesce(k.grid_id, g.id) AS grid_id
      FROM (${PLAN_KEYS}) k
      LEFT JOIN grids g ON k.grid_id IS NULL AND g.number = k.new_number
                       AND g.community_id = (SELECT community_id FROM plans WHERE id = ${PLAN})`);
  // Cadres and users that may move are those of a grid that loses a block (a removed grid loses
  // all of them); every other grid keeps its blocks, so its people stay put and revert restores
  // row by row. Branch links are kept for every grid of the community: revert replaces them all.
  await client.query(
    `WITH losing AS MATERIALIZED (
       SELECT array_agg(DISTINCT pb.grid_id) AS ids FROM plan_prior_blocks pb JOIN plan_target t ON t.block_id = pb.block_id
        WHERE pb.plan_id = $1 AND t.grid_id <> pb.grid_id
     ), every AS MATERIALIZED (SELECT array_agg(id) AS ids FROM grids WHERE community_id = $2)
     INSERT INTO plan_prior_refs (plan_id, kind, ref_id, grid_id)
     SELECT $1::int, 'cadre', x.id, x.grid_id FROM cadres x, losing g WHERE x.grid_id = ANY (g.ids)
     UNION ALL SELECT $1::int, 'user', u.id, u.grid_id FROM users u, losing g WHERE u.grid_id = ANY (g.ids)
     UNION ALL SELECT $1::int, 'branch', ab.branch_id, ab.grid_id FROM area_branch_grids ab, every g WHERE ab.grid_id = ANY (g.ids)`,
    [planId, c]);
  await client.query(
    `UPDATE grids g SET geom = d.geom FROM ${PLAN_GRIDS_TABLE} d
      WHERE g.id = d.grid_id AND NOT ST_Equals(g.geom, d.geom)`);
  await client.query(`UPDATE blocks b SET grid_id = t.grid_id FROM plan_target t WHERE t.block_id = b.id AND b.grid_id <> t.grid_id`);
  // households of the blocks that changed grid (every other one already lies in its block's grid)
  const moved = await client.query<{ id: number; from: number; to: number }>(
    `WITH m AS (
       SELECT h.id, h.grid_id AS "from", b.grid_id AS "to"
         FROM plan_prior_blocks pb JOIN blocks b ON b.id = pb.block_id AND b.grid_id <> pb.grid_id
         JOIN households h ON h.block_id = b.id
        WHERE pb.plan_id = $1 AND h.grid_id IS DISTINCT FROM b.grid_id
     ), u AS (UPDATE households h SET grid_id = m."to" FROM m WHERE h.id = m.id)
     SELECT * FROM m ORDER BY id`, [planId]);

  // grids the plan no longer uses, and the grid that took most of each one's households
  const removed = await client.query<{ id: number; heir: number }>(
    `SELECT g.id,
            coalesce((SELECT t.grid_id FROM plan_prior_blocks pb JOIN plan_target t ON t.block_id = pb.block_id
                        JOIN households h ON h.block_id = pb.block_id
                       WHERE pb.plan_id = $1 AND pb.grid_id = g.id
                       GROUP BY t.grid_id ORDER BY count(*) DESC, t.grid_id LIMIT 1),
                     (SELECT t.grid_id FROM plan_prior_blocks pb JOIN plan_target t ON t.block_id = pb.block_id
                       WHERE pb.plan_id = $1 AND pb.grid_id = g.id ORDER BY t.grid_id LIMIT 1)) AS heir
       FROM grids g
      WHERE g.community_id = $2 AND NOT EXISTS (SELECT 1 FROM plan_target t WHERE t.grid_id = g.id)
      ORDER BY g.id`, [planId, c]);
  const removedIds = removed.rows.map((r) => r.id);
  const heirs = removed.rows.map((r) => r.heir);
  // cadres of a removed grid, or living in a block that changed grid, follow their point (else the
  // heir); grid workers of a removed grid serve its heir
  await client.query(
    `WITH moved_blocks AS (
       SELECT b.geom, pb.grid_id AS old FROM plan_prior_blocks pb JOIN blocks b ON b.id = pb.block_id
        WHERE pb.plan_id = $4 AND b.grid_id <> pb.grid_id
     ), cand AS (
       SELECT x.id FROM cadres x JOIN moved_blocks m ON x.grid_id = m.old AND ST_Intersects(m.geom, x.geom) WHERE x.kind <> 'grid_worker'
       UNION SELECT x.id FROM cadres x WHERE x.grid_id = ANY($2::int[]) AND x.kind <> 'grid_worker'
     )
     UPDATE cadres x SET grid_id = coalesce(
         (SELECT g.id FROM grids g WHERE g.community_id = $1 AND ST_Intersects(g.geom, x.geom)
             AND NOT (g.id = ANY($2::int[])) ORDER BY g.id LIMIT 1),
         (SELECT r.heir FROM unnest($2::int[], $3::int[]) AS r (id, heir) WHERE r.id = x.grid_id),
         x.grid_id)
       FROM cand WHERE cand.id = x.id`,
    [c, removedIds, heirs, planId]);
  await client.query(
    `UPDATE cadres x SET grid_id = r.heir FROM unnest($1::int[], $2::int[]) AS r (id, heir)
      WHERE x.grid_id = r.id AND x.kind = 'grid_worker'`, [removedIds, heirs]);
  await client.query(`UPDATE users u SET grid_id = r.heir FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE u.grid_id = r.id`, [removedIds, heirs]);
  await client.query(
    `INSERT INTO area_branch_grids (branch_id, grid_id)
     SELECT ab.branch_id, r.heir FROM area_branch_grids ab JOIN unnest($1::int[], $2::int[]) AS r (id, heir) ON r.id = ab.grid_id
     ON CONFLICT DO NOTHING`, [removedIds, heirs]);
  await client.query('DELETE FROM area_branch_grids WHERE grid_id = ANY($1::int[])', [removedIds]);
  await moveCases(client, c, removedIds, heirs);
  await client.query('DELETE FROM grids WHERE id = ANY($1::int[])', [removedIds]);

  const next = version + 1;
  await client.query('UPDATE communities SET layout_version = $2 WHERE id = $1', [c, next]);
  await client.query(`UPDATE plans SET status = 'applied', applied_at = now(), applied_version = $2 WHERE id = $1`, [planId, next]);
  // drafts drawn on the old layout can no longer be applied
  await client.query(`UPDATE plans SET status = 'superseded' WHERE community_id = $1 AND status = 'draft' AND base_version < $2`, [c, next]);

  const result: ApplyResponse = {
    plan: planId,
    layout_version: next,
    households_moved: moved.rowCount ?? 0,
    grids_created: created.rows.map((r) => r.id),
    grids_removed: removedIds,
  };
  await audit(client, {
    ...who, action: 'apply', entity: 'plan', entityId: planId,
    before: { layout_version: version },
    after: { ...result, moves: moved.rows.map((m) => [m.id, m.from, m.to]) },
  });
  return result;
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
  // a boundary import (which re-derives the blocks) or a cut since the apply: the snapshot no longer fits
  const drift = await client.query(
    `SELECT count(*)::int AS n FROM (
       SELECT id FROM blocks WHERE community_id = $2
       EXCEPT SELECT block_id FROM plan_prior_blocks WHERE plan_id = $1
       UNION ALL
       (SELECT block_id FROM plan_prior_blocks WHERE plan_id = $1 EXCEPT SELECT id FROM blocks WHERE community_id = $2)) d`,
    [planId, c]);
  if (drift.rows[0].n > 0) throw conflict(`方案应用后社区的街区已变化（边界重新导入或街区切分），不能撤销 (the community's blocks changed after this plan: re-imported or cut; it cannot be reverted)`);

  const current = (await client.query<{ id: number }>('SELECT id FROM grids WHERE community_id = $1', [c])).rows.map((r) => r.id);
  // grids the plan removed come back with their ids; kept ones get their old geometry and names
  await client.query(
    `INSERT INTO grids (id, code, number, name, community_id, synthetic, geom)
     SELECT p.grid_id, p.code, p.number, p.name, $2, p.synthetic, p.geom FROM plan_prior_grids p
      WHERE p.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = p.grid_id)`, [planId, c]);
  await client.query(
    `UPDATE grids g SET code = p.code, number = p.number, name = p.name, synthetic = p.synthetic, geom = p.geom
       FROM plan_prior_grids p WHERE p.plan_id = $1 AND p.grid_id = g.id`, [planId]);
  await client.query(`UPDATE blocks b SET grid_id = p.grid_id FROM plan_prior_blocks p WHERE p.plan_id = $1 AND p.block_id = b.id AND b.grid_id <> p.grid_id`, [planId]);
  const moved = await client.query<{ id: number; from: number; to: number }>(
    `WITH m AS (
       SELECT h.id, h.grid_id AS "from", b.grid_id AS "to"
         FROM households h JOIN blocks b ON b.id = h.block_id
        WHERE b.community_id = $1 AND h.grid_id IS DISTINCT FROM b.grid_id
     ), u AS (UPDATE households h SET grid_id = m."to" FROM m WHERE h.id = m.id)
     SELECT * FROM m ORDER BY id`, [c]);
  await client.query(`UPDATE cadres x SET grid_id = p.grid_id FROM plan_prior_refs p WHERE p.plan_id = $1 AND p.kind = 'cadre' AND p.ref_id = x.id AND x.grid_id IS DISTINCT FROM p.grid_id`, [planId]);
  await client.query(`UPDATE users u SET grid_id = p.grid_id FROM plan_prior_refs p WHERE p.plan_id = $1 AND p.kind = 'user' AND p.ref_id = u.id AND u.grid_id IS DISTINCT FROM p.grid_id`, [planId]);
  await client.query('DELETE FROM area_branch_grids WHERE grid_id = ANY($1::int[])', [current]);
  await client.query(
    `INSERT INTO area_branch_grids (branch_id, grid_id)
     SELECT p.ref_id, p.grid_id FROM plan_prior_refs p WHERE p.plan_id = $1 AND p.kind = 'branch'
        AND EXISTS (SELECT 1 FROM area_branches b WHERE b.id = p.ref_id)`, [planId]);
  // grids the plan created
  const created = (await client.query<{ id: number }>(
    `SELECT g.id FROM grids g WHERE g.community_id = $2
        AND NOT EXISTS (SELECT 1 FROM plan_prior_grids p WHERE p.plan_id = $1 AND p.grid_id = g.id)`, [planId, c])).rows.map((r) => r.id);
  await moveCases(client, c, created, created.map(() => null));
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
 * Cases and needs follow the new layout: each of the community's goes to the grid that now
 * contains its point (one filed up to 50 m outside every grid keeps its grid, or takes the heir
 * of a removed one), and case work assigned to a removed grid goes to its heir. Runs before the
 * removed grids are deleted; case_events and need_steps keep the ids they were written with
 * (they are history). The two table names are constants here, never input.
 */
export async function moveCases(client: Queryable, community: number, removed: number[], heirs: (number | null)[]): Promise<void> {
  for (const table of ['cases', 'needs'] as const) {
    await client.query(
      `UPDATE ${table} k SET grid_id = g.id
         FROM grids g
        WHERE k.community_id = $1 AND g.community_id = $1 AND NOT (g.id = ANY($2::int[]))
          AND ST_Intersects(g.geom, k.geom) AND k.grid_id <> g.id`, [community, removed]);
    await client.query(
      `UPDATE ${table} k SET grid_id = coalesce(r.heir, (SELECT g.id FROM grids g WHERE g.community_id = $3 AND NOT (g.id = ANY($1::int[]))
                                                       ORDER BY ST_Distance(g.geom, k.geom) LIMIT 1))
         FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE k.grid_id = r.id`, [removed, heirs, community]);
  }
  await client.query(
    `UPDATE cases k SET assigned_grid_id = coalesce(r.heir, k.grid_id)
       FROM unnest($1::int[], $2::int[]) AS r (id, heir) WHERE k.assigned_grid_id = r.id`, [removed, heirs]);
}
