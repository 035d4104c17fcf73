// Stage clocks. A category either counts calendar time or office hours only: Monday to Friday,
// 08:30–12:00 and 14:30–18:00 in Asia/Shanghai (UTC+8 all year, no daylight saving), i.e. 420
// working minutes a day. Public holidays and swapped working weekends (调休) are not modelled.
// Pure functions of their arguments, so tests can give any "now".
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SHANGHAI = 8 * 60 * MINUTE;
/** Office windows as [start, end) minutes after local midnight. */
const WINDOWS: readonly [number, number][] = [[8 * 60 + 30, 12 * 60], [14 * 60 + 30, 18 * 60]];
/** A bound on the search (ten years of days); limits are at most weeks. */
const MAX_DAYS = 3660;

function* windowsFrom(localMs: number): Generator<[number, number]> {
  let day = Math.floor(localMs / DAY) * DAY;
  for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
    const dow = new Date(day).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    for (const [a, b] of WINDOWS) yield [day + a * MINUTE, day + b * MINUTE];
  }
}

/** The moment `minutes` office minutes after `start` (a start outside office hours waits for the next window). */
export function addWorkingMinutes(start: Date, minutes: number): Date {
  if (minutes <= 0) return new Date(start);
  const t = start.getTime() + SHANGHAI;
  let remaining = minutes * MINUTE;
  for (const [ws, we] of windowsFrom(t)) {
    const from = Math.max(t, ws);
    if (from >= we) continue;
    if (remaining <= we - from) return new Date(from + remaining - SHANGHAI);
    remaining -= we - from;
  }
  throw new Error(`addWorkingMinutes: ${minutes} minutes is beyond the calendar searched`);
}

/** Office minutes between two moments (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date): number {
  const a = from.getTime() + SHANGHAI;
  const b = to.getTime() + SHANGHAI;
  if (b <= a) return 0;
  let total = 0;
  for (const [ws, we] of windowsFrom(a)) {
    if (ws >= b) break;
    total += Math.max(0, Math.min(we, b) - Math.max(ws, a));
  }
  return total / MINUTE;
}

/** The moment a share (0–1) of a stage's limit has passed, in the category's kind of time. */
export function stageMoment(start: Date, limitMinutes: number, share: number, workingHours: boolean): Date {
  const minutes = limitMinutes * share;
  return workingHours ? addWorkingMinutes(start, minutes) : new Date(start.getTime() + minutes * MINUTE);
}
