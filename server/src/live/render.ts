// What a case event carries on the live stream, per viewer: personal payload fields only for
// the roles that see personal data, and the event's case only where the viewer would see that
// case now. Which events a viewer gets at all is the scope module's (auth/scope.ts).
import type { LiveCase, LiveCaseEvent } from '@grid-atlas/contract';
import { acceptsEvent, type EventScope } from '../auth/scope.ts';
import type { CaseEventRow } from './hub.ts';

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
