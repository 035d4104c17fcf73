// Live cases (诉求/事件): the list, one case with its timeline, actions, filing with photos, and
// the category catalogue (server/src/routes/cases.ts). The server scopes every answer and decides
// which actions a user may take now (the contract's allowedActions, returned as allowed_actions);
// the client only shows them.
//
// These calls go through http.ts's fetch (CSRF header, 401 handling, ApiError) like every other
// call. Request bodies are the contract's zod types; the response shapes below mirror the route.
import type {
  CaseAction,
  CaseActionBody,
  CaseCategory,
  CasePartyMember,
  UnitSuggestion,
  CaseEventAction,
  CaseLevel,
  CaseStatus,
  CaseSummary,
  Department,
  NewCaseBody,
  PartnerUnit,
  CasePower,
  CaseDeliberation,
  DeliberationStepBody,
  DepartmentRouting,
  CaseLeader,
  CaseUnit,
  CasePartAction,
  CasePartBody,
} from '@grid-atlas/contract';
import { api } from './client';
import { fetchWith, readJson, readUntypedJson } from './http';
import { IDEMPOTENCY_HEADER, withRetries } from './idempotency';

export type { CaseAction, CaseActionBody, CaseCategory, CasePartyMember, CaseStatus, UnitSuggestion, CaseSummary, NewCaseBody } from '@grid-atlas/contract';

const call = fetchWith();

const json = readUntypedJson;

/** A case as the list returns it (a filer and area roles also get the address). */
export type CaseRow = CaseSummary & { reporter_user_id?: number | null; distance_m?: number; reporter_phone?: string | null };

export interface CaseEvent {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_label: string | null;
  action: CaseEventAction;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  payload: Record<string, unknown> | null;
}

export interface CaseWhistle {
  department_id: number;
  department_name: string;
  whistled_at: string;
  reported_at: string | null;
}

export interface CasePhoto {
  id: number;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  created_at: string;
}

export interface CaseDetail {
  case: CaseRow;
  events: CaseEvent[];
  whistles: CaseWhistle[];
  photos: CasePhoto[];
  /** The units the case may be whistled to: its community's 大党委 units (包保), the lead unit first. */
  whistle_units: PartnerUnit[];
  /** The delegated power (权力下放清单) the case falls under, and whether the subdistrict holds it. */
  power: CasePower;
  /** 协商议办: the case's 四方共议 deliberation, once a consultation dispatch opened one. */
  deliberation: CaseDeliberation | null;
  /** 部门认责承办: the department the 权力清单 (else the category's default unit) names, and why. */
  department_routing: DepartmentRouting | null;
  /** The community's linked city leader (包保), who leads a 领导领办 case. */
  city_leader: string | null;
  /** 领导领办: the leader recorded on the case. */
  leader: CaseLeader | null;
  /** 领导领办 / 大党委交办: the units the case was routed to, the lead unit first. */
  units: CaseUnit[];
  /** 大党委交办: what this user's unit may do with its part now. */
  part_actions: CasePartAction[];
  /** Exactly what this user may do now (the contract's allowedActions, evaluated by the server). */
  allowed_actions: CaseAction[];
}

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

export interface CasePage {
  total: number;
  cases: CaseRow[];
}

export interface FiledCase {
  id: number;
  number: string;
  grid_id: number;
  community_id: number;
  subdistrict_id: number;
  /** The point lay outside every grid and was moved to the nearest one. */
  snapped: boolean;
  duplicates?: unknown[];
}

export type { Department } from '@grid-atlas/contract';

/** The query string the list route takes (unset filters left out; overdue only when asked). */
export function caseQueryString(query: CaseQuery): string {
  const p = new URLSearchParams();
  if (query.status?.length) p.set('status', query.status.join(','));
  if (query.category) p.set('category', query.category);
  if (query.level) p.set('level', query.level);
  if (query.overdue) p.set('overdue', 'true');
  const text = query.q?.trim();
  if (text) p.set('q', text.slice(0, 50));
  for (const k of ['subdistrict', 'community', 'grid'] as const) if (query[k] !== undefined) p.set(k, String(query[k]));
  if (query.limit !== undefined) p.set('limit', String(query.limit));
  if (query.offset) p.set('offset', String(query.offset));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function fetchCases(query: CaseQuery, signal?: AbortSignal): Promise<CasePage> {
  return json<CasePage>(call(`/api/cases${caseQueryString(query)}`, { signal }));
}

export function fetchCase(id: number, signal?: AbortSignal): Promise<CaseDetail> {
  return json<CaseDetail>(call(`/api/cases/${id}`, { signal }));
}

/** The party members of the case's grid, for its dispatcher (403 for anyone else). */
export async function fetchPartyMembers(id: number): Promise<CasePartyMember[]> {
  const { members } = await json<{ members: CasePartyMember[] }>(call(`/api/cases/${id}/party-members`));
  return members;
}

/** The units whose resources fit the case, best first (only its dispatcher may ask). */
export async function fetchSuggestions(id: number): Promise<UnitSuggestion[]> {
  const { suggestions } = await json<{ suggestions: UnitSuggestion[] }>(call(`/api/cases/${id}/suggestions`));
  return suggestions;
}

export async function fetchCategories(): Promise<CaseCategory[]> {
  const { categories } = await json<{ categories: CaseCategory[] }>(call('/api/case-categories'));
  return categories;
}

export async function fetchDepartments(): Promise<Department[]> {
  const { departments } = await readJson(api.departments.$get());
  return departments;
}

export function takeAction(id: number, body: CaseActionBody): Promise<{ id: number; status: CaseStatus; version: number }> {
  return json(call(`/api/cases/${id}/actions`, { method: 'POST', body: JSON.stringify(body) }));
}

/** Records the next step of the case's 四方共议 deliberation. */
export async function recordDeliberation(id: number, body: DeliberationStepBody): Promise<CaseDeliberation> {
  const { deliberation } = await json<{ deliberation: CaseDeliberation }>(call(`/api/cases/${id}/deliberation`, { method: 'POST', body: JSON.stringify(body) }));
  return deliberation;
}

/** A 大党委 unit's staff claim or report their unit's part. */
export function actOnPart(id: number, body: CasePartBody): Promise<{ units: CaseUnit[] }> {
  return json(call(`/api/cases/${id}/parts`, { method: 'POST', body: JSON.stringify(body) }));
}

/**
 * Files a case: multipart when there are photos (at most 4), JSON otherwise; under the
 * submission's Idempotency-Key, sent again with it when the answer is lost (api/idempotency.ts).
 */
export function fileCase(body: NewCaseBody, photos: readonly File[], key: string): Promise<FiledCase> {
  const headers = { [IDEMPOTENCY_HEADER]: key };
  return withRetries(() => {
    if (!photos.length) return json<FiledCase>(call('/api/cases', { method: 'POST', headers, body: JSON.stringify(body) }));
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) if (v !== undefined) form.set(k, String(v));
    for (const f of photos) form.append('photo', f, f.name);
    return json<FiledCase>(call('/api/cases', { method: 'POST', headers, body: form }));
  });
}

export function photoUrl(caseId: number, photoId: number, thumb: boolean): string {
  return `/api/cases/${caseId}/photos/${photoId}${thumb ? '?thumb=1' : ''}`;
}
