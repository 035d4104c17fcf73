// pnpm bench: start-up, API latency and payload sizes, and household → grid assignment,
// on the embedded database and (when BENCH_DATABASE_URL names a scratch database that may
// be wiped) on a real PostgreSQL + PostGIS server. Prints one table.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { startServer } from '../e2e/support/server.ts';
import { decodeHouseholds } from '../server/src/routes/households-binary.ts';
import { loadCommunityBlocks } from '../server/src/cli/balance-plan.ts';
import { plannerFigures } from './planner.ts';

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
  return { server, ms: performance.now() - t0 };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Signs in as the demo city leader and returns the session cookie. */
async function leaderCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'leader', password: 'enshi-demo' }),
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
    features: Array.from(h.id, (id, i) => ({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: [+h.lon[i].toFixed(6), +h.lat[i].toFixed(6)] },
      properties: { grid_id: h.gridId[i], flags: h.flags[i], size: h.size[i] },
    })),
  });
  add(`/api/households (${h.id.length} points) raw / gzip`, backend, `${kb(bin.byteLength)} / ${kb(gzipSync(bin).length)}`);
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

async function main() {
  console.error(`bench on ${os.cpus().length}× ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-bench-'));
  try {
    const cold = await timeStart({ GRID_ATLAS_DATA_DIR: dataDir });
    add('cold start (empty data dir → ready, incl. seeding)', 'embedded', sec(cold.ms));
    await cold.server.stop();
    const warm = await timeStart({ GRID_ATLAS_DATA_DIR: dataDir });
    add('warm start (reopen → ready)', 'embedded', sec(warm.ms));
    await apiFigures(warm.server.url, 'embedded');
    await warm.server.stop();
    // Assignment needs a connection: reopen the data directory without the HTTP server.
    const { openDb } = await import('../server/src/db/index.ts');
    const db = await openDb({ dataDir });
    await assignment(db.connectionString, 'embedded');
    await planner(db);
    await db.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const wipe = new pg.Client({ connectionString: url });
    await wipe.connect();
    await wipe.query(`DROP TABLE IF EXISTS cadre_household_links, cadres, area_branch_grids, area_branches, households,
      department_resources, departments, grids, communities, subdistricts, data_version, dataset_info, schema_migrations,
      users, sessions, auth_failures, audit_log CASCADE;
      DROP FUNCTION IF EXISTS bump_data_version() CASCADE;`);
    await wipe.end();
    // The demo leader account is what the API figures sign in with.
    const cold = await timeStart({ DATABASE_URL: url, GRID_ATLAS_DEMO_ACCOUNTS: '1' });
    add('cold start (empty database → ready, incl. seeding)', 'postgres', sec(cold.ms));
    await cold.server.stop();
    const warm = await timeStart({ DATABASE_URL: url, GRID_ATLAS_DEMO_ACCOUNTS: '1' });
    add('warm start (→ ready)', 'postgres', sec(warm.ms));
    await apiFigures(warm.server.url, 'postgres');
    await warm.server.stop();
    await assignment(url, 'postgres');
  } else {
    console.error('(set BENCH_DATABASE_URL to a scratch PostgreSQL + PostGIS database to bench the real server too; it is wiped)');
  }

  const w0 = Math.max(...rows.map((r) => r[0].length)), w1 = 9;
  console.log(`\n| ${'measure'.padEnd(w0)} | ${'backend'.padEnd(w1)} | value |`);
  console.log(`|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|-------|`);
  for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
