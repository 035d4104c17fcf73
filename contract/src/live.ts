// The live event stream (GET /api/events, server-sent events): what each named event carries.
// The server writes these shapes (server/src/live/render.ts, routes/events.ts) and the client
// reads them with these schemas (client/src/live/stream.ts), so neither side casts.
import { z } from 'zod';
import { CASE_EVENT_ACTIONS, CASE_STATUSES, caseSummary } from './cases.ts';

/**
 * The case an event belongs to, as it stands when the stream reads the event: what the command
 * map shows of it (ticker line, marker, area), so no client fetches the case per event.
 */
export const liveCase = caseSummary.pick({
  number: true, category: true, category_name: true, priority: true, status: true,
  lon: true, lat: true, grid_id: true, community_id: true, subdistrict_id: true,
});
export type LiveCase = z.infer<typeof liveCase>;

/**
 * `case`: one entry of a case's timeline as it happens, with the area it lies in. The payload
 * is the event's own (the action's fields); keys that identify a resident are left out for
 * roles that do not see personal data. `case` is the case itself, or null where the subscriber
 * would no longer see the case as it stands now (it moved out of their area or department since
 * the event was written).
 */
export const liveCaseEvent = z.object({
  id: z.number(),
  case_id: z.number(),
  at: z.string(),
  action: z.enum(CASE_EVENT_ACTIONS),
  from_status: z.enum(CASE_STATUSES).nullable(),
  to_status: z.enum(CASE_STATUSES).nullable(),
  actor_label: z.string().nullable(),
  grid_id: z.number().nullable(),
  community_id: z.number().nullable(),
  subdistrict_id: z.number().nullable(),
  department_id: z.number().nullable(),
  payload: z.record(z.string(), z.unknown()),
  case: liveCase.nullable(),
});
export type LiveCaseEvent = z.infer<typeof liveCaseEvent>;

/** Why a reconnecting stream cannot replay what it missed: too far behind, or an id the server never wrote. */
export const LIVE_RESET_REASONS = ['behind', 'unknown-id'] as const;

/** `reset`: reload everything; the stream goes on after `lastId`. */
export const liveReset = z.object({ reason: z.enum(LIVE_RESET_REASONS), lastId: z.number() });
export type LiveReset = z.infer<typeof liveReset>;

/** `ready`: the replay is done (or there was none); live events follow after `lastId`. */
export const liveReady = z.object({ lastId: z.number() });
export type LiveReady = z.infer<typeof liveReady>;

/** `heartbeat`: the server's clock (ms since the epoch), so an idle connection is known to be alive. */
export const liveHeartbeat = z.number();

/** Each named event of the stream and the schema of its data. */
export const LIVE_EVENTS = { case: liveCaseEvent, reset: liveReset, ready: liveReady, heartbeat: liveHeartbeat } as const;
export type LiveEventType = keyof typeof LIVE_EVENTS;

/** One event as the client hands it on: its name, its id (absent on heartbeats and a plain ready) and its data. */
export type LiveEvent = {
  [T in LiveEventType]: { type: T; id?: string; data: z.infer<(typeof LIVE_EVENTS)[T]> };
}[LiveEventType];
