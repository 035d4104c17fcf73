// Which case events a user may see, twice over: as a JavaScript predicate for the hub's
// live fan-out (the event row carries the case's grid/community/subdistrict/department ids,
// so no join is needed) and as SQL for the replay after a reconnect. Both follow the rules
// of GET /api/cases: area roles by their grid/community/subdistrict, department staff by
// the case's assigned or whistled department, city roles everything.
import { seesPersonalData, type LiveCase, type LiveCaseEvent } from '@grid-atlas/contract';
import { scopeParams, type User } from '../auth/scope.ts';
import type { CaseEventRow } from './hub.ts';

export interface EventScope {
  city: boolean;
  subdistrict: number | null;
  community: number | null;
  grid: number | null;
  /** Set for department staff: only their department's cases. */
  department: number | null;
  personal: boolean;
}

export function eventScope(u: User): EventScope {
  const [city, subdistrict, community, grid] = scopeParams(u);
  const department = u.role === 'department_staff' ? u.department_id : null;
  const personal = seesPersonalData(u.role);
  // 在职党员 work one grid; a task-force member with a community works that community
  // (roles added with the cases; scopeParams may not know them yet).
  const role = u.role as string;
  if (role === 'party_member') return { city: false, subdistrict: null, community: null, grid: u.grid_id, department, personal };
  if (role === 'task_force' && u.community_id !== null) {
    return { city: false, subdistrict: null, community: u.community_id, grid: null, department, personal };
  }
  return { city, subdistrict, community, grid, department, personal };
}

export function acceptsEvent(s: EventScope, e: CaseEventRow): boolean {
  const area = s.city || (s.subdistrict !== null && e.subdistrict_id === s.subdistrict)
    || (s.community !== null && e.community_id === s.community) || (s.grid !== null && e.grid_id === s.grid);
  if (!area) return false;
  if (s.department === null) return true;
  return e.department_id === s.department || (e.whistled ?? []).includes(s.department);
}

/**
 * SQL condition on case_events `e`, parameters $p..$p+4 = sqlParams(scope). The
 * department test also looks at case_whistles, like the live path.
 */
export function eventScopeSql(p: number): string {
  return `($${p}::boolean OR e.subdistrict_id = $${p + 1}::int OR e.community_id = $${p + 2}::int OR e.grid_id = $${p + 3}::int)
      AND ($${p + 4}::int IS NULL OR e.department_id = $${p + 4}::int
           OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = e.case_id AND w.department_id = $${p + 4}::int))`;
}

export function eventScopeParams(s: EventScope): unknown[] {
  return [s.city, s.subdistrict, s.community, s.grid, s.department];
}

/** Payload keys that identify a resident: only roles that see personal data get them. */
export const PERSONAL_PAYLOAD_KEYS = ['reporter_phone', 'phone', 'reporter_name', 'head_name', 'address', 'contact'];

/**
 * Whether the user sees the event's case as it stands now: the event was accepted by the area
 * and department it was written with; the case may have moved since (a plan moved it to
 * another grid, it was dispatched elsewhere). The same rule applied to the case's own ids.
 */
export function seesCaseNow(s: EventScope, e: CaseEventRow): boolean {
  const k = e.case;
  if (!k) return false;
  return acceptsEvent(s, { ...e, grid_id: k.grid_id, community_id: k.community_id, subdistrict_id: k.subdistrict_id, department_id: k.department_id });
}

type RenderKind = 'personal' | 'plain' | 'personal-nocase' | 'plain-nocase';

// An event's JSON is the same for every stream of one kind (with or without personal fields,
// with or without its case): written once per event, not once per stream (200 screens → 200
// stringifications otherwise). Keyed by the row object the hub hands every stream; gone with it.
const rendered = new WeakMap<CaseEventRow, Partial<Record<RenderKind, string>>>();

/**
 * The JSON an event carries on the stream (the contract's LiveCaseEvent): personal fields dropped
 * where the user may not see them, the case left out where the user would not see it now.
 */
export function eventData(s: EventScope, e: CaseEventRow): string {
  let texts = rendered.get(e);
  if (!texts) rendered.set(e, (texts = {}));
  const withCase = seesCaseNow(s, e);
  const kind: RenderKind = `${s.personal ? 'personal' : 'plain'}${withCase ? '' : '-nocase'}`;
  return (texts[kind] ??= render(e, s.personal, withCase));
}

function render(e: CaseEventRow, personal: boolean, withCase: boolean): string {
  let payload = e.payload ?? {};
  if (!personal && PERSONAL_PAYLOAD_KEYS.some((k) => k in payload)) {
    payload = Object.fromEntries(Object.entries(payload).filter(([k]) => !PERSONAL_PAYLOAD_KEYS.includes(k)));
  }
  const event: LiveCaseEvent = {
    id: e.id, case_id: e.case_id, at: typeof e.at === 'string' ? e.at : e.at.toISOString(), action: e.action,
    from_status: e.from_status, to_status: e.to_status,
    actor_label: e.actor_label, grid_id: e.grid_id, community_id: e.community_id, subdistrict_id: e.subdistrict_id,
    department_id: e.department_id, payload, case: withCase && e.case ? liveCaseOf(e.case) : null,
  };
  return JSON.stringify(event);
}

/** The contract's fields of the case, nothing more (its department is only for the scope test). */
function liveCaseOf(k: NonNullable<CaseEventRow['case']>): LiveCase {
  return {
    number: k.number, category: k.category, category_name: k.category_name, priority: k.priority, status: k.status,
    lon: Number(k.lon), lat: Number(k.lat), grid_id: k.grid_id, community_id: k.community_id, subdistrict_id: k.subdistrict_id,
  };
}
