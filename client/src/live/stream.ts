// One live event stream (GET /api/events) shared by every tab of this origin. The tab that
// holds the Web Lock `grid-atlas-live` is the leader: it alone opens an EventSource and
// re-broadcasts each event on a BroadcastChannel; the other tabs wait for the lock and
// listen on the channel. When the leader's tab closes, the browser releases its lock, the
// next waiting tab becomes leader and reconnects from the last event id it saw (so the
// server replays what fell in between). Without navigator.locks or BroadcastChannel each
// tab opens its own EventSource.
//
// What each event carries is the contract's (LIVE_EVENTS): every event is read with its schema,
// and one that does not match it is dropped, never handed on half-understood.
import { LIVE_EVENTS, liveCaseEvent, liveHeartbeat, liveReady, liveReset, type LiveEvent, type LiveEventType } from '@grid-atlas/contract';

export type { LiveCaseEvent, LiveEvent, LiveEventType } from '@grid-atlas/contract';
export type LiveListener = (e: LiveEvent) => void;

/** The parts of the browser APIs this module uses, so tests can pass fakes. */
export interface EventSourceLike {
  addEventListener(type: string, fn: (e: { data: string; lastEventId: string }) => void): void;
  close(): void;
  /** 0 connecting, 1 open, 2 closed (EventSource's readyState); read after an 'error'. */
  readonly readyState?: number;
}

/**
 * Where the stream stands: 'live' (connected: the server said ready or sent an event),
 * 'connecting' (first connect, or the browser is retrying after an error), 'off' (closed:
 * the browser gave up, e.g. the route answered 401/5xx, or close() was called).
 */
export type LiveState = 'live' | 'connecting' | 'off';
export interface ChannelLike {
  postMessage(msg: unknown): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  close(): void;
}
export interface LocksLike {
  request(name: string, callback: () => Promise<void>): Promise<unknown>;
}

export interface LiveStreamOptions {
  url?: string;
  locks?: LocksLike | null;
  openChannel?: ((name: string) => ChannelLike) | null;
  openEventSource?: (url: string) => EventSourceLike;
}

export interface LiveStream {
  subscribe(fn: LiveListener): () => void;
  /** Calls `fn` now and on every change of the connection state. */
  onState(fn: (s: LiveState) => void): () => void;
  readonly state: LiveState;
  /** 'leader' (this tab holds the EventSource), 'follower', or 'solo' (no sharing available). */
  readonly role: 'leader' | 'follower' | 'solo';
  readonly lastEventId: string | undefined;
  close(): void;
}

const LOCK = 'grid-atlas-live';
const TYPES = Object.keys(LIVE_EVENTS) as LiveEventType[];

/** One named event of the stream, read with the contract's schema; null when it does not match. */
export function readLiveEvent(type: LiveEventType, id: string | undefined, text: string): LiveEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  switch (type) {
    case 'case': {
      const r = liveCaseEvent.safeParse(raw);
      return r.success ? { type, id, data: r.data } : null;
    }
    case 'reset': {
      const r = liveReset.safeParse(raw);
      return r.success ? { type, id, data: r.data } : null;
    }
    case 'ready': {
      const r = liveReady.safeParse(raw);
      return r.success ? { type, id, data: r.data } : null;
    }
    case 'heartbeat': {
      const r = liveHeartbeat.safeParse(raw);
      return r.success ? { type, id, data: r.data } : null;
    }
  }
}

export function createLiveStream(options: LiveStreamOptions = {}): LiveStream {
  const url = options.url ?? '/api/events';
  const g = globalThis as any;
  const locks = options.locks !== undefined ? options.locks : (g.navigator?.locks ?? null);
  const openChannel = options.openChannel !== undefined ? options.openChannel
    : (typeof g.BroadcastChannel === 'function' ? (name: string) => new g.BroadcastChannel(name) as ChannelLike : null);
  const openEventSource = options.openEventSource ?? ((u: string) => new g.EventSource(u, { withCredentials: true }) as EventSourceLike);

  const listeners = new Set<LiveListener>();
  let role: LiveStream['role'] = 'follower';
  let lastEventId: string | undefined;
  let source: EventSourceLike | undefined;
  let closed = false;
  let releaseLock: (() => void) | undefined;
  let state: LiveState = 'connecting';
  const stateListeners = new Set<(s: LiveState) => void>();
  const setState = (s: LiveState) => {
    if (s === state) return;
    state = s;
    for (const fn of stateListeners) fn(s);
  };

  const dispatch = (e: LiveEvent) => {
    if (e.id) lastEventId = e.id;
    // Any event means the connection works (followers learn it this way too).
    if (!closed) setState('live');
    for (const fn of listeners) fn(e);
  };

  const connect = (onEvent: (e: LiveEvent) => void, onStateChange: (s: LiveState) => void) => {
    const full = lastEventId ? `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(lastEventId)}` : url;
    const es = openEventSource(full);
    source = es;
    // The browser retries by itself after a dropped connection (readyState back to 0) and gives up
    // for good on an HTTP error (readyState 2).
    es.addEventListener('error', () => onStateChange(es.readyState === 2 ? 'off' : 'connecting'));
    for (const type of TYPES) {
      source.addEventListener(type, (m) => {
        const e = readLiveEvent(type, m.lastEventId || undefined, m.data);
        if (e) onEvent(e);
      });
    }
  };

  const channel = locks && openChannel ? openChannel(LOCK) : null;
  if (!channel) {
    role = 'solo';
    connect(dispatch, setState);
  } else {
    channel.onmessage = (m) => {
      if (role !== 'follower') return;
      const msg = m.data as LiveEvent | { state: LiveState };
      if ('state' in msg) setState(msg.state);
      else dispatch(msg);
    };
    void locks!.request(LOCK, () => {
      if (closed) return Promise.resolve();
      role = 'leader';
      connect(
        (e) => {
          dispatch(e);
          channel.postMessage(e);
        },
        (s) => {
          setState(s);
          channel.postMessage({ state: s });
        },
      );
      // Hold the lock until this tab closes the stream (or the tab itself goes away).
      return new Promise<void>((resolve) => (releaseLock = resolve));
    });
  }

  return {
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    onState(fn) {
      stateListeners.add(fn);
      fn(state);
      return () => stateListeners.delete(fn);
    },
    get state() {
      return state;
    },
    get role() {
      return role;
    },
    get lastEventId() {
      return lastEventId;
    },
    close() {
      closed = true;
      source?.close();
      source = undefined;
      channel?.close();
      listeners.clear();
      setState('off');
      stateListeners.clear();
      releaseLock?.();
    },
  };
}

let shared: LiveStream | undefined;
/** The page's one live stream, opened on first use. */
export function liveStream(): LiveStream {
  shared ??= createLiveStream();
  return shared;
}
