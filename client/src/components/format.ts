// Number formatting for the UI (zh-CN grouping: 95,402).
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
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

/** A timestamp in the viewer's local time: "2025/10/20 14:03:12". */
export function formatDateTime(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  return d && Number.isFinite(d.getTime()) ? dateTime.format(d) : '—';
}
