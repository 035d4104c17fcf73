// The live stream: scope, replay after a reconnect, reset when too far behind, personal
// fields, and delivery across two app instances and across two server processes.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveCase, liveCaseEvent } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { appendEvent, insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb, testDbEnv } from '../../../test/db.ts';
import { SseReader } from '../../../test/sse.ts';
import { startServer, type RunningServer } from '../../../e2e/support/server.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { hubFor } from '../live/hub.ts';
import { openStreams, REPLAY_LIMIT } from './events.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
// Two communities no other test file uses (the 11th and 12th by code).
const A = { community: 0, grid: 0, code: '' };
const B = { community: 0, grid: 0, code: '' };
let dept = 0;
const who: Record<string, Signed> = {};

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  via = app;
  const { rows } = await db.query<any>(
    `SELECT cm.id, cm.code, (SELECT min(g.id) FROM grids g WHERE g.community_id = cm.id) AS grid
       FROM communities cm ORDER BY cm.code OFFSET 10 LIMIT 2`);
  Object.assign(A, { community: rows[0].id, grid: rows[0].grid, code: rows[0].code });
  Object.assign(B, { community: rows[1].id, grid: rows[1].grid, code: rows[1].code });
  // a unit of B's 大党委 (the tests whistle it to a case in B: a community whistles only its own units), and its staff account
  const unit = (await db.query<any>(
    `SELECT u.department_id, s.username FROM community_partner_units u JOIN users s ON s.department_id = u.department_id AND s.role = 'department_staff'
      WHERE u.community_id = $1 ORDER BY u.department_id, s.username LIMIT 1`, [B.community])).rows[0];
  dept = unit.department_id;
  who.a = await signIn(app, `secretary-${A.code}`, undefined, '10.7.0.1');
  who.b = await signIn(app, `secretary-${B.code}`, undefined, '10.7.0.2');
  who.leader = await signIn(app, 'leader', undefined, '10.7.0.3');
  who.dept = await signIn(app, unit.username, undefined, '10.7.0.4');
});
afterAll(() => db?.close());

/** How a test reaches the app: app.request(), or fetch() to a real HTTP server in front of it. */
type Target = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };
let via: Target;

async function stream(signed: Signed, lastEventId?: string, target: Target = via) {
  const res = await target.request('/api/events', {
    headers: { ...signed.headers, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  return new SseReader(res);
}

const submitted = (grid: number, extra: Record<string, unknown> = {}) => ({
  grid_id: grid, status: 'submitted', created_at: new Date(),
  events: [{ action: 'submit', at: new Date(), to: 'submitted', payload: extra }],
  ...('reporter_phone' in extra ? { reporter_phone: String(extra.reporter_phone) } : {}),
});

// Every test of the stream runs both ways a response leaves the app: through app.request() (a
// web ReadableStream) and through a real HTTP server (@hono/node-server, where the route writes
// to Node's response itself).
describe.each(['app.request', 'HTTP'] as const)('GET /api/events via %s', (transport) => {
  let server: ServerType | undefined;
  beforeAll(async () => {
    via = app;
    if (transport === 'app.request') return;
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    via = { request: (path, init) => fetch(url + path, init) };
  });
  afterAll(async () => {
    via = app;
    if (!server) return;
    (server as Server).closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
  });

  it('a secretary of community A gets A’s events and none of B’s', async () => {
    const s = await stream(who.a);
    await s.next('ready');
    const b = await insertCase(db, submitted(B.grid));
    const a = await insertCase(db, submitted(A.grid));
    hubFor(db).wake();
    const e = await s.next('case');
    // Ids are delivered in order, so B's (lower) id would have come first.
    expect(Number(e.id)).toBe(a.events[0]);
    expect(JSON.parse(e.data)).toMatchObject({ case_id: a.id, action: 'submit', community_id: A.community });
    expect(b.events[0]).toBeLessThan(a.events[0]);
    expect(s.seen.filter((x) => x.event === 'case').map((x) => Number(x.id))).toEqual([a.events[0]]);
    await s.close();
  });

  it('replays what was missed after a reconnect with Last-Event-ID, in order and in scope', async () => {
    const s = await stream(who.a);
    const ready = await s.next('ready');
    await s.close();
    const c = await insertCase(db, submitted(A.grid));
    await insertCase(db, submitted(B.grid));
    const second = await appendEvent(db, c.id, { action: 'comment', to: 'submitted', payload: { note: '补充' } });
    const again = await stream(who.a, ready.id);
    expect((await again.next('case')).id).toBe(String(c.events[0]));
    expect((await again.next('case')).id).toBe(String(second));
    await again.next('ready');
    expect(again.seen.filter((x) => x.event === 'case')).toHaveLength(2);
    // …and live events follow the replay.
    const third = await appendEvent(db, c.id, { action: 'comment', to: 'submitted' });
    hubFor(db).wake();
    expect((await again.next('case')).id).toBe(String(third));
    await again.close();
  });

  it(`sends reset when more than ${REPLAY_LIMIT} visible events were missed`, async () => {
    const s = await stream(who.a);
    const ready = await s.next('ready');
    await s.close();
    const c = await insertCase(db, submitted(A.grid));
    await db.query<any>(
      `INSERT INTO case_events (case_id, actor_label, action, from_status, to_status, grid_id, community_id, subdistrict_id)
       SELECT c.id, '测试', 'comment', 'submitted', 'submitted', c.grid_id, c.community_id, c.subdistrict_id
         FROM cases c, generate_series(1, $2) WHERE c.id = $1`, [c.id, REPLAY_LIMIT + 1]);
    const again = await stream(who.a, ready.id);
    const reset = await again.next(['reset', 'case']);
    expect(reset.event).toBe('reset');
    expect(Number(reset.id)).toBeGreaterThan(Number(ready.id));
    await again.close();
  });

  it('lets go of a stream when its client leaves', async () => {
    // The tests before closed theirs; over HTTP the server hears of it a moment later.
    const none = async () => {
      for (let i = 0; i < 100 && openStreams() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      return openStreams();
    };
    expect(await none()).toBe(0);
    const streams = await Promise.all([stream(who.a), stream(who.leader), stream(who.dept)]);
    await Promise.all(streams.map((s) => s.next('ready')));
    expect(openStreams()).toBe(3);
    await Promise.all(streams.map((s) => s.close()));
    expect(await none()).toBe(0);
  });

  it('answers a malformed Last-Event-ID with 400', async () => {
    const res = await via.request('/api/events', { headers: { ...who.a.headers, 'Last-Event-ID': '12; DROP' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatch(/Last-Event-ID/);
    expect((await via.request('/api/events?since=1', { headers: who.a.headers })).status).toBe(400);
  });

  it('personal fields reach the secretary but not the city leader', async () => {
    const sa = await stream(who.a);
    const sl = await stream(who.leader);
    await Promise.all([sa.next('ready'), sl.next('ready')]);
    const c = await insertCase(db, submitted(A.grid, { reporter_phone: '13800001111', category: 'garbage' }));
    hubFor(db).wake();
    const [ea, el] = await Promise.all([sa.next('case'), sl.next('case')]);
    expect(ea.id).toBe(String(c.events[0]));
    expect(el.id).toBe(String(c.events[0]));
    expect(JSON.parse(ea.data).payload).toMatchObject({ reporter_phone: '13800001111', category: 'garbage' });
    expect(JSON.parse(el.data).payload).toEqual({ category: 'garbage' });
    expect(el.data).not.toContain('13800001111');
    await Promise.all([sa.close(), sl.close()]);
  });

  it('department staff get their department’s cases and cases whistled to it, nothing else', async () => {
    const s = await stream(who.dept);
    await s.next('ready');
    const other = await insertCase(db, submitted(A.grid));
    const mine = await insertCase(db, { ...submitted(A.grid), assigned_department_id: dept });
    const whistled = await insertCase(db, submitted(B.grid));
    await db.query<any>('INSERT INTO case_whistles (case_id, department_id) VALUES ($1, $2)', [whistled.id, dept]);
    const w = await appendEvent(db, whistled.id, { action: 'whistle', to: 'submitted', payload: { departments: [dept] } });
    hubFor(db).wake();
    const got: string[] = [];
    while (got[got.length - 1] !== String(w)) got.push((await s.next('case')).id!);
    // The whistled case's earlier submit may come too, when the hub reads it after the
    // whistle (it is the department's case by then); the unrelated case never does.
    expect(got[0]).toBe(String(mine.events[0]));
    expect(got.every((id) => [mine.events[0], whistled.events[0], w].map(String).includes(id))).toBe(true);
    expect(s.seen.some((e) => e.id === String(other.events[0]))).toBe(false);
    await s.close();
  });

  it('replays to department staff only their department’s cases and those whistled to it', async () => {
    const s = await stream(who.dept);
    const ready = await s.next('ready');
    await s.close();
    const other = await insertCase(db, submitted(A.grid));
    const mine = await insertCase(db, { ...submitted(A.grid), assigned_department_id: dept });
    const whistled = await insertCase(db, submitted(B.grid));
    await db.query<any>('INSERT INTO case_whistles (case_id, department_id) VALUES ($1, $2)', [whistled.id, dept]);
    const w = await appendEvent(db, whistled.id, { action: 'whistle', to: 'submitted', payload: { departments: [dept] } });
    const again = await stream(who.dept, ready.id);
    try {
      // The replay comes before `ready`; the whistled case's own submit is the department's now.
      await again.next('ready');
      const replayed = again.seen.filter((e) => e.event === 'case').map((e) => Number(e.id));
      expect(replayed).not.toContain(other.events[0]);
      expect(replayed).toEqual([mine.events[0], whistled.events[0], w]);
    } finally {
      await again.close(); // a failure here must not leave a stream open for the tests after
    }
  });

  it('two app instances on one database share one hub and both deliver', async () => {
    const second = createApp({ db });
    const s1 = await stream(who.leader);
    const s2 = await stream(who.leader, undefined, second);
    await Promise.all([s1.next('ready'), s2.next('ready')]);
    const before = hubFor(db).stats.ticks;
    const c = await insertCase(db, submitted(B.grid));
    await hubFor(db).flush();
    const [e1, e2] = await Promise.all([s1.next('case'), s2.next('case')]);
    expect([e1.id, e2.id]).toEqual([String(c.events[0]), String(c.events[0])]);
    // One shared read served both streams.
    expect(hubFor(db).stats.ticks - before).toBeGreaterThanOrEqual(1);
    expect(hubFor(db).subscribers.size).toBeGreaterThanOrEqual(2);
    await Promise.all([s1.close(), s2.close()]);
  });
});

describe('each event carries its case, as its subscriber may see it', () => {
  it('carries what the command map shows, the same as GET /api/cases/:id, in the contract’s shape', async () => {
    const s = await stream(who.a);
    await s.next('ready');
    const c = await insertCase(db, submitted(A.grid));
    hubFor(db).wake();
    const e = await s.next('case');
    await s.close();
    const data = liveCaseEvent.parse(JSON.parse(e.data));
    expect(data.case_id).toBe(c.id);
    const res = await app.request(`/api/cases/${c.id}`, { headers: who.a.headers });
    expect(res.status).toBe(200);
    const detail = ((await res.json()) as any).case;
    expect(data.case).toEqual(liveCase.parse(detail));
    expect(data.case).toMatchObject({ community_id: A.community, grid_id: A.grid, status: 'submitted', category: 'garbage' });
    expect(data.case!.category_name.length).toBeGreaterThan(0);
  });

  it('leaves the case out for a subscriber who would no longer see it (it moved out of their area)', async () => {
    const s = await stream(who.a);
    const ready = await s.next('ready');
    await s.close();
    const c = await insertCase(db, submitted(A.grid));
    const b = (await db.query<any>('SELECT subdistrict_id FROM communities WHERE id = $1', [B.community])).rows[0];
    await db.query('UPDATE cases SET grid_id = $2, community_id = $3, subdistrict_id = $4 WHERE id = $1',
      [c.id, B.grid, B.community, b.subdistrict_id]);
    // A's secretary still gets the event (it was written in A) but not the case, now B's.
    const again = await stream(who.a, ready.id);
    const leader = await stream(who.leader, ready.id);
    try {
      await Promise.all([again.next('ready'), leader.next('ready')]);
      const mine = (r: SseReader) => r.seen.filter((x) => x.event === 'case').map((x) => liveCaseEvent.parse(JSON.parse(x.data)))
        .find((x) => x.case_id === c.id);
      expect(mine(again)).toMatchObject({ community_id: A.community, case: null });
      expect(JSON.stringify(mine(again))).not.toContain(B.code);
      expect(mine(leader)?.case).toMatchObject({ community_id: B.community, grid_id: B.grid });
    } finally {
      await Promise.all([again.close(), leader.close()]);
    }
  });
});

describe('the hub under a burst of writes', () => {
  it('reads once for many wakes, and delivers every event in order', async () => {
    const hub = hubFor(db);
    await hub.start();
    await hub.flush();
    const s = await stream(who.a);
    await s.next('ready');
    const before = hub.stats.ticks;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await insertCase(db, submitted(A.grid))).id);
      for (let k = 0; k < 20; k++) hub.wake();
    }
    await hub.flush();
    const ticks = hub.stats.ticks - before;
    // 100 wakes: each burst of 20 starts at most a tick and one more after it (wakes during a
    // tick coalesce); a poll or two and the flush may add theirs. One tick per wake would be 100.
    expect(ticks).toBeLessThanOrEqual(20);
    const got: number[] = [];
    while (got.length < ids.length) got.push(JSON.parse((await s.next('case')).data).case_id);
    expect(got).toEqual(ids);
    await s.close();
  });
});

describe('two server processes on one database', () => {
  let one: RunningServer | undefined;
  let two: RunningServer | undefined;
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });

  it('an event written through one process reaches a stream on the other', async () => {
    const env = { ...testDbEnv(), GRID_ATLAS_SIMULATOR: '0' };
    [one, two] = await Promise.all([startServer(env), startServer(env)]);
    const login = async (url: string) => {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.7.1.1' },
        body: JSON.stringify({ username: `secretary-${A.code}`, password: 'enshi-demo' }),
      });
      expect(res.status).toBe(200);
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    const cookie = await login(two.url);
    const res = await fetch(`${two.url}/api/events`, { headers: { Cookie: cookie } });
    const s = new SseReader(res);
    await s.next('ready');
    // Written by a third connection: process two learns of it by NOTIFY (PostgreSQL) or by
    // polling the table (embedded), never from this test's hub.
    const c = await insertCase(db, submitted(A.grid));
    const e = await s.next('case', 15_000);
    expect(e.id).toBe(String(c.events[0]));
    await s.close();
  });
});
