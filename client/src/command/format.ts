// How the command centre writes its figures: one place, so the browser test can hold the page's
// text against the API's numbers written the same way.

/** A 0–1 rate as a percentage with one decimal ('—' when it has no denominator). */
export function pct(rate: number | null | undefined): string {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A mean duration in minutes: minutes up to two hours, hours (one decimal) beyond. */
export function duration(minutes: number | null | undefined): { value: string; unit: string } {
  if (minutes == null) return { value: '—', unit: '' };
  if (minutes < 120) return { value: String(Math.round(minutes)), unit: '分钟' };
  return { value: (minutes / 60).toFixed(1), unit: '小时' };
}

/** A 0–100 score with one decimal. */
export function score(s: number | null | undefined): string {
  return s == null ? '—' : s.toFixed(1);
}

/** The Asia/Shanghai calendar date of `d` as YYYY-MM-DD (the KPI route's day). */
export function shanghaiDate(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The Asia/Shanghai wall-clock fields of `d`, whatever the browser's own time zone: a wall screen's
 * PC may be set to UTC or anything else, the centre always shows the city's time.
 */
export function shanghaiParts(d: Date): { year: number; month: number; day: number; weekday: number; hour: number; minute: number; second: number } {
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return {
    year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), weekday: s.getUTCDay(),
    hour: s.getUTCHours(), minute: s.getUTCMinutes(), second: s.getUTCSeconds(),
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** HH:MM in Asia/Shanghai. */
export function shanghaiHhmm(d: Date | string): string {
  const p = shanghaiParts(new Date(d));
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** A date and time in Asia/Shanghai, zh-CN, 24-hour: 2026/3/5 08:07:09 (without seconds: 3/5 08:07 with `short`). */
export function formatShanghai(d: Date | string, short = false): string {
  const p = shanghaiParts(new Date(d));
  return short
    ? `${p.month}/${p.day} ${pad2(p.hour)}:${pad2(p.minute)}`
    : `${p.year}/${p.month}/${p.day} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}
