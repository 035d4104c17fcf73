// Labels and clocks of the case UI: status colours as CSS, the running stage and its remaining
// time ("剩余 3小时12分" / "超期 1天2小时"), and the words of the timeline.
import {
  CASE_ACTIONS,
  CASE_LEVELS,
  CASE_MODES,
  CASE_STAGES,
  stageOf,
  type CaseEventAction,
  type CaseStatus,
} from '@grid-atlas/contract';
import { localMessage, t } from '../../i18n';
import { CASE_STATUS_COLORS } from '../../map/theme';
import type { CaseEvent } from '../../api/cases';
import { formatShanghai } from '../../time/format';

export function statusColor(status: CaseStatus): string {
  const c = CASE_STATUS_COLORS[status] ?? [200, 200, 200, 255];
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export function statusLabel(status: CaseStatus | null | undefined): string {
  return status ? t(`domain.caseStatus.${status}`) : '';
}

/** "3天4小时", "2小时5分", "12分" for a span of milliseconds (absolute). */
export function formatSpan(ms: number): string {
  const min = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return t('cases.span.days', { d, h });
  if (h > 0) return t('cases.span.hours', { h, m });
  return t('cases.span.minutes', { m });
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
    stage: t(`domain.caseStage.${stage}`),
    deadline,
    leftMs,
    overdue,
    text: overdue ? t('cases.span.overdue', { span: formatSpan(leftMs) }) : t('cases.span.left', { span: formatSpan(leftMs) }),
  };
}

export function eventActionLabel(action: CaseEventAction): string {
  if (action === 'submit' || action === 'warning') return t(`cases.event.${action}`);
  return (CASE_ACTIONS as readonly string[]).includes(action) ? t(`domain.caseAction.${action}`) : action;
}

/** The words a person wrote with an event: reason, note, rating, … (never ids). */
export function eventText(e: CaseEvent, departmentName: (id: number) => string | undefined = () => undefined): string {
  const p = e.payload ?? {};
  const parts: string[] = [];
  const s = (k: string) => (typeof p[k] === 'string' && p[k] ? String(p[k]) : null);
  // A system event's reason is the server's bilingual "中文 (English)"; a person's stays as written.
  if (s('reason')) parts.push(t('cases.event.reason', { reason: e.actor_user_id === null ? localMessage(s('reason')!) : s('reason') }));
  if (s('note')) parts.push(s('note')!);
  if (typeof p.rating === 'number') parts.push(t('cases.event.rating', { n: p.rating }, p.rating));
  if (typeof p.mode === 'string' && e.action === 'dispatch') parts.push((CASE_MODES as readonly string[]).includes(p.mode) ? t(`domain.caseMode.${p.mode}`) : p.mode);
  if (typeof p.department_id === 'number') parts.push(t('cases.event.handler', { who: departmentName(p.department_id) ?? t('cases.event.department', { id: p.department_id }) }));
  if (e.action === 'dispatch' && p.routing && typeof (p.routing as { reason?: unknown }).reason === 'string') parts.push((p.routing as { reason: string }).reason);
  if (typeof p.cadre_id === 'number') parts.push(t('cases.event.cadre', { id: p.cadre_id }));
  if (typeof p.grid_id === 'number' && e.action === 'dispatch') parts.push(t('cases.event.gridWorker'));
  if (Array.isArray(p.department_ids)) parts.push(t('cases.event.whistle', { who: p.department_ids.map((id) => departmentName(Number(id)) ?? id).join(t('cases.event.listSep')) }));
  if (s('leader') && e.action === 'dispatch') parts.push(t('cases.event.leader', { who: s('leader') }));
  if (Array.isArray(p.unit_ids) && e.action === 'dispatch') {
    const who = p.unit_ids.map((id) => departmentName(Number(id)) ?? id).join(t('cases.event.listSep'));
    parts.push(p.mode === 'party_committee' ? t('cases.event.assignedUnits', { who }) : t('cases.event.coordinatingUnits', { who }));
  }
  if (s('duplicate_of_number')) parts.push(t('cases.event.duplicateOf', { number: s('duplicate_of_number') }));
  if (typeof p.to_level === 'string') parts.push(t('cases.event.escalatedTo', { level: (CASE_LEVELS as readonly string[]).includes(p.to_level) ? t(`domain.caseLevel.${p.to_level}`) : p.to_level }));
  if (s('deadline')) parts.push(t('cases.event.deadline', { time: formatShanghai(s('deadline')!) }));
  if (s('stage') && e.action === 'warning') {
    const stage = s('stage')!;
    parts.push(t('cases.event.stageWarning', { stage: (CASE_STAGES as readonly string[]).includes(stage) ? t(`domain.caseStage.${stage}`) : stage }));
  }
  return parts.join(t('cases.event.partSep'));
}
