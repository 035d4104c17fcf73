// Case numbers: ES<yyyymmdd>-<nnnn>, counted per day in Asia/Shanghai (the day a resident and a
// grid worker say "today's 42nd case" about).
//
// The day's counter is one row (case_number_counters). Taking one number per filing inside the
// filing's own transaction would hold that row locked until the filing commits, so every
// filing of the day would queue behind the one before it. Instead a process reserves a block of
// numbers at a time in a short statement of its own and hands them out from memory: filings no
// longer wait on one another. The price: numbers reserved and not used when the process stops
// (at most two blocks) are skipped (a day's numbers may have gaps), and two processes hand out
// numbers from their own blocks, so numbers are unique and in order within a process, not
// across processes.
import type { Db } from '../db/index.ts';

/** Numbers reserved at a time. */
export const NUMBER_BLOCK = 32;

interface Block {
  day: string;
  next: number;
  last: number;
}

// Per database this process writes to (a test or bench may open several): the block numbers
// are handed out from, the block reserved ahead of it, and the reservation in flight. Filings
// that find the block used up wait for that one reservation instead of each reserving a block
// of its own (eight at once each took the counter row's lock in turn, and all but one block
// went unused). The next block is reserved while half of the current one is left: a batch of
// filings (cases/filing.ts) takes up to a block at once, and without a block ready it waited a
// round trip to the database for its numbers, on every batch.
interface Reserved {
  current?: Block;
  ahead?: Block;
  reserving?: Promise<void>;
}
const reserved = new WeakMap<Db, Reserved>();

/** The day of `now` in Asia/Shanghai (UTC+8, no daylight saving), as yyyy-mm-dd. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function formatCaseNumber(day: string, n: number): string {
  return `ES${day.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}

function reserve(db: Db, r: Reserved, day: string): Promise<void> {
  r.reserving ??= (async () => {
    const { rows } = await db.query<{ last: number }>(
      `INSERT INTO case_number_counters (day, last) VALUES ($1, $2)
       ON CONFLICT (day) DO UPDATE SET last = case_number_counters.last + $2 RETURNING last`, [day, NUMBER_BLOCK]);
    r.ahead = { day, next: rows[0].last - NUMBER_BLOCK + 1, last: rows[0].last };
  })().finally(() => { r.reserving = undefined; });
  return r.reserving;
}

/** The next case number of `now`'s day. */
export async function nextCaseNumber(db: Db, now: Date): Promise<string> {
  const day = shanghaiDay(now);
  let r = reserved.get(db);
  if (!r) reserved.set(db, (r = {}));
  for (;;) {
    const b = r.current;
    if (b && b.day === day && b.next <= b.last) {
      // Half the block handed out: reserve the next one now (a failure here is only a missed
      // head start; the filing that needs the block reserves it again and sees the error).
      if (!r.ahead && !r.reserving && b.last - b.next < NUMBER_BLOCK / 2) reserve(db, r, day).catch(() => {});
      return formatCaseNumber(day, b.next++);
    }
    if (r.ahead && r.ahead.day === day) {
      r.current = r.ahead;
      r.ahead = undefined;
      continue;
    }
    // A block of another day (filings either side of midnight) is dropped, and one of this day
    // reserved; a reservation in flight for another day loops once more.
    r.ahead = undefined;
    await (r.reserving ?? reserve(db, r, day));
  }
}

/**
 * Gives back numbers handed out and not used (a batch's refused filings, cases/filing.ts): those
 * at the end of what this process has handed out are handed out again; any other is skipped.
 */
export function giveBackCaseNumbers(db: Db, numbers: string[]): void {
  const b = reserved.get(db)?.current;
  for (const n of [...numbers].reverse()) {
    if (!b || formatCaseNumber(b.day, b.next - 1) !== n) return;
    b.next--;
  }
}
