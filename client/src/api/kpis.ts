// Case KPIs (GET /api/kpis): one unit over a period, optionally with its units ranked; and the
// daily filings of one unit (GET /api/kpis/trend).
import type { KpiGroup, KpiLevel, KpiResponse, KpiTrendResponse } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export interface KpiParams {
  level?: KpiLevel;
  id?: number;
  from?: string;
  to?: string;
  group?: KpiGroup;
}

export async function fetchKpis(params: KpiParams, signal?: AbortSignal): Promise<KpiResponse> {
  const { id, ...rest } = params;
  const query = { ...rest, ...(id === undefined ? {} : { id: String(id) }) };
  return readJson(api.kpis.$get({ query }, { init: { signal } }));
}

/**
 * Cases filed per Asia/Shanghai day in one unit (GET /api/kpis/trend), the last `days` days up to
 * today, oldest first: the command centre's trend in one request.
 */
export async function fetchKpiTrend(params: { level?: KpiLevel; id?: number; days?: number }, signal?: AbortSignal): Promise<KpiTrendResponse> {
  const { id, days, ...rest } = params;
  const query = { ...rest, ...(id === undefined ? {} : { id: String(id) }), ...(days === undefined ? {} : { days: String(days) }) };
  return readJson(api.kpis.trend.$get({ query }, { init: { signal } }));
}
