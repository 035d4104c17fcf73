// GET /api/events: the live stream of case events (server-sent events), each client seeing
// only the events in its scope. Event ids are case_events ids; a reconnect with
// Last-Event-ID (header, or ?lastEventId= for clients that cannot set headers) replays what
// was missed, or sends `reset` (refetch everything) when more than REPLAY_LIMIT visible
// events were missed. Named `heartbeat` events every 15 s keep proxies from closing an idle
// stream. See server/src/live/hub.ts for how new events are found.
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { LiveReady, LiveReset } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { validQuery } from '../http/validate.ts';
import { badRequest } from '../http/errors.ts';
import { EVENT_COLUMNS, EVENT_FROM, hubFor, type CaseEventRow } from '../live/hub.ts';
import { acceptsEvent, eventScope, eventScopeParams, eventScopeSql } from '../auth/scope.ts';
import { eventData } from '../live/render.ts';

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

    const { wire, response } = openWire(c);
    void (async () => {
      // Subscribe first and queue live events while the replay runs, so nothing falls
      // between the replay's upper bound and the first live event.
      const horizon = hub.lastId;
      let cursor = lastText === undefined ? horizon : Number(lastText);
      let replaying = true;
      const queued: CaseEventRow[] = [];
      const send = (msg: SseMessage) => {
        if (wire.pending() > MAX_PENDING_BYTES) return wire.abort();
        wire.write(sseText(msg));
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
      try {
        if (lastText !== undefined && cursor < horizon) {
          const missed = await replay(db, scope, cursor, horizon);
          // Department staff see a case whistled to them: the same facts the live path has.
          if (scope.department !== null) await hub.attachWhistles(missed);
          if (missed.length > REPLAY_LIMIT) {
            send({ event: 'reset', id: String(horizon), data: JSON.stringify({ reason: 'behind', lastId: horizon } satisfies LiveReset) });
            cursor = horizon;
          } else {
            for (const e of missed) deliver(e);
          }
        } else if (lastText !== undefined && cursor > horizon && !(await knownId(db, cursor))) {
          // An id this database never issued (restored backup, another installation).
          send({ event: 'reset', id: String(horizon), data: JSON.stringify({ reason: 'unknown-id', lastId: horizon } satisfies LiveReset) });
          cursor = horizon;
        }
        if (lastText === undefined || cursor === horizon) {
          // The id tells a reconnecting EventSource where it was, even if nothing happens.
          send({ event: 'ready', id: String(Math.max(cursor, horizon)), data: JSON.stringify({ lastId: Math.max(cursor, horizon) } satisfies LiveReady) });
          cursor = Math.max(cursor, horizon);
        } else {
          send({ event: 'ready', data: JSON.stringify({ lastId: cursor } satisfies LiveReady) });
        }
        replaying = false;
        for (const e of queued.splice(0)) deliver(e);
        await wire.closed;
      } finally {
        unsubscribe();
        stopHeartbeat();
      }
    })().catch((err) => {
      // The replay's query failed: the client reconnects and tries again from its last id.
      console.error('[live] stream failed:', (err as Error).message);
      wire.abort();
    });
    return response;
  });
}

interface SseMessage { event: string; data: string; id?: string }

/** One message in the text/event-stream format. `data` is one line (JSON.stringify writes no raw newline). */
export function sseText(m: SseMessage): string {
  return `event: ${m.event}\ndata: ${m.data}\n${m.id === undefined ? '' : `id: ${m.id}\n`}\n`;
}

/** Where a stream's messages go. */
interface SseWire {
  write(text: string): void;
  /** Bytes written that the client has not taken yet. */
  pending(): number;
  /** Cut the stream off (a client too far behind reconnects and replays from its last id). */
  abort(): void;
  /** Settles when the client has gone or the stream was cut off. */
  closed: Promise<void>;
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  // nginx buffers proxied responses unless told not to: events would arrive in bursts.
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Under @hono/node-server the stream writes straight to Node's response: a web stream per
 * client (what hono/streaming's streamSSE builds) cost ~50 µs of the server's one thread per
 * client per event, in promise hops through a TransformStream, its reader and the adapter's
 * copy loop — 10 ms an event for 200 screens, a quarter of a second for 5,000 — and ~30 KB
 * of memory a client. Elsewhere (app.request() in tests, another runtime) a ReadableStream
 * carries the same text.
 */
function openWire(c: Context): { wire: SseWire; response: Response } {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.writeHead === 'function') {
    // A client that left while the hub caught up has closed already: 'close' will not come again.
    const closed = outgoing.destroyed ? Promise.resolve() : new Promise<void>((resolve) => outgoing.once('close', () => resolve()));
    outgoing.writeHead(200, SSE_HEADERS);
    outgoing.flushHeaders();
    const wire: SseWire = {
      write: (text) => {
        if (!outgoing.destroyed) outgoing.write(text);
      },
      // Buffered in the response and in its socket.
      pending: () => outgoing.writableLength,
      abort: () => outgoing.destroy(),
      closed,
    };
    // Tells the adapter that the response is on its way already; the headers that middleware
    // adds to it on the way out are never sent.
    return { wire, response: RESPONSE_ALREADY_SENT };
  }
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let gone!: () => void;
  const closed = new Promise<void>((resolve) => (gone = resolve));
  const encoder = new TextEncoder();
  // Measured in bytes, with nothing wanted ahead: desiredSize is minus what the client has not read.
  const body = new ReadableStream<Uint8Array>({ start: (ctl) => void (controller = ctl), cancel: () => gone() },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }));
  const signal = c.req.raw.signal;
  if (signal.aborted) gone();
  else signal.addEventListener('abort', () => gone(), { once: true });
  const wire: SseWire = {
    write: (text) => {
      try {
        controller.enqueue(encoder.encode(text));
      } catch {
        gone(); // closed by the client already
      }
    },
    pending: () => Math.max(0, -(controller.desiredSize ?? 0)),
    abort: () => {
      try {
        controller.error(new Error('stream cut off'));
      } catch { /* already closed */ }
      gone();
    },
    closed,
  };
  return { wire, response: c.body(body, 200, SSE_HEADERS) };
}

async function replay(db: Db, scope: ReturnType<typeof eventScope>, after: number, upTo: number) {
  const { rows } = await db.query<CaseEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
      WHERE e.id > $1 AND e.id <= $2 AND ${eventScopeSql(3)}
      ORDER BY e.id LIMIT ${REPLAY_LIMIT + 1}`,
    [after, upTo, ...eventScopeParams(scope)]);
  return rows;
}

async function knownId(db: Db, id: number) {
  const { rows } = await db.query('SELECT 1 FROM case_events WHERE id >= $1 LIMIT 1', [id]);
  return rows.length > 0;
}

