// pnpm import -- <dir> | city.gpkg | --subdistricts a.geojson --communities b.zip --grids c.gpkg [--crs …] [--dry-run]
// Loads a city's own boundaries in place of the synthetic ones, checks them, and reassigns
// households; all in one transaction. Each layer may be GeoJSON, a zipped Shapefile or a
// GeoPackage, in any coordinate system the plan import reads (reprojected to WGS84); --dry-run
// does everything, reports what would change, and rolls it back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { importBoundaries, ImportError, type ImportResult } from '../dataset/import.ts';
import { LAYER_EXTENSIONS, readBoundaryLayer, type Layer } from '../dataset/files.ts';
import { GeoFileError } from '../geofile/read.ts';
import { IMPORT_CRS } from '@grid-atlas/contract';
import { analyzeTables } from '../db/statistics.ts';

const USAGE = `usage: pnpm import -- <directory with subdistricts, communities and grids as .geojson, .json, .zip or .gpkg>
   or: pnpm import -- city.gpkg (one GeoPackage with the tables subdistricts, communities and grids)
   or: pnpm import -- --subdistricts FILE --communities FILE --grids FILE
options: --crs auto|EPSG:4326|EPSG:4490|EPSG:4547|GCJ-02 (default auto: read from each file)
         --dry-run  check and report what would change, writing nothing`;

/** Thrown inside the transaction of a dry run, so it rolls back with its result. */
class DryRun {
  constructor(readonly result: ImportResult) {}
}

async function main() {
  const { values, positionals } = parseArgs({
    // `pnpm users -- …` forwards the "--" too; drop it so options after it still parse.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      subdistricts: { type: 'string' }, communities: { type: 'string' }, grids: { type: 'string' },
      crs: { type: 'string', default: 'auto' }, 'dry-run': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const crs = values.crs!;
  if (!(IMPORT_CRS as readonly string[]).includes(crs)) throw new Error(`未知坐标系 ${crs} (unknown --crs; one of ${IMPORT_CRS.join(', ')})`);
  const dir = positionals[0];
  // pnpm runs this script in server/; paths are meant relative to where the user typed them.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  // One GeoPackage holding the three layers (tables subdistricts, communities, grids), or a directory of files.
  const single = dir && /\.gpkg$/i.test(dir) ? path.resolve(cwd, dir) : undefined;
  const file = (name: Layer) => {
    if (values[name] !== undefined) return path.resolve(cwd, values[name]!);
    if (single) return single;
    if (!dir) return undefined;
    const found = LAYER_EXTENSIONS.map((ext) => path.resolve(cwd, dir, `${name}${ext}`)).find((f) => fs.existsSync(f));
    return found ?? path.resolve(cwd, dir, `${name}.geojson`);
  };
  const files = { subdistricts: file('subdistricts'), communities: file('communities'), grids: file('grids') };
  if (!files.subdistricts || !files.communities || !files.grids) throw new Error(USAGE);
  const input: Record<Layer, unknown> = { subdistricts: null, communities: null, grids: null };
  for (const layer of ['subdistricts', 'communities', 'grids'] as const) {
    const read = await readBoundaryLayer(layer, files[layer]!, crs);
    console.log(`读取 (read) ${read.summary}`);
    for (const w of read.warnings) console.log(`注意 (note) ${w}`);
    input[layer] = read.collection;
  }
  const dryRun = values['dry-run']!;

  const config = loadConfig();
  // Not the API's short statement_timeout (GRID_ATLAS_STATEMENT_TIMEOUT_MS, 10 s): re-deriving a
  // city's blocks is one statement of a minute or more on PostgreSQL. An operator's run may take an hour.
  const db = await openDb({ ...config, statementTimeoutMs: 3_600_000, onProgress: (m) => console.log(m) });
  try {
    await migrate(db);
    const before = (await db.query<{ grids: number; blocks: number }>('SELECT (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM blocks) AS blocks')).rows[0];
    let result: ImportResult;
    try {
      result = await db.withTransaction(async (client) => {
        const r = await importBoundaries(client, input, `cli:${os.userInfo().username}`);
        if (dryRun) throw new DryRun(r);
        return r;
      });
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
      result = err.result;
    }
    if (!dryRun) await analyzeTables(db);
    console.log(
      `${dryRun ? '预检，未写入 (dry run, nothing written)' : '导入完成 (imported)'}: ${result.subdistricts} 街道, ${result.communities} 社区, ` +
        `${result.grids} 网格（现有 ${before.grids}）, ${result.blocks} 个地块（现有 ${before.blocks}）; ` +
        `${result.householdsChanged} 户${dryRun ? '将' : ''}改变网格 (households ${dryRun ? 'that would move' : 'moved'}), ` +
        `${result.householdsOutside} 户不在任何网格内 (outside every grid)`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ImportError || err instanceof GeoFileError ? err.message : `导入失败 (import failed): ${(err as Error).message}`);
  process.exit(1);
});
