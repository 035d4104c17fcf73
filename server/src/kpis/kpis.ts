// Case KPIs in SQL (definitions in README.md, "Case KPIs"). One query aggregates the cases
// filed in the period — per unit when a breakdown is asked for — from their rows alone (the
// first accept, dispatch and claim are columns of the row, kept from the events by a trigger),
// so the cost grows with the cases in the period, not with their events. Open and overdue are
// counted now, over all cases. The area a user may see is part of every WHERE clause.
//
// Column and table names below come from fixed maps keyed by validated enums; user input
// only ever reaches the SQL as parameters.
import { KPI_RATES, OPEN_STATUSES, type KpiGroup, type KpiLevel, type KpiRate, type Kpis, type KpiResponse, type KpiUnit } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import { eventScopeParams, kpiScopeSql, type EventScope } from '../auth/scope.ts';

const UNIT_COLUMN: Record<Exclude<KpiLevel, 'city'>, string> = {
  subdistrict: 'subdistrict_id', community: 'community_id', grid: 'grid_id', department: 'assigned_department_id',
};
const UNIT_TABLE: Record<Exclude<KpiLevel, 'city'>, string> = {
  subdistrict: 'subdistricts', community: 'communities', grid: 'grids', department: 'departments',
};

/** The open statuses as an SQL list (constants of the contract, not input). */
const OPEN_IN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

// Each case's facts, worked out once: what the aggregates below count, sum and rank. The
// aggregates name these columns instead of repeating the expressions, which PostgreSQL would
// evaluate once per aggregate (18 of them) for every case. Times are date_part(), a float8:
// extract() returns numeric since PostgreSQL 14, and numeric arithmetic, averages and
// percentiles over 10,000 cases cost a third of the query. $1 from, $2 to, $3 now.
const caseFacts = `
  c.created_at >= $1 AND c.created_at < $2 AS p,
  c.status = 'closed' AS closed,
  c.status NOT IN ('closed', 'rejected', 'duplicate') AS open,
  c.status IN (${OPEN_IN}) AND c.deadline < $3 AS overdue,
  c.max_level, c.claim_deadline, c.handling_deadline, c.resolved_at, c.rating,
  c.dispatched_at, c.claimed_at, c.accepted_at, c.auto_escalated,
  date_part('epoch', c.claimed_at - c.dispatched_at) / 60 AS response_minutes,
  date_part('epoch', c.resolved_at - c.created_at) / 3600 AS resolution_hours`;

// Over caseFacts; p marks the cases filed in the period, open and overdue count whatever the period.
const aggregates = `
  count(*) FILTER (WHERE p) AS cases,
  count(*) FILTER (WHERE p AND closed) AS closed,
  count(*) FILTER (WHERE p AND closed AND max_level = 'grid') AS closed_in_grid,
  count(*) FILTER (WHERE p AND closed AND max_level IN ('grid', 'community')) AS closed_in_community,
  count(*) FILTER (WHERE p AND dispatched_at IS NOT NULL AND (claimed_at IS NOT NULL OR claim_deadline < $3)) AS dispatched_due,
  count(*) FILTER (WHERE p AND claimed_at IS NOT NULL AND claimed_at <= claim_deadline) AS responded_on_time,
  count(*) FILTER (WHERE p AND accepted_at IS NOT NULL) AS accepted,
  count(*) FILTER (WHERE p AND accepted_at IS NOT NULL AND resolved_at IS NOT NULL) AS resolved,
  count(*) FILTER (WHERE p AND rating IS NOT NULL) AS rated,
  count(*) FILTER (WHERE p AND rating >= 4) AS satisfied,
  count(*) FILTER (WHERE p AND closed AND NOT auto_escalated
                     AND (handling_deadline IS NULL OR resolved_at <= handling_deadline)) AS closed_on_time,
  count(*) FILTER (WHERE p AND overdue) AS open_overdue_in_period,
  count(*) FILTER (WHERE open) AS open,
  count(*) FILTER (WHERE overdue) AS overdue,
  avg(response_minutes) FILTER (WHERE p) AS response_mean,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY response_minutes) FILTER (WHERE p) AS response_p90,
  avg(resolution_hours) FILTER (WHERE p) AS resolution_mean,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_hours) FILTER (WHERE p) AS resolution_p90`;

// Always true; names every parameter so Postgres can type the ones a level does not use.
const TYPE_ALL = '$3::timestamptz IS NOT NULL AND ($4::int IS NULL OR true)';

/**
 * The grouping: with a breakdown, one row per unit and the total (`total`), in one pass over the
 * cases (GROUPING SETS: percentiles do not add up, so the total is aggregated, not summed, and
 * a second query for it would read every case again).
 */
function grouping(key: string | null) {
  return key
    ? { select: `${key} AS unit, GROUPING(${key}) = 1 AS total`, groupBy: `GROUP BY GROUPING SETS ((${key}), ())` }
    : { select: 'NULL::int AS unit, true AS total', groupBy: '' };
}

function casesSql(level: KpiLevel, group: KpiGroup | null) {
  const unit = level === 'city' ? 'true' : `c.${UNIT_COLUMN[level]} = $4::int`;
  const g = grouping(group ? 'k.unit' : null);
  // The cases filed in the period and those open now. OFFSET 0 keeps the planner from merging
  // the subquery into the aggregation, which would put caseFacts' expressions back into each
  // aggregate that names them.
  const sql = `
    SELECT ${g.select}, ${aggregates}
      FROM (SELECT ${group ? `c.${UNIT_COLUMN[group]}` : 'NULL::int'} AS unit, ${caseFacts}
              FROM cases c
             WHERE ${unit} AND ${kpiScopeSql(5)} AND ${TYPE_ALL}
               AND ((c.created_at >= $1 AND c.created_at < $2) OR c.status NOT IN ('closed', 'rejected', 'duplicate'))
            OFFSET 0) k
     ${g.groupBy}`;
  // The units' names come with their rows (one round trip less than asking for them after).
  return group ? `SELECT a.*, u.name FROM (${sql}) a LEFT JOIN ${UNIT_TABLE[group]} u ON u.id = a.unit` : sql;
}

function whistleSql(level: KpiLevel, group: KpiGroup | null) {
  // A whistle carries its case's filing time and area (migration 0019), so the whistles are
  // aggregated without reading the cases. For departments the unit of a whistle is the
  // department whistled, not the one assigned.
  const column = (l: Exclude<KpiLevel, 'city'>) => (l === 'department' ? 'w.department_id' : `w.${UNIT_COLUMN[l]}`);
  const unit = level === 'city' ? 'true' : `${column(level)} = $4::int`;
  const g = grouping(group ? column(group) : null);
  const scope = kpiScopeSql(5, 'w', 'department_id');
  return `
    SELECT ${g.select},
           avg(date_part('epoch', w.reported_at - w.whistled_at) / 60) AS mean,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY date_part('epoch', w.reported_at - w.whistled_at) / 60) AS p90
      FROM case_whistles w
     WHERE ${unit} AND ${scope} AND w.case_created_at >= $1 AND w.case_created_at < $2 AND w.reported_at IS NOT NULL
       AND ${TYPE_ALL}
     ${g.groupBy}`;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const round = (x: number | null, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));

function toKpis(r: any | undefined, w: any | undefined): Kpis {
  const n = (k: string) => Number(r?.[k] ?? 0);
  const onTimeDen = n('closed') + n('open_overdue_in_period');
  return {
    cases: n('cases'), closed: n('closed'), open: n('open'), overdue: n('overdue'),
    in_grid_rate: rate(n('closed_in_grid'), n('closed')),
    in_community_rate: rate(n('closed_in_community'), n('closed')),
    response_rate: rate(n('responded_on_time'), n('dispatched_due')),
    resolution_rate: rate(n('resolved'), n('accepted')),
    satisfaction_rate: rate(n('satisfied'), n('rated')),
    on_time_rate: rate(n('closed_on_time'), onTimeDen),
    response_minutes: { mean: round(r?.response_mean ?? null), p90: round(r?.response_p90 ?? null) },
    resolution_hours: { mean: round(r?.resolution_mean ?? null), p90: round(r?.resolution_p90 ?? null) },
    whistle_report_minutes: { mean: round(w?.mean ?? null), p90: round(w?.p90 ?? null) },
    counts: {
      closed_in_grid: n('closed_in_grid'), closed_in_community: n('closed_in_community'),
      dispatched_due: n('dispatched_due'), responded_on_time: n('responded_on_time'),
      accepted: n('accepted'), resolved: n('resolved'), rated: n('rated'), satisfied: n('satisfied'),
      closed_on_time: n('closed_on_time'), on_time_denominator: onTimeDen,
    },
  };
}

/** Σ weight × rate ÷ Σ weight over the rates that are defined, as 0–100. */
export function score(k: Kpis, weights: Record<KpiRate, number>): number | null {
  let sum = 0;
  let total = 0;
  for (const r of KPI_RATES) {
    const v = k[r];
    if (v === null || !(weights[r] > 0)) continue;
    sum += weights[r] * v;
    total += weights[r];
  }
  return total > 0 ? round((100 * sum) / total, 2) : null;
}

export async function readWeights(db: Db): Promise<Record<KpiRate, number>> {
  const { rows } = await db.query<{ kpi: KpiRate; weight: number }>('SELECT kpi, weight FROM kpi_weights');
  const weights = Object.fromEntries(KPI_RATES.map((r) => [r, 0])) as Record<KpiRate, number>;
  for (const r of rows) weights[r.kpi] = Number(r.weight);
  return weights;
}

export interface KpiRequest {
  level: KpiLevel;
  id: number | null;
  name: string;
  from: Date;
  to: Date;
  group: KpiGroup | null;
}

/** One row of the aggregate queries above: the unit's id (and name), whether it is the total, and its counts and times. */
type AggregateRow = { unit: number | null; name?: string | null; total: boolean } & Record<string, any>;

export async function computeKpis(db: Db, scope: EventScope, q: KpiRequest, now = new Date()): Promise<KpiResponse> {
  const params = [q.from, q.to, now, q.id, ...eventScopeParams(scope)];
  const [all, allWhistles, weights] = await Promise.all([
    db.query<AggregateRow>(casesSql(q.level, q.group), params),
    db.query<AggregateRow>(whistleSql(q.level, q.group), params),
    readWeights(db),
  ]);
  const total = toKpis(all.rows.find((r) => r.total), allWhistles.rows.find((r) => r.total));
  const cases = { rows: all.rows.filter((r) => !r.total) };
  const whistles = { rows: allWhistles.rows.filter((r) => !r.total) };

  let units: KpiUnit[] = [];
  if (q.group) {
    const byUnit = new Map(whistles.rows.map((w) => [w.unit, w]));
    units = cases.rows
      .filter((r) => r.unit !== null)
      .map((r) => {
        const k = toKpis(r, byUnit.get(r.unit));
        return { id: r.unit as number, name: r.name ?? String(r.unit), ...k, score: score(k, weights), rank: null };
      });
    units.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.id - b.id);
    let rank = 0;
    let prev: number | null | undefined;
    units.forEach((u, i) => {
      if (u.score === null) return;
      if (u.score !== prev) rank = i + 1;
      prev = u.score;
      u.rank = rank;
    });
  }
  return {
    level: q.level, id: q.id, name: q.name, from: q.from.toISOString(), to: q.to.toISOString(),
    weights, total, group: q.group, units,
  };
}

/**
 * Cases filed per Asia/Shanghai day from `first` to `last` (dates, inclusive) in one unit within
 * the user's scope, oldest first, days without cases as 0: the same cases GET /kpis counts as
 * `cases` for a one-day period.
 */
export async function computeTrend(db: Db, scope: EventScope, level: KpiLevel, id: number | null, first: string, last: string) {
  const unit = level === 'city' ? '$3::int IS NULL OR true' : `c.${UNIT_COLUMN[level]} = $3::int`;
  const { rows } = await db.query<{ day: string; cases: number }>(
    `WITH k AS (
       SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n
         FROM cases c
        WHERE c.created_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai')
          AND c.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
          AND (${unit}) AND ${kpiScopeSql(4)}
        GROUP BY 1)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(k.n, 0)::int AS cases
       FROM (SELECT generate_series($1::date, $2::date, interval '1 day')::date AS day) d
       LEFT JOIN k ON k.day = d.day
      ORDER BY d.day`,
    [first, last, id, ...eventScopeParams(scope)]);
  return rows.map((r) => ({ day: r.day, cases: Number(r.cases) }));
}
