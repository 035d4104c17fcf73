// GET /api/events: the live stream of case events (server-sent events), each client seeing
// only the events in its scope. Event ids are case_events ids; a reconnect with
// Last-Event-ID (header, or ?lastEventId= for clients that cannot set headers) replays what
// was missed, or sends `reset` (refetch everything) when more than REPLAY_LIMIT visible
// events were missed. Named `heartbeat` events every 15 s keep proxies from closing an idle
// stream. See server/src/live/hub.ts for how new events are found.
import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { validQuery } from '../http/validate.ts';
import { badRequest } from '../http/errors.ts';
import { EVENT_COLUMNS, hubFor, type CaseEventRow } from '../live/hub.ts';
import { acceptsEvent, eventData, eventScope, eventScopeParams, eventScopeSql } from '../live/scope.ts';

export const REPLAY_LIMIT = 500;
export const HEARTBEAT_MS = 15_000;
/** A client this far behind on writes is cut off; it reconnects and replays from its last id. */
const MAX_PENDING_BYTES = 1 << 20;

const eventsQuery = z.object({
  lastEventId: z.string().optional(),
}).strict();

const idText = z.string().regex(/^\d{1,15}$/);

// One timer for every open stream, not one each.
const open = new Set<(now: number) => void>();
let heartbeat: NodeJS.Timeout | undefined;
function onHeartbeat(fn: (now: number) => void): () => void {
  open.add(fn);
  if (!heartbeat) {
    heartbeat = setInterval(() => {
      const now = Date.now();
      for (const f of open) f(now);
    }, HEARTBEAT_MS);
    heartbeat.unref();
  }
  return () => {
    open.delete(fn);
    if (!open.size) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  };
}

export function openStreams(): number {
  return open.size;
}

/**
 * Tells this process's hub after every successful state-changing API request: the route's
 * transaction has committed, so its events are readable now. That wakes the hub where no
 * notification will (the embedded database, or PostgreSQL while the LISTEN connection is
 * down); otherwise NOTIFY wakes it, for this process's writes and other processes' alike.
 */
export function wakeAfterWrites(db: Db): MiddlewareHandler {
  const hub = hubFor(db);
  return async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 400) hub.wrote();
  };
}

export function eventRoutes(db: Db) {
  const hub = hubFor(db);
  return new Hono<AppEnv>().get('/events', validQuery(eventsQuery), async (c) => {
    const q = c.req.valid('query');
    const lastText = c.req.header('Last-Event-ID') ?? q.lastEventId;
    if (lastText !== undefined && !idText.safeParse(lastText).success) {
      throw badRequest('Last-Event-ID 应为事件编号 (Last-Event-ID must be an event id)');
    }
    const scope = eventScope(c.get('user'));
    await hub.start();
    // A reconnect replays up to what the table holds now, not to what the hub happened to
    // have read: bring the hub up to date first (one shared read).
    if (lastText !== undefined) await hub.flush();

    return streamSSE(c, async (stream) => {
      // Subscribe first and queue live events while the replay runs, so nothing falls
      // between the replay's upper bound and the first live event.
      const horizon = hub.lastId;
      let cursor = lastText === undefined ? horizon : Number(lastText);
      let replaying = true;
      const queued: CaseEventRow[] = [];
      let pending = 0;
      let chain = Promise.resolve();
      const send = (msg: { event: string; data: string; id?: string }) => {
        const bytes = msg.data.length + 32;
        pending += bytes;
        if (pending > MAX_PENDING_BYTES) {
          stream.abort();
          return;
        }
        chain = chain.then(() => stream.writeSSE(msg)).then(() => {
          pending -= bytes;
        });
      };
      const deliver = (e: CaseEventRow) => {
        if (e.id <= cursor) return;
        cursor = e.id;
        send({ event: 'case', id: String(e.id), data: eventData(scope, e) });
      };
      const unsubscribe = hub.subscribe({
        needsWhistles: scope.department !== null,
        accepts: (e) => acceptsEvent(scope, e),
        deliver: (e) => (replaying ? queued.push(e) : deliver(e)),
      });
      const stopHeartbeat = onHeartbeat((now) => send({ event: 'heartbeat', data: String(now) }));
      const closed = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        c.req.raw.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      try {
        if (lastText !== undefined && cursor < horizon) {
          const missed = await replay(db, scope, cursor, horizon);
          if (missed.length > REPLAY_LIMIT) {
            send({ event: 'reset', id: String(horizon), data: JSON.stringify({ reason: 'behind', lastId: horizon }) });
            cursor = horizon;
          } else {
            for (const e of missed) deliver(e);
          }
        } else if (lastText !== undefined && cursor > horizon && !(await knownId(db, cursor))) {
          // An id this database never issued (restored backup, another installation).
          send({ event: 'reset', id: String(horizon), data: JSON.stringify({ reason: 'unknown-id', lastId: horizon }) });
          cursor = horizon;
        }
        if (lastText === undefined || cursor === horizon) {
          // The id tells a reconnecting EventSource where it was, even if nothing happens.
          send({ event: 'ready', id: String(Math.max(cursor, horizon)), data: JSON.stringify({ lastId: Math.max(cursor, horizon) }) });
          cursor = Math.max(cursor, horizon);
        } else {
          send({ event: 'ready', data: JSON.stringify({ lastId: cursor }) });
        }
        replaying = false;
        for (const e of queued.splice(0)) deliver(e);
        await closed;
      } finally {
        unsubscribe();
        stopHeartbeat();
      }
    });
  });
}

async function replay(db: Db, scope: ReturnType<typeof eventScope>, after: number, upTo: number) {
  const { rows } = await db.query<CaseEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM case_events e
      WHERE e.id > $1 AND e.id <= $2 AND ${eventScopeSql(3)}
      ORDER BY e.id LIMIT ${REPLAY_LIMIT + 1}`,
    [after, upTo, ...eventScopeParams(scope)]);
  return rows;
}

async function knownId(db: Db, id: number) {
  const { rows } = await db.query('SELECT 1 FROM case_events WHERE id >= $1 LIMIT 1', [id]);
  return rows.length > 0;
}

