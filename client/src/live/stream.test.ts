import { describe, expect, it } from 'vitest';
import { createLiveStream, type ChannelLike, type EventSourceLike, type LiveEvent, type LocksLike } from './stream.ts';

// Fakes of the browser pieces: a lock manager that grants one holder at a time in request
// order, a BroadcastChannel bus that delivers to every other member, and EventSources the
// test can push named events into.
class FakeLocks implements LocksLike {
  private queue: { cb: () => Promise<void>; done: (v: unknown) => void }[] = [];
  private held = false;
  request(_name: string, cb: () => Promise<void>) {
    return new Promise((done) => {
      this.queue.push({ cb, done });
      this.next();
    });
  }
  private next() {
    if (this.held || !this.queue.length) return;
    const { cb, done } = this.queue.shift()!;
    this.held = true;
    void cb().then((v) => {
      this.held = false;
      done(v);
      this.next();
    });
  }
}

class Bus {
  members = new Set<ChannelLike>();
  open = (): ChannelLike => {
    const bus = this;
    const ch: ChannelLike = {
      onmessage: null,
      postMessage(msg) {
        for (const m of bus.members) if (m !== ch) queueMicrotask(() => m.onmessage?.({ data: structuredClone(msg) }));
      },
      close() {
        bus.members.delete(ch);
      },
    };
    this.members.add(ch);
    return ch;
  };
}

class FakeSource implements EventSourceLike {
  static all: FakeSource[] = [];
  listeners = new Map<string, ((e: { data: string; lastEventId: string }) => void)[]>();
  closed = false;
  readyState = 0;
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: { data: string; lastEventId: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  emit(type: string, id: string, data: unknown) {
    for (const fn of this.listeners.get(type) ?? []) fn({ data: JSON.stringify(data), lastEventId: id });
  }
  close() {
    this.closed = true;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
/** A case event as the server writes it (the contract's LiveCaseEvent). */
const caseEvent = (id: number, case_id: number) => ({
  id, case_id, at: '2026-05-01T08:00:00.000Z', action: 'submit', from_status: null, to_status: 'submitted', actor_label: '网格员',
  grid_id: 3, community_id: 2, subdistrict_id: 1, department_id: null, payload: {},
  case: { number: `ES${case_id}`, category: 'garbage', category_name: '垃圾清运', priority: 'normal', status: 'submitted',
    lon: 109.47, lat: 30.29, grid_id: 3, community_id: 2, subdistrict_id: 1 },
});
const open = () => FakeSource.all.filter((s) => !s.closed);

describe('one shared live stream across tabs', () => {
  it('the first tab leads with the only EventSource; a second tab follows and gets every event', async () => {
    FakeSource.all = [];
    const locks = new FakeLocks();
    const bus = new Bus();
    const opts = { locks, openChannel: bus.open, openEventSource: (u: string) => new FakeSource(u) };
    const a = createLiveStream(opts);
    const b = createLiveStream(opts);
    await tick();
    expect([a.role, b.role]).toEqual(['leader', 'follower']);
    expect(open()).toHaveLength(1);
    expect(open()[0].url).toBe('/api/events');

    const seenA: LiveEvent[] = [];
    const seenB: LiveEvent[] = [];
    a.subscribe((e) => seenA.push(e));
    b.subscribe((e) => seenB.push(e));
    open()[0].emit('case', '41', caseEvent(41, 7));
    await tick();
    expect(seenA).toEqual([{ type: 'case', id: '41', data: caseEvent(41, 7) }]);
    expect(seenB).toEqual(seenA);
    expect(b.lastEventId).toBe('41');
  });

  it('when the leader closes, the follower takes over and resumes from the last id it saw', async () => {
    FakeSource.all = [];
    const locks = new FakeLocks();
    const bus = new Bus();
    const opts = { locks, openChannel: bus.open, openEventSource: (u: string) => new FakeSource(u) };
    const a = createLiveStream(opts);
    const b = createLiveStream(opts);
    await tick();
    open()[0].emit('case', '99', caseEvent(99, 1));
    await tick();
    a.close();
    await tick();
    expect(b.role).toBe('leader');
    expect(open()).toHaveLength(1);
    expect(open()[0].url).toBe('/api/events?lastEventId=99');
    const seen: LiveEvent[] = [];
    b.subscribe((e) => seen.push(e));
    open()[0].emit('reset', '120', { reason: 'behind', lastId: 120 });
    expect(seen.map((e) => e.type)).toEqual(['reset']);
  });

  it('without Web Locks every tab opens its own stream', async () => {
    FakeSource.all = [];
    const opts = { locks: null, openChannel: new Bus().open, openEventSource: (u: string) => new FakeSource(u) };
    const a = createLiveStream(opts);
    const b = createLiveStream(opts);
    await tick();
    expect([a.role, b.role]).toEqual(['solo', 'solo']);
    expect(open()).toHaveLength(2);
  });

  it('reports the connection state: connecting, live on the first event, connecting while the browser retries, off when it gives up', async () => {
    FakeSource.all = [];
    const locks = new FakeLocks();
    const bus = new Bus();
    const opts = { locks, openChannel: bus.open, openEventSource: (u: string) => new FakeSource(u) };
    const a = createLiveStream(opts);
    const b = createLiveStream(opts);
    await tick();
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.onState((s) => seenA.push(s));
    b.onState((s) => seenB.push(s));
    const src = open()[0];
    src.emit('ready', '5', { lastId: 5 });
    await tick();
    src.readyState = 0;
    src.emit('error', '', null);
    await tick();
    src.emit('heartbeat', '', 1);
    await tick();
    src.readyState = 2;
    src.emit('error', '', null);
    await tick();
    expect(seenA).toEqual(['connecting', 'live', 'connecting', 'live', 'off']);
    expect(seenB).toEqual(seenA);
    expect(a.state).toBe('off');
  });

  it('reads each event with the contract\'s schema and drops one that does not match it', async () => {
    FakeSource.all = [];
    const s = createLiveStream({ locks: null, openChannel: null, openEventSource: (u: string) => new FakeSource(u) });
    const seen: LiveEvent[] = [];
    s.subscribe((e) => seen.push(e));
    const src = open()[0];
    src.emit('case', '7', { case_id: 7, action: 'submit' });
    src.emit('case', '8', { ...caseEvent(8, 2), action: 'teleport' });
    src.emit('heartbeat', '', 'soon');
    src.emit('case', '9', caseEvent(9, 3));
    src.emit('heartbeat', '', 1700000000000);
    expect(seen).toEqual([{ type: 'case', id: '9', data: caseEvent(9, 3) }, { type: 'heartbeat', id: undefined, data: 1700000000000 }]);
    expect(s.lastEventId).toBe('9');
  });
});
