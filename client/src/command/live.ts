// The command centre's live part: the stream's connection state, the open cases on the map and
// a ticker of the latest case events. Events arrive over the shared live stream (live/stream.ts)
// carrying their case (number, category, priority, status, point, area); a burst is coalesced,
// the open cases and counts are refetched once, and each event is described from its own case:
// no request per event.
import { markRaw, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { CASE_ACTIONS, OPEN_STATUSES, type CaseAction } from '@grid-atlas/contract';
import { categoryName, t } from '../i18n';
import { fetchCases, type CaseRow } from '../api/cases';
import { liveStream, type LiveEvent, type LiveState } from '../live/stream';
import type { Area } from './panels';

/** The list route's filter for an area (none for the city). */
export function areaFilter(area: Area): { subdistrict?: number; community?: number; grid?: number } {
  return area.level === 'city' ? {} : { [area.level]: area.id };
}

/** Whether a case lies in the area. */
export function caseInArea(c: Pick<CaseRow, 'subdistrict_id' | 'community_id' | 'grid_id'>, area: Area): boolean {
  return area.level === 'city' || c[`${area.level}_id`] === area.id;
}

export interface TickerItem {
  /** The case_events id (or `case-<id>` for the rows seeded from the list). */
  key: string;
  caseId: number;
  number: string;
  category: string;
  communityId: number;
  action: string;
  at: string;
  /** 特急 (emergency) cases are marked in the list. */
  emergency: boolean;
}

/** How many open cases the map shows: the newest (the route's page limit). */
const CASE_LIMIT = 200;
const TICKER_LENGTH = 8;
/** How long a new case pulses on the map. */
export const PULSE_MS = 8000;

/** An event's action as the ticker says it: the case actions, and what the system writes (submit, warning). */
export function actionText(action: string): string {
  if ((CASE_ACTIONS as readonly string[]).includes(action)) return t(`domain.caseAction.${action as CaseAction}`);
  if (action === 'submit' || action === 'warning') return t(`command.ticker.action.${action}`);
  return action;
}

type TickerCase = Pick<CaseRow, 'id' | 'number' | 'category' | 'category_name' | 'community_id' | 'priority'>;

function tickerItem(key: string, c: TickerCase, action: string, at: string): TickerItem {
  return { key, caseId: c.id, number: c.number, category: categoryName(c.category, c.category_name), communityId: c.community_id, action: actionText(action), at, emergency: c.priority === 'emergency' };
}

export type LiveCaseMessage = Extract<LiveEvent, { type: 'case' }>;

/**
 * The ticker lines of a burst of events, newest first, from the cases the events carry: events
 * whose case lies outside the area (or that the stream sent without one) are left out.
 */
export function tickerFromEvents(events: readonly LiveCaseMessage[], area: Area): { items: TickerItem[]; submitted: number[] } {
  const items: TickerItem[] = [];
  const submitted: number[] = [];
  for (const e of events) {
    const d = e.data;
    if (!d.case || !caseInArea(d.case, area)) continue;
    items.push(tickerItem(e.id ?? `${d.case_id}-${items.length}`, { id: d.case_id, ...d.case }, d.action, d.at));
    if (d.action === 'submit') submitted.push(d.case_id);
  }
  return { items: items.reverse(), submitted };
}

/**
 * The live part for the area in view (the city or a drilled subdistrict, community or grid): the
 * map's cases, the open and overdue counts and the ticker are all of that area.
 */
export function useCommandLive(area: Ref<Area>) {
  const stream = liveStream();
  const state = ref<LiveState>(stream.state);
  /** The newest open cases (plain objects, never proxied: they feed deck.gl). */
  const cases = shallowRef<CaseRow[]>([]);
  /** Open cases in the area, and how many of them are overdue (all of them, not only those on the map). */
  const total = ref(0);
  const overdue = ref(0);
  const ticker = ref<TickerItem[]>([]);
  /** Case id → when it arrived over the stream (drives the pulse). */
  const arrivals = shallowRef<ReadonlyMap<number, number>>(new Map());

  async function loadCases(): Promise<Map<number, CaseRow>> {
    const asked = area.value;
    const where = areaFilter(asked);
    const [page, late] = await Promise.all([
      fetchCases({ status: OPEN_STATUSES, limit: CASE_LIMIT, ...where }),
      fetchCases({ status: OPEN_STATUSES, overdue: true, limit: 1, ...where }),
    ]);
    // A drill while the answer was on its way: it describes an area no longer in view.
    if (JSON.stringify(asked) !== JSON.stringify(area.value)) throw new Error('area changed');
    cases.value = markRaw(page.cases);
    total.value = Number(page.total);
    overdue.value = Number(late.total);
    return new Map(page.cases.map((c) => [c.id, c]));
  }

  /** The area's cases are on their way (the first load, and after each drill). */
  const loading = ref(true);

  async function initial(): Promise<void> {
    loading.value = true;
    const asked = JSON.stringify(area.value);
    try {
      const byId = await loadCases();
      if (ticker.value.length) return;
      // Until events arrive, the ticker shows the newest filings.
      ticker.value = [...byId.values()]
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, TICKER_LENGTH)
        .map((c) => tickerItem(`case-${c.id}`, c, 'submit', c.created_at));
    } catch {
      /* the ticker stays empty; the next event retries */
    } finally {
      if (asked === JSON.stringify(area.value)) loading.value = false;
    }
  }

  let pending: LiveCaseMessage[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function flush(): Promise<void> {
    timer = undefined;
    const events = pending;
    pending = [];
    try {
      await loadCases();
    } catch {
      return;
    }
    const { items, submitted } = tickerFromEvents(events, area.value);
    const now = Date.now();
    const arrived = new Map([...arrivals.value].filter(([, since]) => now - since < PULSE_MS));
    for (const id of submitted) arrived.set(id, now);
    arrivals.value = arrived;
    const seen = new Set(items.map((i) => i.key));
    ticker.value = [...items, ...ticker.value.filter((i) => !seen.has(i.key))].slice(0, TICKER_LENGTH);
  }

  const stopEvents = stream.subscribe((e) => {
    if (e.type === 'reset') {
      void initial();
      return;
    }
    if (e.type !== 'case') return;
    pending.push(e);
    timer ??= setTimeout(() => void flush(), 200);
  });
  const stopState = stream.onState((s) => (state.value = s));
  void initial();
  // A drill changes the area: its own cases, counts and newest filings.
  watch(area, (next, prev) => {
    if (JSON.stringify(next) === JSON.stringify(prev)) return;
    ticker.value = [];
    // The previous area's cases leave with it (its 特急 rows must not pin in the new one's list).
    cases.value = markRaw([]);
    void initial();
  });

  onBeforeUnmount(() => {
    stopEvents();
    stopState();
    clearTimeout(timer);
  });

  return { state, cases, total, overdue, ticker, arrivals, loading };
}
