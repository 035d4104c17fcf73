// GET /api/kpis: case KPIs for one unit and period, optionally broken down into ranked units
// (网格—社区—街道三级考评). Definitions in README.md ("Case KPIs").
import { z } from 'zod';
import { idParam } from './api/query.ts';

export const KPI_LEVELS = ['city', 'subdistrict', 'community', 'grid', 'department'] as const;
export type KpiLevel = (typeof KPI_LEVELS)[number];
export const KPI_GROUPS = ['subdistrict', 'community', 'grid', 'department'] as const;
export type KpiGroup = (typeof KPI_GROUPS)[number];

/** The rates a unit's score weighs (the rows of table kpi_weights). */
export const KPI_RATES = [
  'in_grid_rate', 'in_community_rate', 'response_rate', 'resolution_rate', 'satisfaction_rate', 'on_time_rate',
] as const;
export type KpiRate = (typeof KPI_RATES)[number];

const instant = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD 或 ISO 8601 时间 (a date YYYY-MM-DD or an ISO 8601 time)'),
  z.string().datetime({ offset: true, message: '日期应为 YYYY-MM-DD 或 ISO 8601 时间 (a date YYYY-MM-DD or an ISO 8601 time)' }),
]);

/** Query string: `from`/`to` are dates (Asia/Shanghai days, `to` inclusive) or ISO instants (`to` exclusive). */
export const kpiQuery = z.object({
  level: z.enum(KPI_LEVELS, { message: `level 应为 ${KPI_LEVELS.join('|')} (level must be one of ${KPI_LEVELS.join(', ')})` }).optional(),
  id: idParam.optional(),
  from: instant.optional(),
  to: instant.optional(),
  group: z.enum(KPI_GROUPS, { message: `group 应为 ${KPI_GROUPS.join('|')} (group must be one of ${KPI_GROUPS.join(', ')})` }).optional(),
}).strict();
export type KpiQuery = z.infer<typeof kpiQuery>;

/** Days a trend may span (GET /api/kpis/trend). */
export const TREND_MAX_DAYS = 90;
export const TREND_DEFAULT_DAYS = 30;

/**
 * GET /api/kpis/trend: cases filed per Asia/Shanghai day in one unit, `days` days ending on `to`
 * (a date, default today), oldest first; one point per day, days without cases included.
 */
export const kpiTrendQuery = z.object({
  level: kpiQuery.shape.level,
  id: idParam.optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'to 应为日期 YYYY-MM-DD (to must be a date YYYY-MM-DD)').optional(),
  days: z.string()
    .regex(/^[1-9]\d{0,2}$/, `days 应为 1–${TREND_MAX_DAYS} 的整数 (days must be a whole number from 1 to ${TREND_MAX_DAYS})`)
    .transform(Number)
    .refine((n) => n <= TREND_MAX_DAYS, `days 最多 ${TREND_MAX_DAYS} (days is at most ${TREND_MAX_DAYS})`)
    .optional(),
}).strict();
export type KpiTrendQuery = z.infer<typeof kpiTrendQuery>;

export interface KpiTrendPoint {
  /** YYYY-MM-DD, an Asia/Shanghai day. */
  day: string;
  /** Cases filed that day in the unit (what GET /api/kpis?from=day&to=day counts as `cases`). */
  cases: number;
}

export interface KpiTrendResponse {
  level: KpiLevel;
  id: number | null;
  name: string;
  days: KpiTrendPoint[];
}

export interface Stat {
  mean: number | null;
  p90: number | null;
}

export interface Kpis {
  /** Cases filed in the period. */
  cases: number;
  closed: number;
  /** Not closed, rejected or duplicate — now, whatever the period. */
  open: number;
  /** Open, before resolution, and past the running stage's deadline — now. */
  overdue: number;
  in_grid_rate: number | null;
  in_community_rate: number | null;
  response_rate: number | null;
  resolution_rate: number | null;
  satisfaction_rate: number | null;
  on_time_rate: number | null;
  /** Dispatch → first claim, minutes. */
  response_minutes: Stat;
  /** Filing → resolution, hours. */
  resolution_hours: Stat;
  /** Whistle (吹哨) → the unit reports in (报到), minutes. */
  whistle_report_minutes: Stat;
  /** Numerators and denominators behind the rates. */
  counts: Record<string, number>;
}

export interface KpiUnit extends Kpis {
  id: number;
  name: string;
  /** Σ weight × rate ÷ Σ weight over the rates that have a denominator, 0–100; null when none has. */
  score: number | null;
  /** 1 = best score among the units listed. */
  rank: number | null;
}

export interface KpiResponse {
  level: KpiLevel;
  id: number | null;
  name: string;
  from: string;
  to: string;
  weights: Record<KpiRate, number>;
  total: Kpis;
  group: KpiGroup | null;
  units: KpiUnit[];
}
