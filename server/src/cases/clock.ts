// Stage clocks. A category either counts calendar time or office hours only: Monday to Friday,
// 08:30–12:00 and 14:30–18:00 in Asia/Shanghai (UTC+8 all year, no daylight saving), i.e. 420
// working minutes a day. Public holidays and swapped working weekends (调休) are not modelled.
// Pure functions of their arguments, so tests can give any "now".
import type { CaseStage } from '@grid-atlas/contract';
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

export interface StageColumns {
  stage_started_at: Date | null;
  stage_limit_minutes: number | null;
  stage_warning: number;
  next_check_at: Date | null;
  /** the deadline column of the stage that starts, and its value */
  deadline?: [column: `${CaseStage}_deadline`, at: Date];
}

export interface CategoryClock {
  working_hours: boolean;
  limits: Record<CaseStage, number>;
}

/** The clock columns when `stage` starts at `now` (or stops, for null). */
export function startStage(clock: CategoryClock, stage: CaseStage | null, now: Date, cap?: Date | null): StageColumns {
  if (!stage) return { stage_started_at: null, stage_limit_minutes: null, stage_warning: 0, next_check_at: null };
  const limit = clock.limits[stage];
  let deadline = stageMoment(now, limit, 1, clock.working_hours);
  if (cap && cap < deadline) deadline = cap;
  const first = stageMoment(now, limit, 0.75, clock.working_hours);
  return {
    stage_started_at: now, stage_limit_minutes: limit, stage_warning: 0,
    next_check_at: first < deadline ? first : deadline,
    deadline: [`${stage}_deadline`, deadline],
  };
}
