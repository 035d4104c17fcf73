// Case KPIs (GET /api/kpis): one unit over a period, optionally with its units ranked.
import type { KpiGroup, KpiLevel, KpiResponse } from '@grid-atlas/contract';
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
  return (await readJson(api.kpis.$get({ query }, { init: { signal } }))) as KpiResponse;
}
