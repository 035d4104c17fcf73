// Every date and time the client shows is written here, always in the city's zone (Asia/Shanghai)
// with zh-CN conventions (the long date and "minutes ago" in the interface's language), whatever zone the browser's machine is set to: a wall screen's PC or a
// visiting laptop may be on UTC or anything else, and a day or an hour must read the same on all.
// Asia/Shanghai is UTC+8 all year (no daylight saving since 1991), so the fields are read off the
// UTC clock shifted by eight hours, with no dependence on the browser's time-zone data.
import { t } from '../i18n';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const pad2 = (n: number) => String(n).padStart(2, '0');
const valid = (d: Date) => Number.isFinite(d.getTime());

/** The Asia/Shanghai wall-clock fields of `d` (weekday: 0 = Sunday). */
export function shanghaiParts(d: Date | string): { year: number; month: number; day: number; weekday: number; hour: number; minute: number; second: number } {
  const s = new Date(new Date(d).getTime() + SHANGHAI_OFFSET_MS);
  return {
    year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), weekday: s.getUTCDay(),
    hour: s.getUTCHours(), minute: s.getUTCMinutes(), second: s.getUTCSeconds(),
  };
}

/** The Asia/Shanghai calendar date as YYYY-MM-DD (the day the server's KPI routes count by). */
export function shanghaiDate(d: Date | string): string {
  const p = shanghaiParts(d);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** HH:MM in Asia/Shanghai. */
export function shanghaiHhmm(d: Date | string): string {
  const p = shanghaiParts(d);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** HH:MM:SS in Asia/Shanghai (the wall clock). */
export function shanghaiHhmmss(d: Date | string): string {
  const p = shanghaiParts(d);
  return `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** The long date with its weekday: 2026年3月2日 星期一, in English Monday 2 March 2026. */
export function shanghaiLongDate(d: Date | string): string {
  const p = shanghaiParts(d);
  return t('shell.date.long', {
    year: p.year, month: t(`shell.date.months.m${p.month}`), day: p.day, weekday: t(`shell.date.weekdays.d${p.weekday}`),
  });
}

/** Date and minute, ISO-like: 2026-03-02 00:05. */
export function shanghaiDateHhmm(d: Date | string): string {
  return `${shanghaiDate(d)} ${shanghaiHhmm(d)}`;
}

/**
 * A date and time as zh-CN writes it (toLocaleString), 24-hour: 2026/3/5 08:07:09; with `short`,
 * the month, day and minute only: 3/5 08:07.
 */
export function formatShanghai(d: Date | string, short = false): string {
  const p = shanghaiParts(d);
  return short
    ? `${p.month}/${p.day} ${pad2(p.hour)}:${pad2(p.minute)}`
    : `${p.year}/${p.month}/${p.day} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** A timestamp for tables and timelines, fixed width: 2025/10/20 14:03:12 ('—' when missing or invalid). */
export function formatDateTime(iso: string | Date | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || !valid(d)) return '—';
  const p = shanghaiParts(d);
  return `${p.year}/${pad2(p.month)}/${pad2(p.day)} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** Whole minutes from `at` to `now` (0 when `at` is in the future). */
export function minutesSince(at: Date | string, now: Date | number = Date.now()): number {
  return Math.max(0, Math.floor((new Date(now).getTime() - new Date(at).getTime()) / 60_000));
}

/** How long ago, in minutes: "3 分钟前", "3 minutes ago" ("刚刚", "just now" under a minute). */
export function minutesAgo(at: Date | string, now: Date | number = Date.now()): string {
  const m = minutesSince(at, now);
  return m < 1 ? t('shell.date.justNow') : t('shell.date.minutesAgo', { n: m }, m);
}

/**
 * The instant an <input type="datetime-local"> value (YYYY-MM-DDTHH:MM[:SS]) names, read as
 * Asia/Shanghai wall time, as an ISO string; null when it is not a real date and time.
 */
export function shanghaiLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
  // Date.UTC rolls 31 February into March: only a date that reads back the same is real.
  const p = shanghaiParts(new Date(t));
  if (p.year !== y || p.month !== mo || p.day !== d || p.hour !== h || p.minute !== mi) return null;
  return new Date(t).toISOString();
}
