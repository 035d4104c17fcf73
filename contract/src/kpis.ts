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

export const kpiTrendPoint = z.object({
  /** YYYY-MM-DD, an Asia/Shanghai day. */
  day: z.string(),
  /** Cases filed that day in the unit (what GET /api/kpis?from=day&to=day counts as `cases`). */
  cases: z.number(),
});
export type KpiTrendPoint = z.infer<typeof kpiTrendPoint>;

/** GET /api/kpis/trend */
export const kpiTrendResponse = z.object({
  level: z.enum(KPI_LEVELS),
  id: z.number().nullable(),
  name: z.string(),
  days: z.array(kpiTrendPoint),
});
export type KpiTrendResponse = z.infer<typeof kpiTrendResponse>;

export const kpiStat = z.object({ mean: z.number().nullable(), p90: z.number().nullable() });
export type Stat = z.infer<typeof kpiStat>;

export const kpiFigures = z.object({
  /** Cases filed in the period. */
  cases: z.number(),
  closed: z.number(),
  /** Not closed, rejected or duplicate — now, whatever the period. */
  open: z.number(),
  /** Open, before resolution, and past the running stage's deadline — now. */
  overdue: z.number(),
  in_grid_rate: z.number().nullable(),
  in_community_rate: z.number().nullable(),
  response_rate: z.number().nullable(),
  resolution_rate: z.number().nullable(),
  satisfaction_rate: z.number().nullable(),
  on_time_rate: z.number().nullable(),
  /** Dispatch → first claim, minutes. */
  response_minutes: kpiStat,
  /** Filing → resolution, hours. */
  resolution_hours: kpiStat,
  /** Whistle (吹哨) → the unit reports in (报到), minutes. */
  whistle_report_minutes: kpiStat,
  /** Numerators and denominators behind the rates. */
  counts: z.record(z.string(), z.number()),
});
export type Kpis = z.infer<typeof kpiFigures>;

export const kpiUnit = kpiFigures.extend({
  id: z.number(),
  name: z.string(),
  /** Σ weight × rate ÷ Σ weight over the rates that have a denominator, 0–100; null when none has. */
  score: z.number().nullable(),
  /** 1 = best score among the units listed. */
  rank: z.number().nullable(),
});
export type KpiUnit = z.infer<typeof kpiUnit>;

/** GET /api/kpis */
export const kpiResponse = z.object({
  level: z.enum(KPI_LEVELS),
  id: z.number().nullable(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  weights: z.record(z.enum(KPI_RATES), z.number()),
  total: kpiFigures,
  group: z.enum(KPI_GROUPS).nullable(),
  units: z.array(kpiUnit),
});
export type KpiResponse = z.infer<typeof kpiResponse>;
