// Number formatting for the UI (zh-CN grouping: 95,402). Dates and times: time/format.ts.
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const dec2 = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatInt(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : int.format(n);
}

export function formatKm2(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : dec2.format(n);
}

export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}

/** A percentage the server already computed (0–100), one decimal: "49.5%"; none is "—". */
export function formatPct(v: number | null | undefined): string {
  return v == null ? '—' : `${v.toFixed(1)}%`;
}

/** A progress bar's CSS width for a percentage, held to 0–100 %. */
export function barWidth(v: number | null | undefined): string {
  return `${Math.max(0, Math.min(100, v ?? 0))}%`;
}
