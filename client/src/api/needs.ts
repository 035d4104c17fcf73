// The needs list (居民需求清单): server/src/routes/needs.ts, through the typed `hc` client: bodies
// and answers are the contract's types; the server scopes every answer and checks every step, the
// client only offers the steps the contract's chain gives the user's role (needActionsFor).
import type { NeedActionBody, NeedDetail, NeedPage, NeedStatus, NeedSummaryRow, NewNeedInput, UnitSuggestion } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';
import { IDEMPOTENCY_HEADER, withRetries } from './idempotency';

export type { NeedDetail, NeedPage } from '@grid-atlas/contract';

export interface NeedFilter { status?: NeedStatus[]; community?: number; stalled?: boolean; limit?: number }

/** The list route's query parameters; unset filters left out. */
export function needQueryParams(filter: NeedFilter): Record<string, string> {
  const p: Record<string, string> = {};
  if (filter.status?.length) p.status = filter.status.join(',');
  if (filter.community) p.community = String(filter.community);
  if (filter.stalled) p.stalled = '1';
  if (filter.limit !== undefined) p.limit = String(filter.limit);
  return p;
}

/** The query string the list route (and its export) takes; unset filters left out. */
export function needQueryString(filter: NeedFilter): string {
  const s = new URLSearchParams(needQueryParams(filter)).toString();
  return s ? `?${s}` : '';
}

export function fetchNeeds(filter: NeedFilter = {}): Promise<NeedPage> {
  return readJson(api.needs.$get({ query: needQueryParams({ ...filter, limit: filter.limit ?? 200 }) }));
}

export async function fetchNeedSummary(): Promise<NeedSummaryRow[]> {
  return (await readJson(api.needs.summary.$get({ query: {} }))).communities;
}

export function fetchNeed(id: number): Promise<NeedDetail> {
  return readJson(api.needs[':id'].$get({ param: { id: String(id) }, query: {} }));
}

/** Gathers a need under the submission's Idempotency-Key, sent again with it when the answer is lost. */
export function gatherNeed(body: NewNeedInput, key: string): Promise<NeedDetail> {
  return withRetries(() => readJson(api.needs.$post({ json: body }, { headers: { [IDEMPOTENCY_HEADER]: key } })));
}

export function actOnNeed(id: number, body: NeedActionBody): Promise<NeedDetail> {
  return readJson(api.needs[':id'].actions.$post({ param: { id: String(id) }, json: body }));
}

export async function fetchNeedSuggestions(id: number): Promise<UnitSuggestion[]> {
  return (await readJson(api.needs[':id'].suggestions.$get({ param: { id: String(id) }, query: {} }))).suggestions;
}
