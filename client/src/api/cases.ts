// Live cases (诉求/事件): the list, one case with its timeline, actions, filing with photos, and
// the category catalogue (server/src/routes/cases.ts). The server scopes every answer and decides
// which actions a user may take now (the contract's allowedActions, returned as allowed_actions);
// the client only shows them.
//
// These calls go through the typed `hc` client (api/client.ts) and so through http.ts's fetch
// (CSRF header, 401 handling, ApiError); requests and answers are the contract's types.
import type {
  CaseActionBody,
  CaseActionResponse,
  CaseCategory,
  CaseCounts,
  CaseDeliberation,
  CaseLevel,
  CasePage,
  CasePartBody,
  CasePartsResponse,
  CasePartyMember,
  CaseDetail,
  CaseStatus,
  Department,
  DeliberationStepBody,
  FiledCase,
  NewCaseBody,
  UnitSuggestion,
} from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';
import { IDEMPOTENCY_HEADER, withRetries } from './idempotency';

export type {
  CaseAction, CaseActionBody, CaseCategory, CaseDetail, CaseEvent, CasePage, CasePartyMember, CasePhoto, CaseRow, CaseStatus,
  CaseWhistle, FiledCase, UnitSuggestion, CaseSummary, NewCaseBody,
} from '@grid-atlas/contract';

export interface CaseQuery {
  status?: readonly CaseStatus[];
  category?: string;
  level?: CaseLevel;
  overdue?: boolean;
  q?: string;
  /** Only the cases of one area (the route checks it is in the user's scope). */
  subdistrict?: number;
  community?: number;
  grid?: number;
  limit?: number;
  offset?: number;
}

export type { Department } from '@grid-atlas/contract';

/** The list route's query parameters (unset filters left out; overdue only when asked). */
export function caseQueryParams(query: CaseQuery): Record<string, string> {
  const p: Record<string, string> = {};
  if (query.status?.length) p.status = query.status.join(',');
  if (query.category) p.category = query.category;
  if (query.level) p.level = query.level;
  if (query.overdue) p.overdue = 'true';
  const text = query.q?.trim();
  if (text) p.q = text.slice(0, 50);
  for (const k of ['subdistrict', 'community', 'grid'] as const) if (query[k] !== undefined) p[k] = String(query[k]);
  if (query.limit !== undefined) p.limit = String(query.limit);
  if (query.offset) p.offset = String(query.offset);
  return p;
}

/** The query string the list route takes (for links such as the export's). */
export function caseQueryString(query: CaseQuery): string {
  const s = new URLSearchParams(caseQueryParams(query)).toString();
  return s ? `?${s}` : '';
}

export function fetchCases(query: CaseQuery, signal?: AbortSignal): Promise<CasePage> {
  return readJson(api.cases.$get({ query: caseQueryParams(query) }, { init: { signal } }));
}

/**
 * How many cases of each category the user sees under the status and area filters (GET
 * /api/cases/by-category): every category, in display order, in one request.
 */
export function fetchCaseCounts(query: Pick<CaseQuery, 'status' | 'subdistrict' | 'community' | 'grid'>, signal?: AbortSignal): Promise<CaseCounts> {
  return readJson(api.cases['by-category'].$get({ query: caseQueryParams(query) }, { init: { signal } }));
}

export function fetchCase(id: number, signal?: AbortSignal): Promise<CaseDetail> {
  return readJson(api.cases[':id'].$get({ param: { id: String(id) } }, { init: { signal } }));
}

/** The party members of the case's grid, for its dispatcher (403 for anyone else). */
export async function fetchPartyMembers(id: number): Promise<CasePartyMember[]> {
  const { members } = await readJson(api.cases[':id']['party-members'].$get({ param: { id: String(id) } }));
  return members;
}

/** The units whose resources fit the case, best first (only its dispatcher may ask). */
export async function fetchSuggestions(id: number): Promise<UnitSuggestion[]> {
  const { suggestions } = await readJson(api.cases[':id'].suggestions.$get({ param: { id: String(id) } }));
  return suggestions;
}

export async function fetchCategories(): Promise<CaseCategory[]> {
  const { categories } = await readJson(api['case-categories'].$get());
  return categories;
}

export async function fetchDepartments(): Promise<Department[]> {
  const { departments } = await readJson(api.departments.$get());
  return departments;
}

export function takeAction(id: number, body: CaseActionBody): Promise<CaseActionResponse> {
  return readJson(api.cases[':id'].actions.$post({ param: { id: String(id) }, json: body }));
}

/** Records the next step of the case's 四方共议 deliberation. */
export async function recordDeliberation(id: number, body: DeliberationStepBody): Promise<CaseDeliberation> {
  const { deliberation } = await readJson(api.cases[':id'].deliberation.$post({ param: { id: String(id) }, json: body }));
  return deliberation;
}

/** A 大党委 unit's staff claim or report their unit's part. */
export function actOnPart(id: number, body: CasePartBody): Promise<CasePartsResponse> {
  return readJson(api.cases[':id'].parts.$post({ param: { id: String(id) }, json: body }));
}

/**
 * Files a case: multipart when there are photos (at most 4), JSON otherwise; under the
 * submission's Idempotency-Key, sent again with it when the answer is lost (api/idempotency.ts).
 * The route reads either body itself (readSubmission), so the multipart one goes as the
 * request's own body.
 */
export function fileCase(body: NewCaseBody, photos: readonly File[], key: string): Promise<FiledCase> {
  const headers = { [IDEMPOTENCY_HEADER]: key };
  return withRetries(() => {
    if (!photos.length) return readJson(api.cases.$post(undefined, { headers, init: { body: JSON.stringify(body) } }));
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) if (v !== undefined) form.set(k, String(v));
    for (const f of photos) form.append('photo', f, f.name);
    return readJson(api.cases.$post(undefined, { headers, init: { body: form } }));
  });
}

export function photoUrl(caseId: number, photoId: number, thumb: boolean): string {
  return `/api/cases/${caseId}/photos/${photoId}${thumb ? '?thumb=1' : ''}`;
}
