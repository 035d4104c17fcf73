// pnpm bench: start-up, API latency and payload sizes, and household → grid assignment,
// on the embedded database and (when BENCH_DATABASE_URL names a scratch database that may
// be wiped) on a real PostgreSQL + PostGIS server. Prints one table.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { startServer } from '../e2e/support/server.ts';
import { PROJECT_ROOT } from '../server/src/config.ts';
import { decodeHouseholds } from '@grid-atlas/contract';
import { planFigures } from './plans.ts';
import { loadCommunityBlocks } from '../server/src/cli/balance-plan.ts';
import { plannerFigures } from './planner.ts';
import { scaleBench } from './scale.ts';

type Row = [string, string, string];
const rows: Row[] = [];
const add = (what: string, backend: string, value: string) => {
  rows.push([what, backend, value]);
  console.error(`  ${what} [${backend}]: ${value}`);
};
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timeStart(env: Record<string, string>) {
  const t0 = performance.now();
  const server = await startServer(env, 600_000);
  return { server, ms: performance.now() - t0, t0 };
}

/**
 * One row per step of a start, from the server's own "start-steps {json}" log line (main.ts),
 * and "history-steps {json}" (the demo history, written after listening) when there is one, so
 * the breakdown is the server's clock, not a second timing here.
 */
function addSteps(label: string, backend: string, logs: string[]) {
  const text = logs.join('');
  const line = /\[grid-atlas\] start-steps (\{.*\})/.exec(text);
  if (!line) return add(`${label}: steps`, backend, 'no start-steps line in the log');
  const history = /\[grid-atlas\] history-steps (\{.*\})/.exec(text);
  for (const [json, after] of [[line[1], ''], ...(history ? [[history[1], ' (after listening)']] : [])]) {
    const { steps } = JSON.parse(json) as { steps: { step: string; ms: number }[] };
    for (const s of steps) add(`${label}: ${s.step}${after}`, backend, sec(s.ms));
  }
}

/** Polls /api/health until the demo history is written (at once where there is none to write). */
async function historyReady(url: string): Promise<void> {
  for (;;) {
    const h = await (await fetch(`${url}/api/health`)).json() as { history?: string };
    if (h.history !== 'filling') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The client's production build (what `pnpm start` runs alongside the server's start when the
 * client is stale), into a scratch folder so client/dist stays as it is.
 */
function clientBuild() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-bench-client-'));
  try {
    const t0 = performance.now();
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: path.join(PROJECT_ROOT, 'client'), stdio: 'inherit', env: { ...process.env, VITE_TEST_HOOKS: '' },
    });
    add('client build (Vite; `pnpm start` runs it alongside the server when stale)', 'js', sec(performance.now() - t0));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Signs in as a demo account (the city leader by default) and returns the session cookie. */
async function leaderCookie(url: string, username = 'leader'): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'enshi-demo' }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/**
 * One GET with node:http, which (unlike fetch) leaves the body compressed: the latency is
 * the server's answer on the wire, not the client's gunzip.
 */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
const crowd = new http.Agent({ keepAlive: true, maxSockets: 256 });

function timedGet(url: string, headers: Record<string, string>, agent = keepAlive): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http.get(url, { headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    }).on('error', reject);
  });
}

const pq = (times: number[]) => {
  const s = [...times].sort((a, b) => a - b);
  return `${percentile(s, 50).toFixed(1)} ms / ${percentile(s, 99).toFixed(1)} ms`;
};

/**
 * Every GET route for the largest scope that may call it (the city for most, the largest
 * subdistrict for personal data), one caller at a time: p50 / p99 of up to 20 requests,
 * cut short after 15 s so a pathological route does not stall the bench.
 */
/** The community with the most grids (the planner's heaviest page). */
async function largestCommunity(url: string, cookie: string): Promise<number> {
  const res = await fetch(`${url}/api/communities`, { headers: { Cookie: cookie } });
  const fc = (await res.json()) as { features: { properties: { id: number; grids: number } }[] };
  return fc.features.reduce((a, b) => (b.properties.grids > a.properties.grids ? b : a)).properties.id;
}

/**
 * The duplicate suggestion a filer sees: open cases of a category near a point. The point is
 * the newest open case's, of its category, so there is something to find.
 */
async function duplicateQuery(url: string, cookie: string): Promise<string> {
  const res = await fetch(`${url}/api/cases?status=submitted,accepted,dispatched,claimed,in_progress&limit=1`, { headers: { Cookie: cookie } });
  const c = ((await res.json()) as { cases: { lon: number; lat: number; category: string }[] }).cases[0];
  return c ? `/api/cases?near=${c.lon.toFixed(6)},${c.lat.toFixed(6)}&category=${c.category}` : '/api/cases?near=109.48,30.29';
}

async function routeFigures(url: string, backend: string) {
  const leader = await leaderCookie(url);
  const admin = await leaderCookie(url, 'admin');
  const sub = await leaderCookie(url, 'subdistrict-422801001');
  const routes: [string, string][] = [
    ['/api/health', ''], ['/api/me', leader], ['/api/subdistricts', leader], ['/api/communities', leader],
    ['/api/grids', leader], ['/api/city-outline', leader], ['/api/households', leader], ['/api/audit', admin],
    ['/api/households/records', sub], ['/api/households/records?offset=7000', sub],
    ['/api/households/records?offset=9999999', sub], ['/api/households/records?q=%E5%BC%A0', sub],
    ['/api/households/records?unlinked=true&offset=2000', sub], ['/api/roster', sub], ['/api/links', sub],
    ['/api/basemap', leader], ['/api/departments', leader], ['/api/case-categories', leader],
    ['/api/coverage', leader], ['/api/coverage?kind=sunk&heat=1', leader],
    ['/api/cases', leader], ['/api/cases?status=submitted,accepted,dispatched,claimed,in_progress&limit=200', leader],
    ['/api/cases', sub], [await duplicateQuery(url, leader), leader], ['/api/kpis', leader], ['/api/kpis?group=subdistrict', leader], ['/api/kpis?group=community', leader],
    ['/api/kpis?group=grid', leader], [`/api/blocks?community=${await largestCommunity(url, leader)}`, leader], ['/api/plans', leader],
    ['/api/public/categories', ''],
  ];
  for (const [route, cookie] of routes) {
    const headers: Record<string, string> = { 'Accept-Encoding': 'gzip', ...(cookie ? { Cookie: cookie } : {}) };
    await timedGet(`${url}${route}`, headers); // warm the caches
    const times: number[] = [];
    const until = performance.now() + 15_000;
    for (let i = 0; i < 20 && performance.now() < until; i++) {
      const r = await timedGet(`${url}${route}`, headers);
      if (r.status !== 200) throw new Error(`${route} answered ${r.status}`);
      times.push(r.ms);
    }
    add(`GET ${route} p50 / p99 (${times.length} sequential, ${cookie === sub ? 'subdistrict' : cookie === admin ? 'admin' : cookie ? 'leader' : 'anonymous'})`, backend, pq(times));
  }

  // 200 signed-in users asking for the (cached) grids at once, each on a connection of their own
  // (opened for the burst); five bursts, so one GC pause does not make the figure.
  const burst: { status: number; ms: number }[] = [];
  for (let round = 0; round < 5; round++) {
    const users = new http.Agent({ keepAlive: true, maxSockets: 256 });
    burst.push(...await Promise.all(Array.from({ length: 200 }, () =>
      timedGet(`${url}/api/grids`, { Cookie: leader, 'Accept-Encoding': 'gzip' }, users))));
    users.destroy();
  }
  if (burst.some((r) => r.status !== 200)) throw new Error('a concurrent /api/grids failed');
  add('200 concurrent /api/grids p50 / p99 (5 bursts, new connections)', backend, pq(burst.map((r) => r.ms)));

  // Health, /api/me and /api/grids while another user's slowest register page runs.
  for (const [route, cookie] of [['/api/health', ''], ['/api/me', leader], ['/api/grids', leader]] as const) {
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const heavy = timedGet(`${url}/api/households/records?offset=9999999`, { Cookie: sub }, crowd);
      await new Promise((r) => setTimeout(r, 20));
      waits.push((await timedGet(`${url}${route}`, cookie ? { Cookie: cookie, 'Accept-Encoding': 'gzip' } : {}, crowd)).ms);
      await heavy;
    }
    add(`GET ${route} while another user pages the register: max of 5`, backend, `${Math.max(...waits).toFixed(1)} ms`);
  }
}

/**
 * Vector tiles against the GeoJSON they replace: every tile of the grids, communities and blocks
 * layers over the city at zoom 12 (the wall's city view) and 14 (a community filling the screen),
 * as a leader: each tile's first answer (built: ST_AsMVT on PostgreSQL, the geojson-vt index on
 * the embedded database, whose first tile of a layer also builds the index) and its cached
 * answer, p50 / p99, and the bytes of the whole set raw and gzipped beside /api/grids.
 */
async function tileFigures(url: string, backend: string) {
  const Cookie = await leaderCookie(url);
  const fc = (await (await fetch(`${url}/api/grids`, { headers: { Cookie } })).json()) as { features: { geometry: { coordinates: unknown } }[] };
  const box = { xmin: 180, ymin: 90, xmax: -180, ymax: -90 };
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      box.xmin = Math.min(box.xmin, x); box.xmax = Math.max(box.xmax, x);
      box.ymin = Math.min(box.ymin, y); box.ymax = Math.max(box.ymax, y);
    } else for (const d of c as unknown[]) walk(d);
  };
  for (const f of fc.features) walk(f.geometry.coordinates);
  const tileOf = (lon: number, lat: number, z: number) => {
    const r = (lat * Math.PI) / 180;
    return [Math.floor(((lon + 180) / 360) * 2 ** z), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z)];
  };
  for (const z of [12, 14]) {
    const [x0, y0] = tileOf(box.xmin, box.ymax, z);
    const [x1, y1] = tileOf(box.xmax, box.ymin, z);
    for (const layer of ['grids', 'communities', 'blocks']) {
      const paths: string[] = [];
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) paths.push(`/tiles/${layer}/${z}/${x}/${y}.mvt`);
      const cold: number[] = [];
      const warm: number[] = [];
      let raw = 0;
      let gzip = 0;
      for (const p of paths) cold.push((await timedGet(`${url}${p}`, { Cookie, 'Accept-Encoding': 'gzip' })).ms);
      for (let round = 0; round < 5; round++) for (const p of paths) warm.push((await timedGet(`${url}${p}`, { Cookie, 'Accept-Encoding': 'gzip' })).ms);
      for (const p of paths) {
        raw += (await rawGet(`${url}${p}`, { Cookie })).body.length;
        gzip += (await rawGet(`${url}${p}`, { Cookie, 'Accept-Encoding': 'gzip' })).body.length;
      }
      add(`GET /tiles/${layer}/${z}: first answer p50 / p99 (${paths.length} tiles over the city)`, backend, pq(cold));
      add(`GET /tiles/${layer}/${z}: cached p50 / p99 (5 × ${paths.length})`, backend, pq(warm));
      add(`  /tiles/${layer}/${z}: all ${paths.length} tiles raw / gzip`, backend, `${kb(raw)} / ${kb(gzip)}`);
    }
  }
}

async function apiFigures(url: string, backend: string) {
  const Cookie = await leaderCookie(url);
  const get = (path: string, encoding: string) => fetch(`${url}${path}`, { headers: { Cookie, 'Accept-Encoding': encoding } });
  for (let i = 0; i < 10; i++) await rawGet(`${url}/api/grids`, { Cookie, 'Accept-Encoding': 'gzip' });
  const times: number[] = [];
  let gzipBytes = 0;
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const res = await rawGet(`${url}/api/grids`, { Cookie, 'Accept-Encoding': 'gzip' });
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`/api/grids answered ${res.status}`);
    gzipBytes = res.body.length;
  }
  times.sort((a, b) => a - b);
  add('/api/grids latency p50 / p99 (200 warm requests)', backend, `${percentile(times, 50).toFixed(1)} ms / ${percentile(times, 99).toFixed(1)} ms`);
  // fetch() decompresses transparently; ask again without gzip for the raw size.
  const raw = await (await get('/api/grids', 'identity')).arrayBuffer();
  add('/api/grids size raw / gzip', backend, `${kb(raw.byteLength)} / ${kb(gzipBytes)}`);

  const bin = new Uint8Array(await (await get('/api/households', 'identity')).arrayBuffer());
  const h = decodeHouseholds(bin);
  const geojson = JSON.stringify({
    type: 'FeatureCollection',
    features: Array.from(h.ids, (id, i) => ({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: [+h.positions[2 * i].toFixed(6), +h.positions[2 * i + 1].toFixed(6)] },
      properties: { grid_id: h.gridIds[i], flags: h.flags[i], size: h.sizes[i] },
    })),
  });
  add(`/api/households (${h.count} points) raw / gzip`, backend, `${kb(bin.byteLength)} / ${kb(gzipSync(bin).length)}`);
  add('  same points as GeoJSON raw / gzip', backend, `${kb(geojson.length)} / ${kb(gzipSync(geojson).length)}`);
}

async function assignment(connectionString: string, backend: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const run = async (label: string, sql: string) => {
      await client.query('BEGIN');
      const t0 = performance.now();
      const r = await client.query(sql);
      const ms = performance.now() - t0;
      await client.query('ROLLBACK');
      add(label, backend, `${ms.toFixed(0)} ms (${r.rowCount} rows)`);
    };
    await run('assign all households → grids: indexed join (count)',
      `SELECT g.id, count(*) FROM households h JOIN grids g ON ST_Intersects(g.geom, h.geom) GROUP BY g.id`);
    await run('assign all households → grids: full UPDATE',
      `UPDATE households h SET grid_id = g.id FROM grids g WHERE ST_Intersects(g.geom, h.geom)`);
    await run('assign all households → grids: UPDATE only changed',
      `UPDATE households h SET grid_id = g.id FROM grids g WHERE ST_Intersects(g.geom, h.geom) AND h.grid_id IS DISTINCT FROM g.id`);
  } finally {
    await client.end();
  }
}

/** The grid planner's figures (pure JS) on the community with the most households. */
async function planner(db: { withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> }) {
  const data = await db.withClient(async (c) => {
    const { rows } = await c.query(`SELECT c.code FROM communities c JOIN grids g ON g.community_id = c.id
      JOIN households h ON h.grid_id = g.id GROUP BY c.code ORDER BY count(*) DESC, c.code LIMIT 1`);
    return loadCommunityBlocks(c, rows[0].code);
  });
  plannerFigures(`${data.community.name}`, data.assignment, (what, value) => add(what, 'js', value));
}

/** Ends the embedded half early under BENCH_ONLY=tiles. */
const TILES_ONLY = Symbol('tiles only');

async function main() {
  console.error(`bench on ${os.cpus().length}× ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} (others sharing the machine slow every figure)`);
  // BENCH_SCALES=1,10: only the scale table (bench/scale.ts), on PostgreSQL: BENCH_DATABASE_URL
  // is the scale-1 scratch database, BENCH_DATABASE_URL_<s> that of each other scale s (all wiped).
  if (process.env.BENCH_SCALES) {
    const scales = process.env.BENCH_SCALES.split(',').map((s) => Number(s.trim()));
    if (scales.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`BENCH_SCALES lists scale factors (e.g. 1,10), got "${process.env.BENCH_SCALES}"`);
    const urlOf = (s: number) => {
      const url = s === 1 ? process.env.BENCH_DATABASE_URL : process.env[`BENCH_DATABASE_URL_${s}`];
      if (!url) throw new Error(`BENCH_SCALES: set ${s === 1 ? 'BENCH_DATABASE_URL' : `BENCH_DATABASE_URL_${s}`} to a scratch PostgreSQL + PostGIS database for scale ${s} (it is wiped)`);
      return url;
    };
    scales.forEach(urlOf);
    return scaleBench(scales, urlOf);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-bench-'));
  // BENCH_ONLY=postgres: only the real server's half (the embedded half takes most of the time);
  // BENCH_ONLY=start: only the client build and the embedded database's cold and warm start;
  // BENCH_ONLY=tiles: the starts, /api/grids and the vector tiles, on each backend.
  const only = process.env.BENCH_ONLY;
  if (only !== 'postgres') try {
    // The demo's case simulator (on by default in the embedded demo) stays off: the figures are
    // for each route alone; the figures under load are measured as such below and in bench:live.
    const env = { GRID_ATLAS_DATA_DIR: dataDir, GRID_ATLAS_SIMULATOR: '0' };
    clientBuild();
    const cold = await timeStart(env);
    add('cold start (empty data dir → ready, incl. seeding)', 'embedded', sec(cold.ms));
    await historyReady(cold.server.url);
    add('cold start (empty data dir → demo history written)', 'embedded', sec(performance.now() - cold.t0));
    addSteps('  cold start', 'embedded', cold.server.logs);
    await cold.server.stop();
    const warm = await timeStart(env);
    add('warm start (reopen → ready)', 'embedded', sec(warm.ms));
    addSteps('  warm start', 'embedded', warm.server.logs);
    if (only === 'start') {
      await warm.server.stop();
      return printTable();
    }
    await apiFigures(warm.server.url, 'embedded');
    await tileFigures(warm.server.url, 'embedded');
    if (only === 'tiles') {
      await warm.server.stop();
      throw TILES_ONLY;
    }
    await routeFigures(warm.server.url, 'embedded');
    await warm.server.stop();
    // Assignment needs a connection: reopen the data directory without the HTTP server.
    const { openDb } = await import('../server/src/db/index.ts');
    const db = await openDb({ dataDir });
    await assignment(db.connectionString, 'embedded');
    await planFigures(db, 'embedded', add);
    await planner(db);
    await db.close();
  } catch (err) {
    if (err !== TILES_ONLY) throw err;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  else fs.rmSync(dataDir, { recursive: true, force: true });

  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const wipe = new pg.Client({ connectionString: url });
    await wipe.connect();
    // Everything the app's role created (every table, function and trigger of the migrations);
    // PostGIS, created by the superuser, stays.
    await wipe.query('DROP OWNED BY current_user');
    await wipe.end();
    // The demo leader account is what the API figures sign in with.
    const cold = await timeStart({ DATABASE_URL: url, GRID_ATLAS_DEMO_ACCOUNTS: '1' });
    add('cold start (empty database → ready, incl. seeding)', 'postgres', sec(cold.ms));
    addSteps('  cold start', 'postgres', cold.server.logs);
    await cold.server.stop();
    const warm = await timeStart({ DATABASE_URL: url, GRID_ATLAS_DEMO_ACCOUNTS: '1' });
    add('warm start (→ ready)', 'postgres', sec(warm.ms));
    addSteps('  warm start', 'postgres', warm.server.logs);
    await apiFigures(warm.server.url, 'postgres');
    await tileFigures(warm.server.url, 'postgres');
    if (only === 'tiles') {
      await warm.server.stop();
      return printTable();
    }
    await routeFigures(warm.server.url, 'postgres');
    await warm.server.stop();
    await assignment(url, 'postgres');
    const { openDb } = await import('../server/src/db/index.ts');
    const db = await openDb({ databaseUrl: url, dataDir: '' });
    await planFigures(db, 'postgres', add);
    await db.close();
  } else {
    console.error('(set BENCH_DATABASE_URL to a scratch PostgreSQL + PostGIS database to bench the real server too; it is wiped)');
  }

  printTable();
}

function printTable() {
  const w0 = Math.max(...rows.map((r) => r[0].length)), w1 = 9;
  console.log(`\n| ${'measure'.padEnd(w0)} | ${'backend'.padEnd(w1)} | value |`);
  console.log(`|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|-------|`);
  for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
