// POST /api/boundaries/import: the administrator's upload of a city's own boundaries. The city's
// current boundaries, exported from the database as three GeoJSON files and as one GeoPackage
// holding the three layers, dry-run back as the same city (no household moves) and change
// nothing; every bad form, file or boundary is a 400 in words that changes nothing. Only dry runs
// and refusals here: a real import goes through the same importBoundaries as `pnpm import`
// (dataset/import.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryImportReport } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { tableChecksums } from '../../../test/checksum.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { writeGpkgLayers, type GpkgColumn } from '../geofile/gpkg.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let admin: Signed;
let planner: Signed;

const LAYERS = {
  subdistricts: {
    sql: 'SELECT code, name, synthetic, geom FROM subdistricts',
    columns: [{ name: 'code', type: 'TEXT' }, { name: 'name', type: 'TEXT' }, { name: 'synthetic', type: 'INTEGER' }],
  },
  communities: {
    sql: `SELECT c.code, c.name, c.full_name, s.code AS subdistrict_code, c.synthetic, c.geom FROM communities c JOIN subdistricts s ON s.id = c.subdistrict_id`,
    columns: [{ name: 'code', type: 'TEXT' }, { name: 'name', type: 'TEXT' }, { name: 'full_name', type: 'TEXT' },
      { name: 'subdistrict_code', type: 'TEXT' }, { name: 'synthetic', type: 'INTEGER' }],
  },
  grids: {
    sql: `SELECT g.code, g.number, g.name, c.code AS community_code, g.synthetic, g.geom FROM grids g JOIN communities c ON c.id = g.community_id`,
    columns: [{ name: 'code', type: 'TEXT' }, { name: 'number', type: 'INTEGER' }, { name: 'name', type: 'TEXT' },
      { name: 'community_code', type: 'TEXT' }, { name: 'synthetic', type: 'INTEGER' }],
  },
} satisfies Record<string, { sql: string; columns: GpkgColumn[] }>;
type Layer = keyof typeof LAYERS;
const collections = {} as Record<Layer, { type: 'FeatureCollection'; features: { type: 'Feature'; geometry: any; properties: Record<string, unknown> }[] }>;
let counts: { subdistricts: number; communities: number; grids: number; blocks: number };

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

/** The form as the browser sends it: multipart, the session's CSRF token, no JSON type. */
function upload(who: Signed, fields: Record<string, string>, files: Record<string, { name: string; bytes: Uint8Array }>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, f] of Object.entries(files)) form.append(k, new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));
  const { 'Content-Type': _json, ...headers } = who.write;
  return app.request('/api/boundaries/import', { method: 'POST', headers: { ...headers, Origin: 'http://localhost', 'X-Forwarded-For': '10.9.6.1' }, body: form });
}
const threeFiles = (over: Partial<Record<Layer, unknown>> = {}) => Object.fromEntries((Object.keys(LAYERS) as Layer[]).map((l) =>
  [l, { name: `${l}.geojson`, bytes: bytes(over[l] ?? collections[l]) }]));

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  admin = await signIn(app, 'admin', undefined, '10.9.6.2');
  planner = await signIn(app, 'planner', undefined, '10.9.6.3');
  for (const [layer, { sql }] of Object.entries(LAYERS)) {
    const { rows } = await db.query<{ fc: string }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                'geometry', ST_AsGeoJSON(t.geom, 9)::json, 'properties', to_jsonb(t) - 'geom') ORDER BY t.code))::text AS fc FROM (${sql}) t`);
    collections[layer as Layer] = JSON.parse(rows[0].fc);
  }
  counts = (await db.query<typeof counts>(
    `SELECT (SELECT count(*)::int FROM subdistricts) AS subdistricts, (SELECT count(*)::int FROM communities) AS communities,
            (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM blocks) AS blocks`)).rows[0];
}, 120_000);
afterAll(() => db?.close());

describe('POST /api/boundaries/import (dry run)', () => {
  it('three GeoJSON files of the current city: the same city, no household moves, nothing written', async () => {
    const before = await tableChecksums(db);
    const res = await upload(admin, {}, threeFiles());
    const body = await res.json();
    expect(res.status, JSON.stringify(body).slice(0, 400)).toBe(200);
    const report = boundaryImportReport.parse(body);
    expect(report).toMatchObject({ dry_run: true, households_changed: 0, households_outside: 0, before: counts });
    expect(report.after).toMatchObject({ subdistricts: counts.subdistricts, communities: counts.communities, grids: counts.grids });
    expect(report.layers.map((l) => l.summary)).toEqual([
      `subdistricts: subdistricts.geojson · GeoJSON · ${counts.subdistricts} 个要素 · 坐标系 WGS 84 经纬度 (WGS 84 lon/lat) · 无需转换 (no reprojection)`,
      `communities: communities.geojson · GeoJSON · ${counts.communities} 个要素 · 坐标系 WGS 84 经纬度 (WGS 84 lon/lat) · 无需转换 (no reprojection)`,
      `grids: grids.geojson · GeoJSON · ${counts.grids} 个要素 · 坐标系 WGS 84 经纬度 (WGS 84 lon/lat) · 无需转换 (no reprojection)`,
    ]);
    expect(await tableChecksums(db)).toEqual(before);
  }, 180_000);

  it('one GeoPackage holding the three layers reads each from its table', async () => {
    const gpkg = await writeGpkgLayers((Object.keys(LAYERS) as Layer[]).map((l) => ({
      table: l, columns: LAYERS[l].columns,
      features: collections[l].features.map((f) => ({ geometry: f.geometry, properties: { ...f.properties, synthetic: f.properties.synthetic ? 1 : 0 } })),
    })));
    const before = await tableChecksums(db);
    const res = await upload(admin, { dry_run: 'true' }, { file: { name: 'enshi.gpkg', bytes: gpkg } });
    const report = boundaryImportReport.parse(await res.json());
    expect(res.status).toBe(200);
    expect(report).toMatchObject({ dry_run: true, households_changed: 0 });
    expect(report.layers.map((l) => l.summary.split(' · ').slice(0, 3).join(' · '))).toEqual([
      `subdistricts: enshi.gpkg · GeoPackage 图层 subdistricts · ${counts.subdistricts} 个要素`,
      `communities: enshi.gpkg · GeoPackage 图层 communities · ${counts.communities} 个要素`,
      `grids: enshi.gpkg · GeoPackage 图层 grids · ${counts.grids} 个要素`,
    ]);
    expect(await tableChecksums(db)).toEqual(before);
  }, 180_000);
});

describe('POST /api/boundaries/import refuses in words, changing nothing', () => {
  const far = () => {
    const grids = structuredClone(collections.grids);
    grids.features[0].geometry = { type: 'Polygon', coordinates: [[[100, 20], [100.01, 20], [100.01, 20.01], [100, 20.01], [100, 20]]] };
    return grids;
  };
  const cases: [string, () => Response | Promise<Response>, number, RegExp][] = [
    ['a missing layer', () => { const f = threeFiles(); delete f.grids; return upload(admin, {}, f); }, 400, /缺少图层文件：grids/],
    ['three files and a GeoPackage', () => upload(admin, {}, { ...threeFiles(), file: { name: 'x.gpkg', bytes: bytes('x') } }), 400, /不要同时上传/],
    ['one file that is not a GeoPackage', () => upload(admin, {}, { file: { name: 'city.geojson', bytes: bytes(collections.grids) } }), 400, /GeoPackage/],
    ['a GeoPackage cut short', () => upload(admin, {}, { file: { name: 'city.gpkg', bytes: bytes('SQLite format 3\u0000 and nothing else') } }), 400, /^subdistricts：city\.gpkg: /],
    ['broken JSON in one layer', () => upload(admin, {}, threeFiles({ communities: '{"type": "FeatureCollection", ' })), 400, /^communities：communities\.geojson: GeoJSON 无法解析/],
    ['an unknown coordinate system', () => upload(admin, { crs: 'EPSG:3857' }, threeFiles()), 400, /坐标系应为/],
    ['a stray field', () => upload(admin, { force: 'true' }, threeFiles()), 400, /force/],
    ['a bad dry_run', () => upload(admin, { dry_run: 'yes' }, threeFiles()), 400, /dry_run/],
    ['a grid far outside its community (no dry run)', () => upload(admin, { dry_run: 'false' }, threeFiles({ grids: far() })), 400, /边界数据有 \d+ 个问题/],
    ['JSON instead of a form', () => app.request('/api/boundaries/import', { method: 'POST', headers: { ...admin.write, 'X-Forwarded-For': '10.9.6.1' }, body: '{}' }), 415, /multipart\/form-data/],
    ['the planner', () => upload(planner, {}, threeFiles()), 403, /./],
  ];
  for (const [what, send, status, message] of cases) {
    it(`${what} → ${status}`, async () => {
      const before = await tableChecksums(db);
      const res = await send();
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
      expect(body.error).toMatch(message);
      if (what.startsWith('a grid far')) expect(body.errors.length).toBeGreaterThan(0);
      expect(await tableChecksums(db)).toEqual(before);
    }, 120_000);
  }
});
