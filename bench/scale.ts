// pnpm bench's scale mode (BENCH_SCALES=1,10): the same route table on PostgreSQL at each
// GRID_ATLAS_SCALE, side by side, with the growth factor per row (imported by bench/run.ts).
// Each scale has its own scratch database (BENCH_DATABASE_URL for scale 1, BENCH_DATABASE_URL_<s>
// for each other scale s), wiped and seeded at that scale by a cold start of the server, unless
// BENCH_REUSE=1 and it already holds the dataset at that scale (a ×10 seed takes minutes).
import http from 'node:http';
import pg from 'pg';
import { startServer, type RunningServer } from '../e2e/support/server.ts';
import { loadCommunityBlocks } from '../server/src/cli/balance-plan.ts';
import { seedCaseHistory } from '../server/src/live/history.ts';
import { planFigures } from './plans.ts';
import { plannerFigures } from './planner.ts';

type Add = (what: string, value: string) => void;

/** A row of the scale table: the measure, then its figure at each scale (absent: not measured). */
interface ScaleRow { what: string; values: Map<number, string> }

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; ms: number; bytes: number; text: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoded = res.headers['content-encoding'];
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes: body.length, text: encoded ? '' : body.toString() });
      });
    });
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

async function login(url: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: 'enshi-demo' }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: csrfToken };
}

/** The grid payloads: each route's first answer after the start (nothing cached yet), its cached answer, its gzip size. */
async function payloads(url: string, cookie: string, add: Add) {
  for (const route of ['/api/grids', '/api/communities', '/api/households']) {
    const headers = { Cookie: cookie, 'Accept-Encoding': 'gzip' };
    const first = await request(`${url}${route}`, { headers });
    if (first.status !== 200) throw new Error(`${route} answered ${first.status}`);
    const warm: number[] = [];
    for (let i = 0; i < 10; i++) warm.push((await request(`${url}${route}`, { headers })).ms);
    add(`GET ${route}: first answer after the start`, ms(first.ms));
    add(`GET ${route}: cached, p50 of 10`, ms(median(warm)));
    add(`GET ${route}: gzip bytes`, kb(first.bytes));
  }
}

/**
 * Vector tiles at zoom 14 over every grid's own tile (the tiles a screen shows where there is
 * something): each tile's first answer, p50, and the bytes of them all.
 */
async function tiles(url: string, db: pg.Client, cookie: string, add: Add) {
  const { rows } = await db.query<{ x: number; y: number }>(
    `SELECT DISTINCT floor((ST_X(c) + 180) / 360 * 16384)::int AS x,
            floor((1 - ln(tan(radians(ST_Y(c))) + 1 / cos(radians(ST_Y(c)))) / pi()) / 2 * 16384)::int AS y
       FROM (SELECT ST_PointOnSurface(geom) AS c FROM grids) g ORDER BY 1, 2`);
  for (const layer of ['grids', 'blocks']) {
    const first: number[] = [];
    let bytes = 0;
    for (const t of rows) {
      const r = await request(`${url}/tiles/${layer}/14/${t.x}/${t.y}.mvt`, { headers: { Cookie: cookie, 'Accept-Encoding': 'gzip' } });
      if (r.status !== 200 && r.status !== 204) throw new Error(`tile ${layer}/14/${t.x}/${t.y} answered ${r.status}`);
      first.push(r.ms);
      bytes += r.bytes;
    }
    add(`GET /tiles/${layer}/14: first answer p50 (${rows.length} tiles holding a grid)`, ms(median(first)));
    add(`GET /tiles/${layer}/14: all those tiles, gzip bytes`, kb(bytes));
  }
}

/** The register (personal data: a subdistrict admin's, of the core subdistrict 422801001). */
async function register(url: string, cookie: string, add: Add) {
  for (const q of ['', '?offset=7000', '?q=%E5%BC%A0', '?unlinked=true&offset=2000', '?offset=9999999']) {
    const route = `/api/households/records${q}`;
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await request(`${url}${route}`, { headers: { Cookie: cookie, 'Accept-Encoding': 'gzip' } });
      if (r.status !== 200) throw new Error(`${route} answered ${r.status}`);
      if (i > 0) times.push(r.ms);
    }
    add(`GET ${route} (subdistrict admin), p50 of 5`, ms(median(times)));
  }
}

/**
 * Case ingest and the KPIs cold: a grid worker files a case (POST /api/cases), then the leader's
 * KPIs are asked at once (a new case event: no cached answer may be used), three times over.
 */
async function casesAndKpis(url: string, grid: { user: string; lon: number; lat: number }, leader: string, add: Add) {
  const worker = await login(url, grid.user);
  const filed: number[] = [];
  const kpis = new Map<string, number[]>();
  for (let i = 0; i < 12; i++) {
    const r = await request(`${url}/api/cases`, {
      method: 'POST',
      headers: { Cookie: worker.cookie, 'X-CSRF-Token': worker.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ category: 'garbage', description: `压测：楼下垃圾未清运 ${Date.now()}-${i}`, lon: grid.lon + i * 1e-5, lat: grid.lat }),
    });
    if (r.status !== 201) throw new Error(`POST /api/cases answered ${r.status}: ${r.text}`);
    filed.push(r.ms);
    if (i % 4 === 3) {
      for (const q of ['', '?group=subdistrict', '?group=community', '?group=grid']) {
        const k = await request(`${url}/api/kpis${q}`, { headers: { Cookie: leader, 'Accept-Encoding': 'gzip' } });
        if (k.status !== 200) throw new Error(`/api/kpis${q} answered ${k.status}`);
        kpis.set(q, [...(kpis.get(q) ?? []), k.ms]);
      }
    }
  }
  add('POST /api/cases (case ingest, a grid worker), p50 of 12', ms(median(filed)));
  for (const [q, t] of kpis) add(`GET /api/kpis${q}: cold (after a new case), median of 3`, ms(median(t)));
}

/** Whether the database holds the synthetic dataset at this scale already. */
async function seededAt(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t = await c.query(`SELECT to_regclass('dataset_info') IS NOT NULL AND to_regclass('households') IS NOT NULL AS ok`);
    if (!t.rows[0].ok) return null;
    const r = await c.query<{ scale: string | null; n: string }>(
      `SELECT (SELECT value FROM dataset_info WHERE key = 'scale') AS scale, (SELECT count(*) FROM subdistricts)::text AS n`);
    return Number(r.rows[0].n) > 0 ? Number(r.rows[0].scale ?? 1) : null;
  } finally {
    await c.end();
  }
}

async function oneScale(scale: number, url: string, add: Add) {
  const reuse = process.env.BENCH_REUSE === '1' && (await seededAt(url)) === scale;
  // The API's statement timeout (10 s by default) is raised: a ×10 first answer of /api/households
  // comes close to it on a busy machine, and the table is for how each figure grows.
  const env = { DATABASE_URL: url, GRID_ATLAS_DEMO_ACCOUNTS: '1', GRID_ATLAS_SCALE: String(scale), GRID_ATLAS_SIMULATOR: '0', GRID_ATLAS_STATEMENT_TIMEOUT_MS: '120000' };
  if (!reuse) {
    const wipe = new pg.Client({ connectionString: url });
    await wipe.connect();
    await wipe.query('DROP OWNED BY current_user');
    await wipe.end();
    const t0 = performance.now();
    const cold = await startServer(env, 3_600_000);
    add('cold start: migrate and seed the dataset (empty database → ready)', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await cold.stop();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let server: RunningServer | undefined;
  try {
    const counts = (await client.query(`SELECT (SELECT count(*) FROM communities)::int AS c, (SELECT count(*) FROM grids)::int AS g,
      (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM cadres)::int AS k`)).rows[0];
    add('dataset: communities / grids / households / cadres', `${counts.c} / ${counts.g} / ${counts.h} / ${counts.k}`);
    // 90 days of case history in proportion (~65 cases a day per copy of the core), so the KPIs
    // and the case routes work on a case table of the scale's size.
    const { openDb } = await import('../server/src/db/index.ts');
    const { migrate } = await import('../server/src/db/migrate.ts');
    const db = await openDb({ databaseUrl: url, dataDir: '' });
    try {
      await migrate(db); // a reused database gets the migrations written since it was seeded
      const t0 = performance.now();
      const written = await seedCaseHistory(db, { perDay: 65 * scale, now: new Date('2026-11-28T12:00:00+08:00') });
      if (written) add(`case history: 90 days written in bulk (${written} cases)`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await db.close();
    }

    const t0 = performance.now();
    server = await startServer(env, 600_000);
    add('warm start (→ ready)', ms(performance.now() - t0));
    const leader = (await login(server.url, 'leader')).cookie;
    const sub = (await login(server.url, 'subdistrict-422801001')).cookie;
    await payloads(server.url, leader, add);
    await tiles(server.url, client, leader, add);
    await register(server.url, sub, add);
    const grid = (await client.query<{ user: string; lon: number; lat: number }>(
      `SELECT u.username AS user, ST_X(p) AS lon, ST_Y(p) AS lat
         FROM users u JOIN grids g ON g.id = u.grid_id CROSS JOIN LATERAL (SELECT ST_PointOnSurface(g.geom) AS p) x
        WHERE u.role = 'grid_worker' AND g.code LIKE '42280100%' ORDER BY u.username LIMIT 1`)).rows[0];
    await casesAndKpis(server.url, grid, leader, add);
    await server.stop();
    server = undefined;

    const appDb = await openDb({ databaseUrl: url, dataDir: '' });
    try {
      await planFigures(appDb, 'postgres', (what, _backend, value) => add(what, value));
      // auto-balance of the community with the most households (read from the database, balanced in JavaScript)
      const t1 = performance.now();
      const data = await appDb.withClient(async (c) => {
        const { rows } = await c.query(`SELECT c.code FROM communities c JOIN grids g ON g.community_id = c.id
          JOIN households h ON h.grid_id = g.id GROUP BY c.code ORDER BY count(*) DESC, c.code LIMIT 1`);
        return loadCommunityBlocks(c, rows[0].code);
      });
      add(`auto-balance, the largest community: find it and read its blocks (${data.community.name}, ${data.assignment.graph.n} blocks)`, ms(performance.now() - t1));
      plannerFigures('the largest community', data.assignment, add);
    } finally {
      await appDb.close();
    }
  } finally {
    await server?.stop();
    await client.end();
  }
}

/** The measure without its parenthesised details that name counts (they differ by scale). */
const keyOf = (what: string) => what.replace(/\s*\([^)]*\d[^)]*\)/g, '').trim();
/** Those details, shown beside the figure of their scale. */
const detailsOf = (what: string) => (what.match(/\([^)]*\d[^)]*\)/g) ?? []).join(' ');

/** The leading number of a figure, in its own unit (ms, s, KB), for the growth factor. */
function numberOf(value: string): number | null {
  const m = /^(-?\d+(?:\.\d+)?) (ms|s|KB)\b/.exec(value);
  return m ? Number(m[1]) : null;
}

export async function scaleBench(scales: number[], urlOf: (scale: number) => string) {
  const rows: ScaleRow[] = [];
  for (const scale of scales) {
    console.error(`scale ×${scale}: ${urlOf(scale).replace(/:[^:@/]*@/, ':***@')}`);
    await oneScale(scale, urlOf(scale), (what, value) => {
      console.error(`  ×${scale} ${what}: ${value}`);
      const key = keyOf(what);
      let row = rows.find((r) => keyOf(r.what) === key);
      if (!row) rows.push((row = { what, values: new Map() }));
      row.values.set(scale, [value, detailsOf(what)].filter(Boolean).join(' '));
    });
  }
  const head = ['measure', ...scales.map((s) => `×${s}`), ...scales.slice(1).map((s) => `growth ×${s}/×${scales[0]}`)];
  const table = rows.map((r) => {
    const base = numberOf(r.values.get(scales[0]) ?? '');
    return [keyOf(r.what), ...scales.map((s) => r.values.get(s) ?? '–'), ...scales.slice(1).map((s) => {
      const v = numberOf(r.values.get(s) ?? '');
      return base && v !== null ? `${(v / base).toFixed(1)}×` : '';
    })];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const t of table) console.log(line(t));
}
