// Which communities and plans a user may see, as SQL: scope is part of every query
// (ScopeParams), so another area's community or plan is a 404.
import { inScope, scopeParams, type User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import { notFound } from '../http/errors.ts';

export const COMMUNITY_SCOPE = (p: number) => inScope(p, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'NULL' });

/** The community, if it exists and lies in the user's area; 404 otherwise. */
export async function visibleCommunity(db: Db, id: number, u: User): Promise<{ id: number; layout_version: number }> {
  const { rows } = await db.query<{ id: number; layout_version: number }>(`SELECT c.id, c.layout_version FROM communities c WHERE c.id = $1 AND ${COMMUNITY_SCOPE(2)}`, [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`社区 ${id} 不存在 (no community with id ${id})`);
  return rows[0];
}

export async function visiblePlan(db: Db, id: number, u: User): Promise<{ id: number; community_id: number; status: string }> {
  const { rows } = await db.query<{ id: number; community_id: number; status: string }>(
    `SELECT p.id, p.community_id, p.status FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = $1 AND ${COMMUNITY_SCOPE(2)}`,
    [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`方案 ${id} 不存在 (no plan with id ${id})`);
  return rows[0];
}

/** The plans, if every one exists and lies in the user's area; 404 naming the others. */
export async function visiblePlans(db: Db, ids: number[], u: User): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT p.id FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = ANY ($1::int[]) AND ${COMMUNITY_SCOPE(2)}`,
    [ids, ...scopeParams(u)]);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw notFound(`方案 ${missing.join('、')} 不存在 (no plan with id ${missing.join(', ')})`);
}

/** An edge redraw (edge-revert.ts) in the user's area; any other is not found, as a plan is. */
export async function visibleEdgeRedraw(db: Db, id: number, u: User): Promise<{ id: number; community_id: number }> {
  const { rows } = await db.query<{ id: number; community_id: number }>(
    `SELECT r.id, r.community_id FROM edge_redraws r JOIN communities c ON c.id = r.community_id WHERE r.id = $1 AND ${COMMUNITY_SCOPE(2)}`,
    [id, ...scopeParams(u)]);
  if (!rows.length) throw notFound(`没有编号为 ${id} 的边界重画 (no edge redraw with id ${id})`);
  return rows[0];
}
