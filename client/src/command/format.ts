// How the command centre writes its figures: one place, so the browser test can hold the page's
// text against the API's numbers written the same way. Dates and times are written in time/format.ts.
import { t } from '../i18n';

/** A 0–1 rate as a percentage with one decimal ('—' when it has no denominator). */
export function pct(rate: number | null | undefined): string {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A mean duration in minutes: minutes up to two hours, hours (one decimal) beyond. */
export function duration(minutes: number | null | undefined): { value: string; unit: string } {
  if (minutes == null) return { value: '—', unit: '' };
  if (minutes < 120) return { value: String(Math.round(minutes)), unit: t('command.unit.minutes') };
  return { value: (minutes / 60).toFixed(1), unit: t('command.unit.hours') };
}

/** A 0–100 score with one decimal. */
export function score(s: number | null | undefined): string {
  return s == null ? '—' : s.toFixed(1);
}
