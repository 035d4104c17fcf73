// What the plans panel says and picks, apart from the requests that fetch it: the confirmation
// texts of an apply and a revert (in the server's own figures), the newest current draft per
// community for applying several together, the geometries of the server's errors to mark on the
// map, and the answers the planner turns into a refusal in its status line. Pure, so tested alone.
import type { Geometry } from 'geojson';
import type { PlanDetail, PlanError, PlanSummary, RevertPreview } from '@grid-atlas/contract';
import { ApiError } from '../api/http';
import { currentLocale, t } from '../i18n';

const STATUSES = ['draft', 'applied', 'reverted', 'superseded'];

/** A plan's status in words (an unknown one as it is). */
export function statusLabel(status: string): string {
  return STATUSES.includes(status) ? t(`planner.plans.status.${status}`) : status;
}

/** The apply's confirmation: what will move, from the draft's own figures. */
export function applyQuestion(plan: Pick<PlanSummary, 'id'>, d: Pick<PlanDetail, 'grids' | 'removed_grids' | 'households_moving'>): string {
  const created = d.grids.filter((g) => g.grid_id === null).length;
  const removed = d.removed_grids.length;
  const what = [
    t('planner.plans.moving', { n: d.households_moving }),
    created ? t('planner.plans.creating', { n: created }, created) : '',
    removed ? t('planner.plans.removing', { n: removed }, removed) : '',
  ].filter(Boolean).join(t('planner.plans.listJoin'));
  return t('planner.plans.applyQuestion', { id: plan.id, what });
}

/** The revert's confirmation, in the figures the server's dry run of the revert gave. */
export function revertQuestion(plan: Pick<PlanSummary, 'id'>, p: RevertPreview): string {
  const grids = [
    p.grids_restored ? t('planner.plans.restoring', { n: p.grids_restored }, p.grids_restored) : '',
    p.grids_removed ? t('planner.plans.removingNew', { n: p.grids_removed }, p.grids_removed) : '',
    p.grids_reshaped ? t('planner.plans.reshaping', { n: p.grids_reshaped }, p.grids_reshaped) : '',
  ].filter(Boolean);
  return t('planner.plans.revertQuestion', {
    id: plan.id,
    n: p.households_moved.toLocaleString(currentLocale()),
    grids: grids.length ? t('planner.plans.revertGrids', { list: grids.join(t('planner.plans.listJoin')) }) : '',
  });
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
