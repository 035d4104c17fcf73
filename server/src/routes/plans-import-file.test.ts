// Importing a plan from a file (POST /api/plans/import-file) and exporting one as a GeoPackage
// (GET /api/plans/:id/gpkg). Fixtures are made from a community's current layout, exported as
// GeoJSON, by GDAL (ogr2ogr, test-only: the product reads every format in JavaScript): a zipped
// Shapefile and a GeoPackage in EPSG:4547 (CGCS2000 3-degree Gauss-Krüger CM 114°E), and both
// again in GCJ-02 (the layout shifted by gcoord as Chinese web maps shift it). What the server
// reads back lands within a metre of the original vertices, and the dry run of each reports
// no household moving; refused files change nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFileReport, IMPORT_FILE_LIMIT_BYTES } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { tableChecksums } from '../../../test/checksum.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { readGeoFile } from '../geofile/read.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let planner: Signed;
let secretary: Signed;
let gridWorker: Signed;
let dir: string;
/** 官坡 (舞阳坝), the secretary's community; 解放路, another one */
const COMMUNITY = '422801001001';
const OTHER = '422801002001';
const ids = { community: 0, other: 0, draft: 0 };
let fc: any;
let assignments: { block: number; grid: number }[];

const get = (who: Signed, path: string) => app.request(path, { headers: { ...who.headers, 'X-Forwarded-For': '10.9.8.1' } });

/** The import form as a browser sends it: multipart, the session's CSRF token, no JSON type. */
function upload(who: Signed, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
  const { 'Content-Type': _json, ...headers } = who.write;
  return app.request('/api/plans/import-file', { method: 'POST', headers: { ...headers, Origin: 'http://localhost', 'X-Forwarded-For': '10.9.8.1' }, body: form });
}

const ogr = (...args: string[]) => execFileSync('ogr2ogr', args, { stdio: 'pipe' });

/** ogr2ogr's Shapefile (every part of it) zipped, as a planner would send it. */
function shapefileZip(src: string, name: string, ...srs: string[]): Uint8Array {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  ogr('-f', 'ESRI Shapefile', ...srs, '-lco', 'ENCODING=UTF-8', join(out, `${name}.shp`), src);
  return zipSync(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))])));
}
function geopackage(src: string, name: string, ...srs: string[]): Uint8Array {
  const out = join(dir, `${name}.gpkg`);
  ogr('-f', 'GPKG', ...srs, '-nln', 'grids', out, src);
  return readFileSync(out);
}

/** Metres between two lon/lat positions (equirectangular: exact enough within a city). */
const metres = (a: number[], b: number[]) => {
  const k = Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_320;
};
const vertices = (g: any): number[][] => (g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2));

/** For every feature of the original: the same grid read back, each vertex within `tolerance` m of one read. */
function farthest(read: { properties: Record<string, unknown>; geometry: any }[]): number {
  let worst = 0;
  expect(read).toHaveLength(fc.features.length);
  for (const f of fc.features) {
    const back = read.find((r) => Number(r.properties.number) === f.properties.number);
    expect(back, `grid ${f.properties.number}`).toBeTruthy();
    const mine = vertices(back!.geometry);
    for (const v of vertices(f.geometry)) worst = Math.max(worst, Math.min(...mine.map((w) => metres(v, w))));
  }
  return worst;
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  planner = await signIn(app, 'planner', undefined, '10.9.8.1');
  secretary = await signIn(app, `secretary-${COMMUNITY}`, undefined, '10.9.8.1');
  const g = (await db.query<{ code: string }>(`SELECT g.code FROM users u JOIN grids g ON g.id = u.grid_id WHERE u.username LIKE 'grid-%' ORDER BY u.username LIMIT 1`)).rows[0];
  gridWorker = await signIn(app, `grid-${g.code}`, undefined, '10.9.8.1');
  ids.community = (await db.query<{ id: number }>('SELECT id FROM communities WHERE code = $1', [COMMUNITY])).rows[0].id;
  ids.other = (await db.query<{ id: number }>('SELECT id FROM communities WHERE code = $1', [OTHER])).rows[0].id;
  assignments = (await db.query<{ block: number; grid: number }>('SELECT id AS block, grid_id AS grid FROM blocks WHERE community_id = $1 ORDER BY id', [ids.community])).rows;
  const made = await app.request('/api/plans', { method: 'POST', headers: { ...planner.write, 'X-Forwarded-For': '10.9.8.1' },
    body: JSON.stringify({ community: ids.community, title: '导入测试：现状', assignments }) });
  expect(made.status).toBe(201);
  ids.draft = ((await made.json()) as any).id;
  fc = await (await get(planner, `/api/plans/${ids.draft}/geojson`)).json();
  dir = mkdtempSync(join(tmpdir(), 'plan-import-'));
  writeFileSync(join(dir, 'wgs84.geojson'), JSON.stringify(fc));
  const gcj = structuredClone(fc);
  for (const f of gcj.features) f.geometry = gcoord.transform(f.geometry, gcoord.WGS84, gcoord.GCJ02);
  delete gcj.plan;
  writeFileSync(join(dir, 'gcj02.geojson'), JSON.stringify(gcj));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await db?.close();
});

describe('plan import from files', () => {
  it('reads a zipped Shapefile and a GeoPackage in EPSG:4547 back to within a metre, and the dry run moves nobody, saving nothing', async () => {
    const files = [
      { name: 'grids-4547.zip', bytes: shapefileZip(join(dir, 'wgs84.geojson'), 'grids4547', '-t_srs', 'EPSG:4547') },
      { name: 'grids-4547.gpkg', bytes: geopackage(join(dir, 'wgs84.geojson'), 'grids4547', '-t_srs', 'EPSG:4547') },
    ];
    for (const file of files) {
      const read = await readGeoFile(file.bytes, file.name);
      expect(read.crs).toMatchObject({ code: 'EPSG:4547', source: 'file', reprojected: true });
      expect(farthest(read.features)).toBeLessThan(1);
      const before = await tableChecksums(db);
      const res = await upload(planner, { community: String(ids.community) }, file);
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body).slice(0, 400)).toBe(200);
      expect(importFileReport.parse(body)).toBeTruthy();
      expect(body).toMatchObject({ dry_run: true, ok: true, errors: [], blocks_moving: 0, households_moving: 0, removed_grids: [], plan: null });
      expect(body.file).toMatchObject({ name: file.name, format: file.name.endsWith('.zip') ? 'shapefile' : 'geopackage', features: fc.features.length,
        crs: { code: 'EPSG:4547', reprojected: true } });
      expect(body.file.crs.name).toMatch(/CGCS2000 3度带高斯-克吕格 中央经线 114°E/);
      expect(body.grids.map((g: any) => g.grid_id).sort()).toEqual(fc.features.map((f: any) => f.properties.grid_id).sort());
      expect(await tableChecksums(db)).toEqual(before);
    }
  });

  it('reads GCJ-02 files (the planner names the system) back to within a metre; read as WGS84 they miss the blocks', async () => {
    const files = [
      { name: 'grids-gcj02.zip', bytes: shapefileZip(join(dir, 'gcj02.geojson'), 'gridsgcj', '-a_srs', 'EPSG:4326') },
      { name: 'grids-gcj02.gpkg', bytes: geopackage(join(dir, 'gcj02.geojson'), 'gridsgcj', '-a_srs', 'EPSG:4326') },
    ];
    for (const file of files) {
      const read = await readGeoFile(file.bytes, file.name, 'GCJ-02');
      expect(read.crs).toMatchObject({ code: 'GCJ-02', source: 'chosen', reprojected: true });
      expect(farthest(read.features)).toBeLessThan(1);
      // as written (WGS84 says the file), the grids lie hundreds of metres off
      expect(farthest((await readGeoFile(file.bytes, file.name)).features)).toBeGreaterThan(100);
      const res = await upload(planner, { community: String(ids.community), crs: 'GCJ-02' }, file);
      expect(await res.json()).toMatchObject({ ok: true, blocks_moving: 0, households_moving: 0, file: { crs: { code: 'GCJ-02', source: 'chosen' } } });
      const shifted = (await (await upload(planner, { community: String(ids.community) }, file)).json()) as any;
      expect(shifted.ok).toBe(false);
      expect(shifted.errors.map((e: any) => e.code)).toContain('outside');
    }
  });

  it('knows CGCS2000 lon/lat from a .prj (no reprojection) and EPSG:4547 from a GeoJSON crs member, as GDAL writes them', async () => {
    const cgcs = await readGeoFile(shapefileZip(join(dir, 'wgs84.geojson'), 'grids4490', '-t_srs', 'EPSG:4490'), 'grids-4490.zip');
    expect(readFileSync(join(dir, 'grids4490', 'grids4490.prj'), 'utf8')).toMatch(/China_Geodetic_Coordinate_System_2000/);
    expect(cgcs.crs).toMatchObject({ code: 'EPSG:4490', source: 'file', reprojected: false });
    expect(farthest(cgcs.features)).toBeLessThan(0.01);
    const out = join(dir, 'grids-4547.geojson');
    ogr('-f', 'GeoJSON', '-t_srs', 'EPSG:4547', out, join(dir, 'wgs84.geojson'));
    expect(JSON.parse(readFileSync(out, 'utf8')).crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4547');
    const legacy = await readGeoFile(readFileSync(out), 'grids-4547.geojson');
    expect(legacy.crs).toMatchObject({ code: 'EPSG:4547', source: 'file', reprojected: true });
    expect(farthest(legacy.features)).toBeLessThan(1);
  });

  it('saves the draft when dry_run is false: the Shapefile gives every block its grid, as the plan it came from', async () => {
    const bytes = shapefileZip(join(dir, 'wgs84.geojson'), 'save4547', '-t_srs', 'EPSG:4547');
    const res = await upload(planner, { community: String(ids.community), dry_run: 'false', title: '从 Shapefile 导入' }, { name: 'save.zip', bytes });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(201);
    expect(body).toMatchObject({ dry_run: false, ok: true, plan: { status: 'draft', title: '从 Shapefile 导入', community_id: ids.community } });
    const detail = (await (await get(planner, `/api/plans/${body.plan.id}`)).json()) as any;
    expect(detail.assignments).toEqual(assignments.map((a) => ({ block: a.block, grid: String(a.grid) })));
    const audit = (await db.query('SELECT action FROM audit_log WHERE entity = $1 AND entity_id = $2', ['plan', body.plan.id])).rows;
    expect(audit).toEqual([{ action: 'create' }]);
  });

  it('a new grid drawn in the file is reported with the blocks and households that would move to it', async () => {
    // grid 1's polygon goes to a new grid numbered 99: its blocks and households would move
    const moved = structuredClone(fc);
    const first = moved.features[0];
    first.properties = { number: 99 };
    const res = await upload(planner, { community: String(ids.community) }, { name: 'new.geojson', bytes: new TextEncoder().encode(JSON.stringify(moved)) });
    const body = (await res.json()) as any;
    expect(body.ok, JSON.stringify(body.errors)).toBe(true);
    expect(body.file).toMatchObject({ format: 'geojson', crs: { code: 'EPSG:4326', source: 'default', reprojected: false } });
    const households = fc.features[0].properties.households;
    expect(households).toBeGreaterThan(0);
    expect(body.households_moving).toBe(households);
    expect(body.blocks_moving).toBe(fc.features[0].properties.blocks);
    expect(body.grids.find((g: any) => g.key === 'new:99')).toMatchObject({ grid_id: null, households_in: households });
    expect(body.removed_grids).toEqual([expect.objectContaining({ grid_id: fc.features[0].properties.grid_id, households })]);
  });
});

describe('plan export as GeoPackage', () => {
  it('opens in GDAL with one feature per grid, and imports back unchanged', async () => {
    const res = await get(planner, `/api/plans/${ids.draft}/gpkg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="plan-${ids.draft}.gpkg"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const file = join(dir, 'export.gpkg');
    writeFileSync(file, bytes);
    const info = execFileSync('ogrinfo', ['-so', file, 'grids'], { encoding: 'utf8' });
    expect(info).toContain(`Feature Count: ${fc.features.length}`);
    expect(info).toMatch(/Geometry: Multi Polygon/);
    expect(info).toMatch(/EPSG",?\s*4326|WGS 84/);
    const names = execFileSync('ogrinfo', ['-q', '-sql', 'SELECT name FROM grids ORDER BY number', file], { encoding: 'utf8' });
    for (const f of fc.features) expect(names).toContain(f.properties.name);
    const back = await readGeoFile(bytes, 'export.gpkg');
    expect(back.crs.code).toBe('EPSG:4326');
    expect(farthest(back.features)).toBeLessThan(0.01);
    const dry = (await (await upload(planner, { community: String(ids.community) }, { name: 'export.gpkg', bytes })).json()) as any;
    expect(dry).toMatchObject({ ok: true, blocks_moving: 0, households_moving: 0 });
  });

  it('is for those who view plans, in their area: a grid worker 403, another community\'s secretary 404', async () => {
    expect((await get(gridWorker, `/api/plans/${ids.draft}/gpkg`)).status).toBe(403);
    const other = await signIn(app, `secretary-${OTHER}`, undefined, '10.9.8.1');
    expect((await get(other, `/api/plans/${ids.draft}/gpkg`)).status).toBe(404);
    expect((await get(planner, `/api/plans/${ids.draft}/gpkg?x=1`)).status).toBe(400);
  });
});

describe('plan import from files: bad input changes nothing', () => {
  const zipOf = (parts: Record<string, Uint8Array>) => zipSync(parts);
  const cases: [string, () => Promise<Response> | Response, number, RegExp][] = [
    ['no file', () => upload(planner, { community: String(ids.community) }), 400, /请选择要导入的文件/],
    ['a file of another type', () => upload(planner, { community: String(ids.community) }, { name: 'grids.kml', bytes: new Uint8Array([60, 107]) }), 400, /不支持的文件类型/],
    ['an empty file', () => upload(planner, { community: String(ids.community) }, { name: 'grids.geojson', bytes: new Uint8Array() }), 400, /文件是空的/],
    ['a corrupt zip', () => upload(planner, { community: String(ids.community) }, { name: 'grids.zip', bytes: new TextEncoder().encode('PK\u0003\u0004 not really a zip') }), 400, /压缩包无法解压|没有 \.shp/],
    ['a zip without a .shp', () => upload(planner, { community: String(ids.community) }, { name: 'grids.zip', bytes: zipOf({ 'readme.txt': new Uint8Array([1]) }) }), 400, /没有 \.shp/],
    ['a truncated Shapefile', async () => {
      shapefileZip(join(dir, 'wgs84.geojson'), 'cut', '-t_srs', 'EPSG:4547');
      const shp = readFileSync(join(dir, 'cut', 'cut.shp'));
      return upload(planner, { community: String(ids.community) }, { name: 'cut.zip', bytes: zipOf({ 'cut.shp': shp.subarray(0, 150), 'cut.prj': readFileSync(join(dir, 'cut', 'cut.prj')) }) });
    }, 400, /\.shp 文件无法读取/],
    ['an unknown coordinate system', async () => {
      shapefileZip(join(dir, 'wgs84.geojson'), 'odd', '-t_srs', 'EPSG:4547');
      const parts = Object.fromEntries(readdirSync(join(dir, 'odd')).map((f) => [f, readFileSync(join(dir, 'odd', f))]));
      parts['odd.prj'] = Buffer.from('PROJCS["Mystery_Grid",GEOGCS["GCS_Nowhere",DATUM["D_Nowhere",SPHEROID["X",1,0]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]],PROJECTION["No_Such_Projection"],UNIT["Meter",1]]');
      return upload(planner, { community: String(ids.community) }, { name: 'odd.zip', bytes: zipOf(parts) });
    }, 400, /无法识别的坐标系“Mystery_Grid”/],
    ['projected metres with no .prj', async () => {
      shapefileZip(join(dir, 'wgs84.geojson'), 'noprj', '-t_srs', 'EPSG:4547');
      const parts = Object.fromEntries(readdirSync(join(dir, 'noprj')).filter((f) => !f.endsWith('.prj')).map((f) => [f, readFileSync(join(dir, 'noprj', f))]));
      return upload(planner, { community: String(ids.community) }, { name: 'noprj.zip', bytes: zipOf(parts) });
    }, 400, /第 1 个要素的坐标 .* 超出经纬度范围/],
    ['a GeoPackage that is not SQLite', () => upload(planner, { community: String(ids.community) }, { name: 'grids.gpkg', bytes: new Uint8Array(4096).fill(7) }), 400, /不是 GeoPackage 文件/],
    ['a GeoPackage cut short', () => {
      const whole = geopackage(join(dir, 'wgs84.geojson'), 'short');
      return upload(planner, { community: String(ids.community) }, { name: 'short.gpkg', bytes: whole.subarray(0, 4096) });
    }, 400, /GeoPackage/],
    ['broken JSON', () => upload(planner, { community: String(ids.community) }, { name: 'grids.geojson', bytes: new TextEncoder().encode('{"type": "FeatureCollection", ') }), 400, /GeoJSON 无法解析/],
    ['a chosen system the file contradicts', () => upload(planner, { community: String(ids.community), crs: 'EPSG:4326' },
      { name: 'g.zip', bytes: shapefileZip(join(dir, 'wgs84.geojson'), 'contra', '-t_srs', 'EPSG:4547') }), 400, /与所选的/],
    ['an unknown crs choice', () => upload(planner, { community: String(ids.community), crs: 'EPSG:3857' }, { name: 'g.geojson', bytes: new TextEncoder().encode(JSON.stringify(fc)) }), 400, /坐标系应为/],
    ['a stray field', () => upload(planner, { community: String(ids.community), admin: 'true' }, { name: 'g.geojson', bytes: new TextEncoder().encode(JSON.stringify(fc)) }), 400, /admin/],
    ['a malformed community', () => upload(planner, { community: '01' }, { name: 'g.geojson', bytes: new TextEncoder().encode(JSON.stringify(fc)) }), 400, /./],
    ['JSON instead of a form', () => app.request('/api/plans/import-file', { method: 'POST', headers: { ...planner.write, 'X-Forwarded-For': '10.9.8.1' },
      body: JSON.stringify({ community: ids.community }) }), 415, /multipart\/form-data/],
    ['a file over the limit', () => upload(planner, { community: String(ids.community) }, { name: 'big.geojson', bytes: new Uint8Array(IMPORT_FILE_LIMIT_BYTES + 1).fill(32) }), 413, /请求内容过大，最多 20 MB/],
    ['another community, as its secretary would not see it', () => upload(secretary, { community: String(ids.other) }, { name: 'g.geojson', bytes: new TextEncoder().encode(JSON.stringify(fc)) }), 404, /社区/],
    ['a grid worker', () => upload(gridWorker, { community: String(ids.community) }, { name: 'g.geojson', bytes: new TextEncoder().encode(JSON.stringify(fc)) }), 403, /./],
  ];
  for (const [what, send, status, message] of cases) {
    it(`${what} → ${status}`, async () => {
      const before = await tableChecksums(db);
      const res = await send();
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
      expect(body.error).toMatch(message);
      expect(await tableChecksums(db)).toEqual(before);
    });
  }

  it('features without a grid number or polygon are named in the dry run, and saving them is a 400', async () => {
    const bad = structuredClone(fc);
    delete bad.features[0].properties.number;
    bad.features[1].geometry = { type: 'LineString', coordinates: [[109.4, 30.2], [109.5, 30.3]] };
    const bytes = new TextEncoder().encode(JSON.stringify(bad));
    const before = await tableChecksums(db);
    const dry = (await (await upload(planner, { community: String(ids.community) }, { name: 'bad.geojson', bytes })).json()) as any;
    expect(dry.ok).toBe(false);
    expect(dry.errors.map((e: any) => e.message)).toEqual([
      expect.stringMatching(/^第 1 个要素缺少网格编号/),
      expect.stringMatching(new RegExp(`^第 2 个要素（第${fc.features[1].properties.number}网格）是 LineString，网格应为面`)),
    ]);
    const saved = await upload(planner, { community: String(ids.community), dry_run: 'false' }, { name: 'bad.geojson', bytes });
    expect(saved.status).toBe(400);
    expect(((await saved.json()) as any).error).toMatch(/^第 1 个要素缺少网格编号.*；另有 1 处/);
    expect(await tableChecksums(db)).toEqual(before);
  });
});
