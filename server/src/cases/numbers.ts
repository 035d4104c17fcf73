// Case numbers: ES<yyyymmdd>-<nnnn>, counted per day in Asia/Shanghai (the day a resident and a
// grid worker say "today's 42nd case" about).
//
// The day's counter is one row (case_number_counters). Taking one number per filing inside the
// filing's own transaction would hold that row locked until the filing commits, so every
// filing of the day would queue behind the one before it. Instead a process reserves a block of
// numbers at a time in a short statement of its own and hands them out from memory: filings no
// longer wait on one another. The price: numbers reserved and not used when the process stops
// are skipped (a day's numbers may have gaps), and two processes hand out numbers from their
// own blocks, so numbers are unique and in order within a process, not across processes.
import type { Db } from '../db/index.ts';

/** Numbers reserved at a time. */
export const NUMBER_BLOCK = 32;

interface Reserved {
  day: string;
  next: number;
  last: number;
}

// One block per database this process writes to (a test or bench may open several), and the
// refill in flight: filings that find the block used up wait for that one refill instead of
// each reserving a block of its own (eight at once each took the counter row's lock in turn,
// and all but one block went unused).
const reserved = new WeakMap<Db, Reserved>();
const refilling = new WeakMap<Db, Promise<void>>();

/** The day of `now` in Asia/Shanghai (UTC+8, no daylight saving), as yyyy-mm-dd. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function formatCaseNumber(day: string, n: number): string {
  return `ES${day.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}

/** The next case number of `now`'s day. */
export async function nextCaseNumber(db: Db, now: Date): Promise<string> {
  const day = shanghaiDay(now);
  for (;;) {
    const r = reserved.get(db);
    if (r && r.day === day && r.next <= r.last) return formatCaseNumber(day, r.next++);
    let refill = refilling.get(db);
    if (!refill) {
      refill = (async () => {
        const { rows } = await db.query<{ last: number }>(
          `INSERT INTO case_number_counters (day, last) VALUES ($1, $2)
           ON CONFLICT (day) DO UPDATE SET last = case_number_counters.last + $2 RETURNING last`, [day, NUMBER_BLOCK]);
        reserved.set(db, { day, next: rows[0].last - NUMBER_BLOCK + 1, last: rows[0].last });
      })().finally(() => refilling.delete(db));
      refilling.set(db, refill);
    }
    // a refill for another day (filings either side of midnight) loops once more
    await refill;
  }
}
