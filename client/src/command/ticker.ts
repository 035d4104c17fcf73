// The ticker strip's choices: which open 特急 (emergency) cases are pinned above the event rows,
// how many event rows are left beside them, and how a row's time reads. Pinned cases and events
// become rows of one shape, so the strip draws them with one loop.
import type { CaseRow } from '../api/cases';
import type { TickerItem } from './live';
import { formatShanghai, shanghaiDate, shanghaiHhmm } from '../time/format';
import { categoryName, t } from '../i18n';

/** Pinned 特急 cases at most (the ticker's other rows make room), and the strip's rows in all. */
export const URGENT_PINNED = 2;
export const TICKER_ROWS = 5;

/** Open emergency cases, newest first, at most URGENT_PINNED. */
export function pinnedUrgent<C extends Pick<CaseRow, 'priority' | 'created_at'>>(cases: readonly C[]): C[] {
  return cases
    .filter((c) => c.priority === 'emergency')
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .slice(0, URGENT_PINNED);
}

/** HH:MM for today (Asia/Shanghai), M/D for an earlier day: a pinned 特急 case may be days old. */
export function dayOrTime(iso: string, now: Date = new Date()): string {
  return shanghaiDate(iso) === shanghaiDate(now) ? shanghaiHhmm(iso) : formatShanghai(iso, true).split(' ')[0];
}

type PinnedCase = Pick<CaseRow, 'id' | 'number' | 'category' | 'category_name' | 'community_id' | 'status' | 'created_at'>;

/** One row of the strip: a pinned 特急 case or an event. */
export interface TickerRow {
  key: string;
  /** The row's data-testid: urgent-<case id> (pinned) or tick-<case id>. */
  testid: string;
  caseId: number;
  number: string;
  /** When: a pinned case's filing (shown as day or time), an event's time (HH:MM). */
  at: string;
  category: string;
  communityId: number;
  action: string;
  /** Marked 特急. */
  urgent: boolean;
  /** A pinned case (not an event). */
  pinned: boolean;
}

/** The pinned cases first, then as many of the newest events as fill TICKER_ROWS. */
export function tickerRows(pinned: readonly PinnedCase[], events: readonly TickerItem[]): TickerRow[] {
  return [
    ...pinned.map((c) => ({
      key: `urgent-${c.id}`, testid: `urgent-${c.id}`, caseId: c.id, number: c.number, at: c.created_at, category: categoryName(c.category, c.category_name),
      communityId: c.community_id, action: t(`domain.caseStatus.${c.status}`), urgent: true, pinned: true,
    })),
    ...events.slice(0, TICKER_ROWS - pinned.length).map((e) => ({
      key: e.key, testid: `tick-${e.caseId}`, caseId: e.caseId, number: e.number, at: e.at, category: e.category,
      communityId: e.communityId, action: e.action, urgent: e.emergency, pinned: false,
    })),
  ];
}
