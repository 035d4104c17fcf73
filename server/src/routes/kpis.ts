// GET /api/kpis?level=city|subdistrict|community|grid|department&id=&from=&to=&group=…
// GET /api/kpis/trend?level=&id=&to=&days=: cases filed per day, for the command centre's trend.
// KPIs of one unit over a period, and with `group` its units ranked by the weighted score
// of the three-level evaluation. Without `level` the user's own area. A unit outside the
// user's area is a 404, as if it did not exist.
import { Hono } from 'hono';
import {
  kpiQuery, kpiTrendQuery, TREND_DEFAULT_DAYS, type KpiLevel, type KpiQuery, type KpiResponse, type KpiTrendQuery, type KpiTrendResponse,
} from '@grid-atlas/contract';
import type { User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { validQuery } from '../http/validate.ts';
import { KpiCache } from '../kpis/cache.ts';
import { computeKpis, computeTrend } from '../kpis/kpis.ts';
import { eventScope, visibleKpiUnit } from '../auth/scope.ts';

const DAY = 86_400_000;
export const MAX_KPI_DAYS = 366;

/** A date is a whole Asia/Shanghai day (`to` inclusive); an ISO time is an instant (`to` exclusive). */
export function parseInstant(text: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const d = new Date(`${text}T00:00:00+08:00`);
    return end ? new Date(d.getTime() + DAY) : d;
  }
  return new Date(text);
}

function ownUnit(u: User): { level: KpiLevel; id: number | null } {
  const s = eventScope(u);
  if (s.department !== null) return { level: 'department', id: s.department };
  if (s.city) return { level: 'city', id: null };
  if (s.subdistrict !== null) return { level: 'subdistrict', id: s.subdistrict };
  if (s.community !== null) return { level: 'community', id: s.community };
  return { level: 'grid', id: s.grid };
}

/**
 * The KPIs a user asked for (`GET /kpis`, and its export): the unit defaults to the user's own
 * area; a unit outside it is a 404, as if it did not exist. The same question from the same scope
 * while no case changed is answered from `cache` (kpis/cache.ts).
 */
/**
 * The unit a request names, within the user's area: without `level` the user's own area; a unit
 * outside it is a 404, as if it did not exist.
 */
async function resolveUnit(db: Db, u: User, q: { level?: KpiLevel; id?: number }) {
  const scope = eventScope(u);
  const own = ownUnit(u);
  const level = q.level ?? own.level;
  let id: number | null = q.id ?? null;
  if (level === 'city') {
    if (id !== null) throw badRequest('level=city 不带 id (level=city takes no id)');
  } else if (id === null) {
    if (own.level !== level) throw badRequest(`level=${level} 需要 id (level=${level} needs an id)`);
    id = own.id;
  }
  const name = await visibleKpiUnit(db, scope, level, id);
  if (name === null) {
    throw notFound(level === 'city' ? '不在您的辖区内 (outside your area): level=city' : `${level} ${id} 不存在 (no ${level} with id ${id})`);
  }
  return { scope, level, id, name };
}

/**
 * The KPIs a user asked for (`GET /kpis`, and its export): the unit defaults to the user's own
 * area; a unit outside it is a 404, as if it did not exist. The same question from the same scope
 * while no case changed is answered from `cache` (kpis/cache.ts).
 */
export async function userKpis(db: Db, cache: KpiCache<KpiResponse>, u: User, q: KpiQuery): Promise<KpiResponse> {
  const now = new Date();
  const to = q.to ? parseInstant(q.to, true) : now;
  const from = q.from ? parseInstant(q.from, false) : new Date(to.getTime() - 30 * DAY);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw badRequest('日期无效 (invalid date)');
  if (from >= to) throw badRequest('from 应早于 to (from must be before to)');
  if (to.getTime() - from.getTime() > MAX_KPI_DAYS * DAY) {
    throw badRequest(`时间段最长 ${MAX_KPI_DAYS} 天 (the period is at most ${MAX_KPI_DAYS} days)`);
  }
  const { scope, level, id, name } = await resolveUnit(db, u, q);
  // The answer of up to 10 s ago for the same question (a period that ends "now" then ends then).
  const key = JSON.stringify([scope, level, id, q.from ?? null, q.to ?? null, q.group ?? null]);
  return cache.get(key, () => computeKpis(db, scope, { level, id, name, from, to, group: q.group ?? null }, now));
}

/** The Asia/Shanghai calendar date of an instant, YYYY-MM-DD. */
function shanghaiDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Cases filed per Asia/Shanghai day (`GET /kpis/trend`): `days` days ending on `to` (default
 * today), within the user's area like GET /kpis. One query for the whole series.
 */
export async function userTrend(db: Db, u: User, q: KpiTrendQuery): Promise<KpiTrendResponse> {
  const last = q.to ?? shanghaiDay(new Date());
  const end = parseInstant(last, true);
  if (Number.isNaN(end.getTime()) || shanghaiDay(new Date(end.getTime() - DAY)) !== last) throw badRequest(`to: 日期无效 (invalid date): ${last}`);
  const days = q.days ?? TREND_DEFAULT_DAYS;
  const { scope, level, id, name } = await resolveUnit(db, u, q);
  const first = shanghaiDay(new Date(end.getTime() - days * DAY));
  return { level, id, name, days: await computeTrend(db, scope, level, id, first, last) };
}

export function kpiRoutes(db: Db, cache = new KpiCache<KpiResponse>(db)) {
  return new Hono<AppEnv>()
    .get('/kpis', validQuery(kpiQuery), async (c) => {
      const kpis = await userKpis(db, cache, c.get('user'), c.req.valid('query'));
      c.header('Cache-Control', 'private, no-cache');
      return c.json<KpiResponse>(kpis);
    })
    .get('/kpis/trend', validQuery(kpiTrendQuery), async (c) => {
      const trend = await userTrend(db, c.get('user'), c.req.valid('query'));
      c.header('Cache-Control', 'private, no-cache');
      return c.json<KpiTrendResponse>(trend);
    });
}
