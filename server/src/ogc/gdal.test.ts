// GDAL's OAPIF driver (what QGIS and ogr2ogr use) opens /ogc on a running server: the layers a
// caller may read, with their fields, extent and count, and every feature of a layer read
// through the pages; and GDAL's MVT driver reads a vector tile from /tiles. Needs ogrinfo
// (Debian's gdal-bin): under CI a missing one fails the run, on a developer machine without it
// the file is skipped.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../e2e/support/server.ts';
import { underCi } from '../../../e2e/support/browser.ts';
import { openTestDb, testDbEnv } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';

const run = promisify(execFile);
const OGRINFO = process.env.OGRINFO_PATH ?? '/usr/bin/ogrinfo';

/** Whether ogrinfo is here: false only outside CI; under CI a missing one throws. */
function ogrinfoAvailable(): boolean {
  if (fs.existsSync(OGRINFO)) return true;
  if (underCi()) throw new Error(`ogrinfo not found at ${OGRINFO}; .ci/run installs Debian's gdal-bin`);
  return false;
}

const hasGdal = ogrinfoAvailable();
let server: RunningServer;
let db: Db;
const SECRETARY = 'secretary-422801001001';

async function sessionCookie(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'enshi-demo' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  csrfTokens.set(cookie, ((await res.json()) as { csrfToken: string }).csrfToken);
  return cookie;
}

const csrfTokens = new Map<string, string>();
/** The CSRF token of a session signed in by sessionCookie(). */
const csrf = (cookie: string): string => csrfTokens.get(cookie)!;

/** ogrinfo on the OGC API with extra HTTP headers (a cookie, a bearer token) for every request it makes. */
async function ogrinfo(args: string[], header?: string): Promise<string> {
  const config = header ? ['--config', 'GDAL_HTTP_HEADERS', header] : [];
  const { stdout, stderr } = await run(OGRINFO, [...config, '--config', 'GDAL_HTTP_TIMEOUT', '60', '-ro', ...args], {
    // No proxy and no cache between GDAL and the test server.
    env: { ...process.env, http_proxy: '', HTTP_PROXY: '', GDAL_HTTP_USE_CAPI_STORE: 'NO', CPL_VSIL_CURL_USE_CACHE: 'NO' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => ({ stdout: err.stdout ?? '', stderr: `${err.stderr ?? ''}\n${err.message}` }));
  return `${stdout}\n${stderr}`;
}

describe.skipIf(!hasGdal)('GDAL reads the OGC API', () => {
  beforeAll(async () => {
    db = await openTestDb();
    server = await startServer({ ...testDbEnv(), GRID_ATLAS_SIMULATOR: '0' });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  it('without a credential: the service opens, its collections are refused', async () => {
    const out = await ogrinfo([`OAPIF:${server.url}/ogc`]);
    expect(out).toMatch(/401|Unauthorized|sign in/);
    expect(out).not.toMatch(/^1: grids/m);
  });

  it('a city leader\'s session: every collection a layer, grids with their fields, extent and count', async () => {
    const cookie = await sessionCookie('leader');
    const list = await ogrinfo([`OAPIF:${server.url}/ogc`], `Cookie: ${cookie}`);
    for (const layer of ['subdistricts', 'communities', 'grids', 'blocks', 'cases', 'plan-drafts']) expect(list).toMatch(new RegExp(`^\\d+: ${layer}\\b`, 'm'));
    const grids = await ogrinfo(['-so', `OAPIF:${server.url}/ogc`, 'grids'], `Cookie: ${cookie}`);
    const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM grids')).rows[0].n;
    expect(grids).toMatch(/Layer name: grids/);
    expect(grids).toMatch(new RegExp(`Feature Count: ${total}\\b`));
    expect(grids).toMatch(/Extent: \(109\.\d+, 30\.\d+\) - \(109\.\d+, 30\.\d+\)/);
    expect(grids).toMatch(/^code: String/m);
    expect(grids).toMatch(/^households: Integer/m);
  });

  it('a personal access token as Authorization: Bearer, until it is revoked', async () => {
    const cookie = await sessionCookie('planner');
    const made = await fetch(`${server.url}/api/tokens`, {
      method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf(cookie), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'GDAL 测试' }),
    });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: number; token: string };
    const communities = await ogrinfo(['-so', `OAPIF:${server.url}/ogc`, 'communities'], `Authorization: Bearer ${token}`);
    const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM communities')).rows[0].n;
    expect(communities).toMatch(/Layer name: communities/);
    expect(communities).toMatch(new RegExp(`Feature Count: ${total}\\b`));
    expect(communities).toMatch(/^full_name: String/m);
    const revoked = await fetch(`${server.url}/api/tokens/${id}/revoke`, {
      method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf(cookie), 'Content-Type': 'application/json' }, body: '{}',
    });
    expect(revoked.status).toBe(200);
    const refused = await ogrinfo(['-so', `OAPIF:${server.url}/ogc`, 'communities'], `Authorization: Bearer ${token}`);
    expect(refused).not.toMatch(/Layer name: communities/);
    expect(refused).toMatch(/401|revoked/);
  });

  it('reads a vector tile: the public streets, and a secretary\'s grids with her session', async () => {
    const { rows } = await db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grids g
         JOIN communities c ON c.id = g.community_id WHERE c.code = '422801001001' ORDER BY g.id LIMIT 1) q`);
    const z = 13;
    const x = Math.floor(((rows[0].lon + 180) / 360) * 2 ** z);
    const r = (rows[0].lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
    const streets = await ogrinfo(['-al', '-so', `/vsicurl/${server.url}/tiles/streets/${z}/${x}/${y}.mvt`]);
    expect(streets).toMatch(/Layer name: streets/);
    expect(streets).toMatch(/Feature Count: [1-9]/);
    expect(streets).toMatch(/^name: String/m);
    const cookie = await sessionCookie(SECRETARY);
    const grids = await ogrinfo(['-al', '-q', `/vsicurl/${server.url}/tiles/grids/${z}/${x}/${y}.mvt`], `Cookie: ${cookie}`);
    const community = (await db.query<{ id: number }>(`SELECT id FROM communities WHERE code = '422801001001'`)).rows[0].id;
    const ids = grids.match(/^\s+community_id \(Integer\) = (\d+)$/gm)?.map((l) => Number(l.split('=')[1])) ?? [];
    expect(ids.length, grids.slice(0, 2000)).toBeGreaterThan(0);
    expect(ids.every((id) => id === community)).toBe(true);
    expect(grids).toMatch(/POLYGON/);
  });

  it('a secretary\'s session: every grid of her community read feature by feature, and nothing else', async () => {
    const cookie = await sessionCookie(SECRETARY);
    const out = await ogrinfo(['-al', '-q', `OAPIF:${server.url}/ogc`, 'grids', '-oo', 'PAGE_SIZE=5'], `Cookie: ${cookie}`);
    const community = (await db.query<{ id: number; n: number }>(
      `SELECT c.id, count(g.id)::int AS n FROM communities c JOIN grids g ON g.community_id = c.id WHERE c.code = '422801001001' GROUP BY c.id`)).rows[0];
    expect(community.n).toBeGreaterThan(5); // so the read follows more than one page
    expect(out.match(/^OGRFeature\(grids\):\d+$/gm)?.length, out.slice(0, 2000)).toBe(community.n);
    const others = out.match(/^\s+community_id \(Integer\) = (\d+)$/gm)!.map((l) => Number(l.split('=')[1]));
    expect(others.length).toBe(community.n);
    expect(others.every((id) => id === community.id)).toBe(true);
  });
});
