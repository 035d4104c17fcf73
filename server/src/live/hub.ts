// The event hub: one per process (per Db), the only reader of new case_events rows. It
// keeps the id of the last row it delivered and, whenever something says "there may be new
// events", reads every row after it ONCE and fans the rows out to all connected streams.
// Memory stays flat with thousands of streams: a stream is a filter and a write callback,
// and each tick costs one query however many streams there are.
//
// What wakes it:
// - PostgreSQL: a trigger NOTIFYs `case_events` with the new id when a row commits
//   (migration 0007_case_kpis.sql); one dedicated LISTEN connection per process wakes the hub. The
//   notification carries only the id: the table stays the source of truth, so a lost
//   notification costs latency (the slow poll catches up), never an event.
// - In process: wrote() after every state-changing API request (the route's transaction has
//   committed by then), so a POST reaches this process's streams without waiting for a poll;
//   while the LISTEN connection is up the commit's own notification does that, and wrote() is
//   ignored (under load it woke the hub once per request, for rows a tick had already read).
// - A poll by id: every 250 ms on the embedded database (PGlite is one session inside this
//   process, so there is no second connection to LISTEN on), every 5 s on PostgreSQL as a
//   safety net for a dropped LISTEN connection.
//
// Ticks start at least TICK_SPACING_MS apart: under a burst of writes the wakes of those
// milliseconds share one read (at most 100 reads a second) instead of each starting another.
//
// Ids come from a sequence, so on PostgreSQL a transaction can commit id 11 before id 10.
// The hub delivers in id order and holds rows after a gap back until the gap fills or
// GAP_WAIT_MS passes (a rolled-back insert leaves a gap for ever).
import type { CaseEventAction, CaseStatus, LiveCase } from '@grid-atlas/contract';
import pg from 'pg';
import { prepared, type Db } from '../db/index.ts';

export interface CaseEventRow {
  id: number;
  case_id: number;
  /** a Date as the driver reads timestamptz */
  at: Date | string;
  actor_user_id: number | null;
  actor_label: string | null;
  action: CaseEventAction;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  payload: Record<string, unknown> | null;
  grid_id: number | null;
  community_id: number | null;
  subdistrict_id: number | null;
  department_id: number | null;
  /** Departments whistled to the case (社区吹哨), filled by the hub for department staff. */
  whistled?: number[];
  /** The case as it stands when the row is read (null only if the case row is gone). */
  case: (LiveCase & { department_id: number | null }) | null;
}

export interface Subscriber {
  /** True when this stream may see the event. */
  accepts(e: CaseEventRow): boolean;
  deliver(e: CaseEventRow): void;
  /** Department staff also see cases whistled to their department. */
  needsWhistles?: boolean;
}

export const NOTIFY_CHANNEL = 'case_events';
export const GAP_WAIT_MS = 1000;
export const TICK_SPACING_MS = 10;
const BATCH = 2000;

/**
 * Columns every reader of case_events selects (FROM EVENT_FROM), in the shape of CaseEventRow:
 * the event, and its case as it stands now (what the command map shows of it).
 */
export const EVENT_COLUMNS = `e.id, e.case_id, e.at, e.actor_user_id, e.actor_label, e.action, e.from_status, e.to_status,
  e.payload, e.grid_id, e.community_id, e.subdistrict_id, e.department_id,
  CASE WHEN k.id IS NULL THEN NULL ELSE json_build_object(
    'number', k.number, 'category', k.category_code, 'category_name', cat.name, 'priority', k.priority, 'status', k.status,
    'lon', ST_X(k.geom), 'lat', ST_Y(k.geom), 'grid_id', k.grid_id, 'community_id', k.community_id,
    'subdistrict_id', k.subdistrict_id, 'department_id', k.assigned_department_id) END AS "case"`;
export const EVENT_FROM = `case_events e LEFT JOIN cases k ON k.id = e.case_id LEFT JOIN case_categories cat ON cat.code = k.category_code`;

const TICK_SQL = prepared('hub-tick', `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.id > $1 ORDER BY e.id LIMIT ${BATCH}`);

export interface HubOptions {
  pollMs?: number;
  /** Open a LISTEN connection (PostgreSQL only). Default: true on PostgreSQL. */
  listen?: boolean;
}

export class EventHub {
  readonly subscribers = new Set<Subscriber>();
  /** Id of the last event delivered (or skipped as a gap); streams start after it. */
  lastId = 0;
  private started: Promise<void> | undefined;
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private closed = false;
  private gapSince: number | undefined;
  /** The LISTEN connection is up: every commit wakes the hub by notification. */
  private listening = false;
  private lastTickAt = -Infinity;
  /** Resolved after each completed tick (tests wait on it). */
  private tickWaiters: (() => void)[] = [];
  stats = { ticks: 0, delivered: 0, lastTickMs: 0 };

  constructor(readonly db: Db, private options: HubOptions = {}) {}

  /** Reads the current last id and starts the poll and LISTEN connection; idempotent. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const { rows } = await this.db.query('SELECT coalesce(max(id), 0) AS id FROM case_events');
      this.lastId = Number(rows[0].id);
      const pollMs = this.options.pollMs ?? (this.db.kind === 'embedded' ? 250 : 5000);
      this.timer = setInterval(() => this.wake(), pollMs);
      this.timer.unref();
      if (this.options.listen ?? this.db.kind === 'postgres') void this.connectListener(0);
    })();
    return this.started;
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  /** Something may have been written: read new rows (coalesced with a tick in flight). */
  wake(): void {
    if (this.closed || !this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  /** This process has committed a write: wake, unless the commit's notification will. */
  wrote(): void {
    if (!this.listening) this.wake();
  }

  /** Resolves once a tick that started after this call has finished. */
  async flush(): Promise<void> {
    await this.start();
    const done = new Promise<void>((resolve) => this.tickWaiters.push(resolve));
    if (this.running) this.again = true;
    else this.wake();
    return done;
  }

  private async loop() {
    try {
      do {
        const wait = this.lastTickAt + TICK_SPACING_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.lastTickAt = performance.now();
        this.again = false;
        const waiters = this.tickWaiters.splice(0);
        try {
          await this.tick();
        } catch (err) {
          if (!this.closed) console.error('[live] reading case_events failed:', (err as Error).message);
        }
        for (const w of waiters) w();
      } while (this.again && !this.closed);
    } finally {
      this.running = false;
    }
  }

  private async tick() {
    const t0 = performance.now();
    this.stats.ticks++;
    const { rows } = await this.db.query<CaseEventRow>(TICK_SQL, [this.lastId]);
    if (!rows.length) return;
    // Deliver the contiguous run; after a gap wait for the missing id a little while.
    let n = 0;
    let expected = this.lastId + 1;
    for (const r of rows) {
      if (r.id !== expected) break;
      n++;
      expected++;
    }
    if (n === 0) {
      this.gapSince ??= Date.now();
      if (Date.now() - this.gapSince < GAP_WAIT_MS) {
        setTimeout(() => this.wake(), 50).unref();
        return;
      }
      n = 1; // give up on the missing id(s): a rolled-back insert
    }
    if (n < rows.length) setTimeout(() => this.wake(), 50).unref();
    this.gapSince = undefined;
    const batch = rows.slice(0, n);
    this.lastId = batch[batch.length - 1].id;
    if (!this.subscribers.size) return;
    if ([...this.subscribers].some((s) => s.needsWhistles)) await this.attachWhistles(batch);
    for (const e of batch) {
      for (const s of this.subscribers) {
        if (s.accepts(e)) {
          s.deliver(e);
          this.stats.delivered++;
        }
      }
    }
    this.stats.lastTickMs = performance.now() - t0;
    if (rows.length === BATCH) this.again = true;
  }

  /** One query per tick for everyone: which departments were whistled to these cases. */
  async attachWhistles(batch: CaseEventRow[]) {
    const ids = [...new Set(batch.map((e) => e.case_id))];
    const { rows } = await this.db.query<{ case_id: number; department_id: number }>(
      'SELECT case_id, department_id FROM case_whistles WHERE case_id = ANY($1::bigint[])', [ids]);
    const byCase = new Map<number, number[]>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r.department_id]);
    for (const e of batch) e.whistled = byCase.get(e.case_id) ?? [];
  }

  /** One LISTEN connection per process; reconnects with back-off and catches up on reconnect. */
  private async connectListener(attempt: number) {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.db.connectionString, application_name: 'grid-atlas-live' });
    const retry = () => {
      if (this.listener !== client || this.closed) return;
      this.listener = undefined;
      this.listening = false;
      client.removeAllListeners();
      client.end().catch(() => {});
      const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      setTimeout(() => void this.connectListener(attempt + 1), delay).unref();
    };
    this.listener = client;
    client.on('error', (err) => {
      console.error('[live] LISTEN connection lost:', err.message);
      retry();
    });
    client.on('end', retry);
    // The payload is the highest id the commit wrote: a tick that ran since has read it.
    client.on('notification', (n) => {
      const id = Number(n.payload);
      if (!(Number.isInteger(id) && id <= this.lastId)) this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      attempt = 0;
      this.listening = this.listener === client;
      this.wake(); // whatever was committed while we were not listening
    } catch (err) {
      if (!this.closed) console.error('[live] LISTEN failed:', (err as Error).message);
      retry();
    }
  }

  async close() {
    this.closed = true;
    clearInterval(this.timer);
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => {});
    for (const w of this.tickWaiters.splice(0)) w();
  }
}

// One hub per Db: two apps created on the same Db (tests, or the API and a simulator) share it.
const hubs = new WeakMap<Db, EventHub>();

export function hubFor(db: Db, options?: HubOptions): EventHub {
  let hub = hubs.get(db);
  if (!hub) {
    hub = new EventHub(db, options);
    hubs.set(db, hub);
    // Closing the Db ends the hub too (its LISTEN connection would keep the process alive).
    const close = db.close.bind(db);
    db.close = async () => {
      await hub!.close();
      await close();
    };
  }
  return hub;
}
