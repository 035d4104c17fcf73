// The needs list (居民需求清单): server/src/routes/needs.ts. Bodies and rows are the contract's
// types; the server scopes every answer and checks every step, the client only offers the
// steps the contract's chain gives the user's role (needActionsFor).
import type { NeedActionBody, NeedRow, NeedStatus, NeedStep, NeedSummaryRow, NewNeedInput, UnitSuggestion } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson as json } from './http';
import { IDEMPOTENCY_HEADER, withRetries } from './idempotency';

const call = fetchWith();

export interface NeedDetail { need: NeedRow; steps: NeedStep[] }

export interface NeedFilter { status?: NeedStatus[]; community?: number; stalled?: boolean; limit?: number }

/** The query string the list route (and its export) takes; unset filters left out. */
export function needQueryString(filter: NeedFilter): string {
  const p = new URLSearchParams();
  if (filter.status?.length) p.set('status', filter.status.join(','));
  if (filter.community) p.set('community', String(filter.community));
  if (filter.stalled) p.set('stalled', '1');
  if (filter.limit !== undefined) p.set('limit', String(filter.limit));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function fetchNeeds(filter: NeedFilter = {}): Promise<{ needs: NeedRow[]; total: number }> {
  return json(call(`/api/needs${needQueryString({ ...filter, limit: filter.limit ?? 200 })}`));
}

export async function fetchNeedSummary(): Promise<NeedSummaryRow[]> {
  return (await json<{ communities: NeedSummaryRow[] }>(call('/api/needs/summary'))).communities;
}

export function fetchNeed(id: number): Promise<NeedDetail> {
  return json(call(`/api/needs/${id}`));
}

/** Gathers a need under the submission's Idempotency-Key, sent again with it when the answer is lost. */
export function gatherNeed(body: NewNeedInput, key: string): Promise<NeedDetail> {
  return withRetries(() => json(call('/api/needs', { method: 'POST', headers: { [IDEMPOTENCY_HEADER]: key }, body: JSON.stringify(body) })));
}

export function actOnNeed(id: number, body: NeedActionBody): Promise<NeedDetail> {
  return json(call(`/api/needs/${id}/actions`, { method: 'POST', body: JSON.stringify(body) }));
}

export async function fetchNeedSuggestions(id: number): Promise<UnitSuggestion[]> {
  return (await json<{ suggestions: UnitSuggestion[] }>(call(`/api/needs/${id}/suggestions`))).suggestions;
}
