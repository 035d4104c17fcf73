// Labels and clocks of the case UI: status colours as CSS, the running stage and its remaining
// time ("剩余 3小时12分" / "超期 1天2小时"), and the words of the timeline.
import {
  CASE_ACTION_LABELS,
  CASE_LEVEL_LABELS,
  CASE_MODE_LABELS,
  type CaseLevel,
  type CaseMode,
  CASE_STAGE_LABELS,
  CASE_STATUS_LABELS,
  stageOf,
  type CaseEventAction,
  type CaseStatus,
} from '@grid-atlas/contract';
import { CASE_STATUS_COLORS } from '../../map/theme';
import type { CaseEvent } from '../../api/cases';
import { formatShanghai } from '../../time/format';

export function statusColor(status: CaseStatus): string {
  const c = CASE_STATUS_COLORS[status] ?? [200, 200, 200, 255];
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export function statusLabel(status: CaseStatus | null | undefined): string {
  return status ? CASE_STATUS_LABELS[status] : '';
}

/** "3天4小时", "2小时5分", "12分" for a span of milliseconds (absolute). */
export function formatSpan(ms: number): string {
  const min = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return `${d}天${h}小时`;
  if (h > 0) return `${h}小时${m}分`;
  return `${m}分`;
}

export interface StageClock {
  stage: string;
  deadline: string;
  /** Milliseconds left; negative once overdue. */
  leftMs: number;
  text: string;
  overdue: boolean;
}

/** The running stage's deadline and what is left of it at `now`, or null when no clock runs. */
export function stageClock(status: CaseStatus, deadline: string | null, now: number): StageClock | null {
  const stage = stageOf(status);
  if (!stage || !deadline) return null;
  const leftMs = new Date(deadline).getTime() - now;
  const overdue = leftMs < 0;
  return {
    stage: CASE_STAGE_LABELS[stage],
    deadline,
    leftMs,
    overdue,
    text: overdue ? `超期 ${formatSpan(leftMs)}` : `剩余 ${formatSpan(leftMs)}`,
  };
}

const SYSTEM_ACTIONS: Partial<Record<CaseEventAction, string>> = { submit: '上报', warning: '预警' };

export function eventActionLabel(action: CaseEventAction): string {
  return SYSTEM_ACTIONS[action] ?? CASE_ACTION_LABELS[action as keyof typeof CASE_ACTION_LABELS] ?? action;
}

/** The words a person wrote with an event: reason, note, rating, … (never ids). */
export function eventText(e: CaseEvent, departmentName: (id: number) => string | undefined = () => undefined): string {
  const p = e.payload ?? {};
  const parts: string[] = [];
  const s = (k: string) => (typeof p[k] === 'string' && p[k] ? String(p[k]) : null);
  if (s('reason')) parts.push(`原因：${s('reason')}`);
  if (s('note')) parts.push(s('note')!);
  if (typeof p.rating === 'number') parts.push(`评分 ${p.rating} 分`);
  if (typeof p.mode === 'string' && e.action === 'dispatch') parts.push(CASE_MODE_LABELS[p.mode as CaseMode] ?? p.mode);
  if (typeof p.department_id === 'number') parts.push(`承办：${departmentName(p.department_id) ?? `部门 ${p.department_id}`}`);
  if (e.action === 'dispatch' && p.routing && typeof (p.routing as { reason?: unknown }).reason === 'string') parts.push((p.routing as { reason: string }).reason);
  if (typeof p.cadre_id === 'number') parts.push(`承办：在职党员（编号 ${p.cadre_id}）`);
  if (typeof p.grid_id === 'number' && e.action === 'dispatch') parts.push('承办：本网格网格员');
  if (Array.isArray(p.department_ids)) parts.push(`吹哨：${p.department_ids.map((id) => departmentName(Number(id)) ?? id).join('、')}`);
  if (s('leader') && e.action === 'dispatch') parts.push(`牵头领导：${s('leader')}`);
  if (Array.isArray(p.unit_ids) && e.action === 'dispatch') {
    parts.push(`${p.mode === 'party_committee' ? '交办单位' : '协调单位'}：${p.unit_ids.map((id) => departmentName(Number(id)) ?? id).join('、')}`);
  }
  if (s('duplicate_of_number')) parts.push(`与 ${s('duplicate_of_number')} 重复`);
  if (typeof p.to_level === 'string') parts.push(`上报至${CASE_LEVEL_LABELS[p.to_level as CaseLevel] ?? p.to_level}`);
  if (s('deadline')) parts.push(`时限至 ${formatShanghai(s('deadline')!)}`);
  if (s('stage') && e.action === 'warning') parts.push(`${s('stage')} 阶段时限预警`);
  return parts.join('；');
}
