// The monthly partitions of case_events (migration 0041): each calendar month of the city's time
// has its own partition, created ahead of its first row by case_events_ensure_months(). The
// server keeps the month before now through two months ahead ready: at start, and every few
// hours while it runs, so a server left running across a month's end already has the next.
import type { Queryable } from '../db/index.ts';

/** How often a running server makes sure the coming months exist (they are made two months ahead). */
export const EVENT_MONTHS_EVERY_MS = 6 * 60 * 60 * 1000;

/** Creates the missing month partitions of case_events from `from`'s month to `to`'s; returns the new tables' names. */
export async function ensureEventMonths(db: Queryable, from: Date, to: Date): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>('SELECT case_events_ensure_months($1, $2) AS name', [from, to]);
  return rows.map((r) => r.name);
}

/** The month before `now` through two months after it. */
export function ensureCurrentEventMonths(db: Queryable, now = new Date()): Promise<string[]> {
  const day = 24 * 60 * 60 * 1000;
  return ensureEventMonths(db, new Date(now.getTime() - 31 * day), new Date(now.getTime() + 62 * day));
}

/** Runs ensureCurrentEventMonths every EVENT_MONTHS_EVERY_MS; returns the stop function. */
export function startEventMonthKeeper(db: Queryable, everyMs = EVENT_MONTHS_EVERY_MS): () => void {
  const timer = setInterval(() => {
    ensureCurrentEventMonths(db)
      .then((made) => { if (made.length) console.log(`[cases] case_events months created: ${made.join(', ')}`); })
      .catch((err) => console.error('[cases] creating the case_events months failed:', err));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
