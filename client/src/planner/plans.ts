// What the plans panel says and picks, apart from the requests that fetch it: the confirmation
// texts of an apply and a revert (in the server's own figures), the newest current draft per
// community for applying several together, the geometries of the server's errors to mark on the
// map, and the answers the planner turns into a refusal in its status line. Pure, so tested alone.
import type { Geometry } from 'geojson';
import type { PlanDetail, PlanError, PlanSummary, RevertPreview } from '@grid-atlas/contract';
import { ApiError } from '../api/http';

export const STATUS_LABEL: Record<string, string> = { draft: '草案', applied: '已生效', reverted: '已撤回', superseded: '已被替代' };

/** The apply's confirmation: what will move, from the draft's own figures. */
export function applyQuestion(plan: Pick<PlanSummary, 'id'>, d: Pick<PlanDetail, 'grids' | 'removed_grids' | 'households_moving'>): string {
  const created = d.grids.filter((g) => g.grid_id === null).length;
  const what = [`${d.households_moving} 户将调整网格`, created ? `新建 ${created} 个网格` : '', d.removed_grids.length ? `撤销 ${d.removed_grids.length} 个网格` : '']
    .filter(Boolean).join('，');
  return `生效草案 #${plan.id}？\n${what}。`;
}

/** The revert's confirmation, in the figures the server's dry run of the revert gave. */
export function revertQuestion(plan: Pick<PlanSummary, 'id'>, p: RevertPreview): string {
  const grids = [
    p.grids_restored ? `恢复被撤销的 ${p.grids_restored} 个网格` : '',
    p.grids_removed ? `撤销新建的 ${p.grids_removed} 个网格` : '',
    p.grids_reshaped ? `${p.grids_reshaped} 个网格的边界恢复原样` : '',
  ].filter(Boolean);
  return `撤回方案 #${plan.id}？\n${p.households_moved.toLocaleString('zh-CN')} 户将回到原网格${grids.length ? `；${grids.join('，')}` : ''}。`;
}

/** The newest current draft of each community (the list comes newest first), by community name. */
export function newestDrafts(list: readonly PlanSummary[]): PlanSummary[] {
  const newest = new Map<number, PlanSummary>();
  for (const p of list) if (p.status === 'draft' && p.current && !newest.has(p.community_id)) newest.set(p.community_id, p);
  return [...newest.values()].sort((a, b) => a.community_name.localeCompare(b.community_name, 'zh-CN'));
}

/** The geometries of the errors that have one (to mark in red on the map). */
export function errorGeometries(errors: readonly PlanError[]): Geometry[] {
  return errors.map((e) => e.geometry).filter((g): g is Geometry => !!g) as Geometry[];
}

/** The server's refusal with one of these statuses (others are reported as failures), else null. */
export function refusal(err: unknown, statuses: readonly number[]): { status: number; message: string | null; errors: PlanError[] } | null {
  if (!(err instanceof ApiError) || err.status === null || !statuses.includes(err.status)) return null;
  return { status: err.status, message: err.serverMessage, errors: (err.body as { errors?: PlanError[] } | null)?.errors ?? [] };
}
