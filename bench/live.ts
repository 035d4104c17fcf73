// pnpm exec tsx bench/live.ts: the live figures on the database at DATABASE_URL (a scratch
// database with the 90-day history; PostgreSQL) or, without it, a fresh embedded one seeded
// with the dataset and the history. Prints: POST → SSE delivery p50/p99 with 200 streams,
// GET /api/kpis latency over the history, ingest throughput (cases/s through the API, with
// assignment), and with N concurrent streams the server's memory and one event's delivery to all.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';
// @hono/node-server is the server package's dependency, not the workspace root's.
import { serve } from '../server/node_modules/@hono/node-server/dist/index.mjs';
import { createApp, migrate, openDb, seedIfEmpty } from '../server/src/index.ts';
import { ensureDemoAccounts } from '../server/src/users/demo.ts';
import { seedCaseHistory } from '../server/src/live/history.ts';
import { filingStats } from '../server/src/cases/filing.ts';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 5000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ga-live-bench-'));
const db = await openDb({ databaseUrl: process.env.DATABASE_URL, dataDir });
await migrate(db);
await seedIfEmpty(db);
await ensureDemoAccounts(db);
const t0 = Date.now();
const written = await seedCaseHistory(db);
if (written) console.log(`history: ${written} cases in ${Date.now() - t0} ms`);
const app = createApp({ db, trustProxy: true });
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as http.Server;
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as any).port}`;

async function login(username: string) {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.9.${Math.floor(Math.random() * 250)}.1` }, body: JSON.stringify({ username, password: 'enshi-demo' }) });
  const { csrfToken } = (await res.json()) as any;
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: csrfToken as string };
}

/** One monotonic clock for every thread of the process (performance.now() starts per thread). */
const clock = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * `count` SSE clients on GET /api/events in a worker thread (bench/stream-clients.mjs), so that
 * parsing their events does not load the server's thread; resolves once every one is connected.
 */
async function streamClients(cookie: string, count: number) {
  const w = new Worker(new URL('./stream-clients.mjs', import.meta.url), { workerData: { url, cookie, count } });
  await new Promise<void>((resolve, reject) => {
    const ready = (m: { type: string; message?: string }) => {
      w.off('message', ready);
      if (m.type === 'ready') resolve();
      else reject(new Error(`stream clients: ${m.message}`));
    };
    w.on('message', ready);
    w.once('error', reject);
  });
  return {
    /** Each case event's arrival times (clock()), one per stream that got it. */
    arrivals: () => new Promise<Map<number, number[]>>((resolve) => {
      w.once('message', (m: { arrivals: [number, number[]][] }) => resolve(new Map(m.arrivals)));
      w.postMessage({ type: 'collect' });
    }),
    close: () => w.terminate(),
  };
}

const leader = await login('leader');
const secretary = await login('secretary-422801001001');
const point = (await db.query(`SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.code = '422801001001' ORDER BY g.id LIMIT 1`)).rows[0];

/** Files one case as the secretary; its event's id. */
async function fileOne(): Promise<number> {
  const res = await fetch(`${url}/api/cases`, { method: 'POST', headers: { Cookie: secretary.cookie, 'X-CSRF-Token': secretary.csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'garbage', lon: point.lon, lat: point.lat, description: '压测 (bench)' }) });
  const body = (await res.json()) as { event_id?: number };
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /api/cases ${res.status} ${JSON.stringify(body)}`);
  return Number(body.event_id);
}

// 1. POST → delivery on 200 streams: from the moment a filing is sent to its event's arrival
// on each stream.
const viewers = await streamClients(leader.cookie, 200);
const sent = new Map<number, number>();
// Three filings first, not counted: the first ones on a fresh process prepare its statements and
// fill its caches (a server in service has filed before); the bench measures the steady state.
const WARM_UP = 3;
for (let i = 0; i < 60 + WARM_UP; i++) {
  const t = clock();
  const eventId = await fileOne();
  if (i >= WARM_UP) sent.set(eventId, t);
  await new Promise((r) => setTimeout(r, i < WARM_UP ? 200 : 50));
}
await new Promise((r) => setTimeout(r, 1000));
const arrived = await viewers.arrivals();
await viewers.close();
const latencies = [...sent].flatMap(([id, t]) => (arrived.get(id) ?? []).map((a) => a - t));
console.log(`POST → SSE delivery, 200 streams, 60 cases [${db.kind}]: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms (${latencies.length}/${60 * 200} deliveries)`);

// 2. KPI latency over the 90 days of history, before the ingest below adds thousands of cases
// filed within a minute (no period of the city's holds such a pile): warm (the same question
// again: the answer shared while no case changed, kpis/cache.ts) and cold (a new question each
// time: the period ends one second later).
const kpiTimes: Record<string, number[]> = {};
for (const q of ['level=city&group=community', 'level=city', 'level=city&group=grid']) {
  for (const kind of ['warm', 'cold'] as const) {
    const key = `${q} ${kind}`;
    kpiTimes[key] = [];
    for (let i = 0; i < 40; i++) {
      const end = kind === 'warm' ? Date.now() - (Date.now() % 86_400_000) : Date.now() - 1000 * (i + 1);
      const to = new Date(end).toISOString();
      const from = new Date(end - 89 * 86_400_000).toISOString();
      const t = performance.now();
      const res = await fetch(`${url}/api/kpis?${q}&from=${from}&to=${to}`, { headers: { Cookie: leader.cookie } });
      if (res.status !== 200) throw new Error(`kpis ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      if (i >= 5) kpiTimes[key].push(performance.now() - t);
    }
    console.log(`GET /api/kpis?${q} over 90 days, ${kind} [${db.kind}]: p50 ${pct(kpiTimes[key], 50).toFixed(1)} ms, p99 ${pct(kpiTimes[key], 99).toFixed(1)} ms`);
  }
}

// 3. Ingest: cases filed through the API (validation, PostGIS assignment, event, audit, the
// duplicate check) by the city's hotline (the admin account files for residents) at households'
// points all over the city, as real reports spread, in the categories' proportions: a fixed
// count at each concurrency of BENCH_CLIENTS (a list; default 8, 32 and 64 clients at once, each
// on new points). The clients run in a worker thread, each on its own keep-alive connection
// writing a request and reading its whole response before the next, as a load tool (wrk) does,
// so that the server's event loop measures the server alone. Filings that arrive together are
// filed together (cases/filing.ts), so more clients at once make larger batches: the figure at 8
// is a modest load, the one at 64 what the server can take.
{
  const N = Number(process.env.BENCH_INGEST ?? 2000);
  const concurrency = (process.env.BENCH_CLIENTS ?? '8,32,64').split(',').map(Number);
  const hotline = await login('admin');
  // The categories in the proportions the 90-day history has them, spread evenly over the
  // filings (the i-th filing takes the category at i × the golden ratio along the cumulative
  // shares). All of one category would pile thousands of open cases of it onto the same streets
  // within a minute and make every filing's duplicate check return its full ten.
  const shares = (await db.query<{ code: string; n: number }>(
    `SELECT category_code AS code, count(*)::int AS n FROM cases GROUP BY 1 ORDER BY 2 DESC, 1`)).rows;
  const all = shares.reduce((s, r) => s + r.n, 0);
  const categoryAt = (i: number) => {
    let x = ((i * 0.6180339887498949) % 1) * all;
    for (const r of shares) if ((x -= r.n) < 0) return r.code;
    return shares[0].code;
  };
  for (const [k, CLIENTS] of concurrency.entries()) {
    const batchesBefore = filingStats(db).batches;
    const places = (await db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM households ORDER BY md5(id::text) LIMIT $1 OFFSET $2`, [N, k * N])).rows
      .map((p, i) => ({ ...p, category: categoryAt(i) }));
    const client = `
      const { parentPort, workerData: { url, cookie, csrf, places, clients } } = require('node:worker_threads');
      const net = require('node:net');
      const { hostname, port } = new URL(url);
      const head = 'POST /api/cases HTTP/1.1\\r\\nHost: ' + hostname + ':' + port + '\\r\\nCookie: ' + cookie + '\\r\\nX-CSRF-Token: ' + csrf
        + '\\r\\nContent-Type: application/json\\r\\nContent-Length: ';
      // One keep-alive connection per client; a request, then its whole response, then the next.
      const connect = () => new Promise((resolve, reject) => {
        const s = net.connect(Number(port), hostname, () => resolve(s));
        s.setNoDelay(true);
        s.once('error', reject);
      });
      const post = (s, body) => new Promise((resolve, reject) => {
        let buf = Buffer.alloc(0);
        const done = (e) => { s.off('data', onData); s.off('error', done); s.off('close', closed); e ? reject(e) : resolve(); };
        const closed = () => done(new Error('the server closed the connection'));
        const onData = (d) => {
          buf = buf.length ? Buffer.concat([buf, d]) : d;
          const end = buf.indexOf('\\r\\n\\r\\n');
          if (end < 0) return;
          const h = buf.subarray(0, end).toString('latin1');
          const len = /\\r\\ncontent-length: *(\\d+)/i.exec(h);
          if (!len) return done(new Error('a response without Content-Length: ' + h));
          if (buf.length < end + 4 + Number(len[1])) return;
          if (!h.startsWith('HTTP/1.1 201')) return done(new Error('POST /api/cases ' + h.split('\\r\\n')[0] + ' ' + buf.subarray(end + 4).toString()));
          done();
        };
        s.on('data', onData);
        s.on('error', done);
        s.on('close', closed);
        s.write(head + Buffer.byteLength(body) + '\\r\\n\\r\\n' + body);
      });
      let next = 0;
      const t = performance.now();
      Promise.all(Array.from({ length: clients }, async () => {
        const s = await connect();
        while (next < places.length) {
          const p = places[next++];
          await post(s, JSON.stringify({ category: p.category, lon: p.lon, lat: p.lat, description: '压测：批量上报 (bench ingest)' }));
        }
        s.end();
      })).then(() => parentPort.postMessage({ ms: performance.now() - t }), (e) => parentPort.postMessage({ error: e.message }));`;
    const done = await new Promise<{ ms?: number; error?: string }>((resolve, reject) => {
      const w = new Worker(client, { eval: true, workerData: { url, cookie: hotline.cookie, csrf: hotline.csrf, places, clients: CLIENTS } });
      w.once('message', (m) => void w.terminate().then(() => resolve(m)));
      w.once('error', reject);
    });
    if (done.error) throw new Error(done.error);
    const batches = filingStats(db).batches - batchesBefore;
    console.log(`ingest: ${N} cases through POST /api/cases at households all over the city, ${CLIENTS} clients [${db.kind}]: ${(N / (done.ms! / 1000)).toFixed(0)} cases/s`
      + ` (${batches} batches, ${(N / batches).toFixed(1)} filings a batch on average)`);
  }
}

// 4. many concurrent streams: the server's heap before and after (the clients' own memory is
// in their worker thread's heap, not this one's).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
gc();
const before = process.memoryUsage();
const crowd = await streamClients(leader.cookie, STREAMS);
gc();
const after = process.memoryUsage();
console.log(`${STREAMS} concurrent streams held [${db.kind}]: server heap +${((after.heapUsed - before.heapUsed) / 1048576).toFixed(0)} MB`
  + ` (${((after.heapUsed - before.heapUsed) / STREAMS / 1024).toFixed(1)} KB a stream; the clients run in a worker thread with a heap of its own)`);
// …and what one event costs with all of them connected: five filings, each fanned out to every stream.
const crowdSent = new Map<number, number>();
for (let i = 0; i < 5; i++) {
  const t = clock();
  crowdSent.set(await fileOne(), t);
  await new Promise((r) => setTimeout(r, 500));
}
const crowdArrived = await crowd.arrivals();
await crowd.close();
const crowdLatencies = [...crowdSent].flatMap(([id, t]) => (crowdArrived.get(id) ?? []).map((a) => a - t));
console.log(`POST → SSE delivery, ${STREAMS} streams, 5 cases [${db.kind}]: p50 ${pct(crowdLatencies, 50).toFixed(1)} ms, p99 ${pct(crowdLatencies, 99).toFixed(1)} ms, last ${Math.max(...crowdLatencies).toFixed(1)} ms (${crowdLatencies.length}/${5 * STREAMS} deliveries)`);
server.close();
await db.close();
process.exit(0);
