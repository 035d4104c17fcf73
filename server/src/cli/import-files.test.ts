// `pnpm import` reads boundary layers as GeoJSON, zipped Shapefiles and GeoPackages in any
// coordinate system the plan import reads, and --dry-run reports what the import would change
// and writes nothing. The city's current boundaries are exported from the database and turned
// by GDAL (ogr2ogr, test-only) into a GeoPackage and a zipped Shapefile in EPSG:4547 (the
// Shapefile's .dbf cuts community_code to community_); read back, they are the same city, so
// the dry run moves no household. A corrupt file is refused naming it, changing nothing.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, testDbEnv } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let dir: string;

function runCli(args: string[]) {
  return promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/src/cli/import.ts', ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', GRID_ATLAS_EMBEDDED_URL: '', ...testDbEnv() }, maxBuffer: 16 << 20,
  });
}

/** What an import writes, summarised: boundaries, blocks, household assignment, layout versions, audit. */
async function fingerprint() {
  const { rows } = await db.query(
    `SELECT (SELECT version FROM data_version) AS version,
            (SELECT md5(string_agg(code || name || ST_AsText(geom), ',' ORDER BY code)) FROM grids) AS grids,
            (SELECT md5(string_agg(code || name || ST_AsText(geom), ',' ORDER BY code)) FROM communities) AS communities,
            (SELECT md5(string_agg(id || ':' || grid_id || ':' || ST_AsText(geom), ',' ORDER BY id)) FROM blocks) AS blocks,
            (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0) || ':' || coalesce(block_id, 0), ',' ORDER BY id)) FROM households) AS households,
            (SELECT string_agg(code || '=' || layout_version, ',' ORDER BY code) FROM communities) AS layouts,
            (SELECT count(*) FROM audit_log) AS audits`);
  return rows[0];
}

const LAYER_SQL = {
  subdistricts: `SELECT code, name, synthetic, geom FROM subdistricts`,
  communities: `SELECT c.code, c.name, c.full_name, s.code AS subdistrict_code, c.synthetic, c.geom FROM communities c JOIN subdistricts s ON s.id = c.subdistrict_id`,
  grids: `SELECT g.code, g.number, g.name, c.code AS community_code, g.synthetic, g.geom
            FROM grids g JOIN communities c ON c.id = g.community_id`,
};

beforeAll(async () => {
  db = await openTestDb();
  dir = mkdtempSync(path.join(tmpdir(), 'boundary-files-'));
  for (const [layer, sql] of Object.entries(LAYER_SQL)) {
    const { rows } = await db.query<{ fc: string }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature',
                'geometry', ST_AsGeoJSON(t.geom, 9)::json, 'properties', to_jsonb(t) - 'geom') ORDER BY t.code))::text AS fc FROM (${sql}) t`);
    writeFileSync(path.join(dir, `${layer}.geojson`), rows[0].fc);
  }
  execFileSync('ogr2ogr', ['-f', 'GPKG', '-t_srs', 'EPSG:4547', '-nln', 'communities', path.join(dir, 'communities.gpkg'), path.join(dir, 'communities.geojson')]);
  mkdirSync(path.join(dir, 'shp'));
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', path.join(dir, 'shp', 'grids.shp'), path.join(dir, 'grids.geojson')], { stdio: 'pipe' });
  writeFileSync(path.join(dir, 'grids.zip'), zipSync(Object.fromEntries(readdirSync(path.join(dir, 'shp')).map((f) => [f, readFileSync(path.join(dir, 'shp', f))]))));
}, 120_000);
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await db?.close();
});

describe('pnpm import: boundary files in other formats and systems', () => {
  it('--dry-run reads GeoJSON, a GeoPackage and a zipped Shapefile in EPSG:4547, reports the same city, and writes nothing', async () => {
    const before = await fingerprint();
    const counts = (await db.query<{ s: number; c: number; g: number; b: number }>(
      'SELECT (SELECT count(*)::int FROM subdistricts) AS s, (SELECT count(*)::int FROM communities) AS c, (SELECT count(*)::int FROM grids) AS g, (SELECT count(*)::int FROM blocks) AS b')).rows[0];
    const { stdout } = await runCli(['--dry-run', '--subdistricts', path.join(dir, 'subdistricts.geojson'),
      '--communities', path.join(dir, 'communities.gpkg'), '--grids', path.join(dir, 'grids.zip')]);
    expect(stdout).toContain(`读取 (read) subdistricts: subdistricts.geojson · GeoJSON · ${counts.s} 个要素 · 坐标系 WGS 84 经纬度`);
    expect(stdout).toContain(`读取 (read) communities: communities.gpkg · GeoPackage 图层 communities · ${counts.c} 个要素 · 坐标系 CGCS2000 3度带高斯-克吕格 中央经线 114°E`);
    expect(stdout).toContain(`读取 (read) grids: grids.zip · Shapefile 图层 grids · ${counts.g} 个要素 · 坐标系 CGCS2000 3度带高斯-克吕格 中央经线 114°E`);
    expect(stdout.match(/已转换为 WGS84/g)).toHaveLength(2);
    expect(stdout).toContain(`预检，未写入 (dry run, nothing written): ${counts.s} 街道, ${counts.c} 社区, ${counts.g} 网格（现有 ${counts.g}）`);
    expect(stdout).toMatch(/; 0 户将改变网格 \(households that would move\), 0 户不在任何网格内/);
    expect(await fingerprint()).toEqual(before);
  }, 300_000);

  it('a corrupt Shapefile is refused naming the file, and nothing changes', async () => {
    const before = await fingerprint();
    writeFileSync(path.join(dir, 'broken.zip'), 'PK\u0003\u0004 not a zip');
    const err = await runCli(['--subdistricts', path.join(dir, 'subdistricts.geojson'), '--communities', path.join(dir, 'communities.gpkg'),
      '--grids', path.join(dir, 'broken.zip')]).then(() => null, (e) => e);
    expect(err?.code).toBe(1);
    expect(err.stderr).toMatch(/^broken\.zip: (压缩包无法解压|压缩包中没有 \.shp 文件)/m);
    expect(await fingerprint()).toEqual(before);
  }, 120_000);
});
