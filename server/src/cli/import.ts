// pnpm import -- <dir> | --subdistricts a.geojson --communities b.geojson --grids c.geojson
// Loads a city's own boundaries (RFC 7946 GeoJSON, EPSG:4326) in place of the synthetic
// ones, checks them, and reassigns households; all in one transaction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { importBoundaries, ImportError } from '../dataset/import.ts';
import { analyzeTables } from '../db/statistics.ts';

const USAGE = `usage: pnpm import -- <directory with subdistricts.geojson, communities.geojson, grids.geojson>
   or: pnpm import -- --subdistricts FILE --communities FILE --grids FILE`;

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new Error(`找不到文件 (file not found): ${file}`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} 不是有效的 JSON (not valid JSON): ${(err as Error).message}`);
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    // `pnpm users -- …` forwards the "--" too; drop it so options after it still parse.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: { subdistricts: { type: 'string' }, communities: { type: 'string' }, grids: { type: 'string' } },
    allowPositionals: true,
  });
  const dir = positionals[0];
  // pnpm runs this script in server/; paths are meant relative to where the user typed them.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const file = (name: 'subdistricts' | 'communities' | 'grids') => {
    const f = values[name] ?? (dir ? path.join(dir, `${name}.geojson`) : undefined);
    return f === undefined ? undefined : path.resolve(cwd, f);
  };
  const files = { subdistricts: file('subdistricts'), communities: file('communities'), grids: file('grids') };
  if (!files.subdistricts || !files.communities || !files.grids) throw new Error(USAGE);
  const input = {
    subdistricts: readJson(files.subdistricts),
    communities: readJson(files.communities),
    grids: readJson(files.grids),
  };

  const config = loadConfig();
  const db = await openDb({ ...config, onProgress: (m) => console.log(m) });
  try {
    await migrate(db);
    const result = await db.withTransaction((client) => importBoundaries(client, input, `cli:${os.userInfo().username}`));
    await analyzeTables(db);
    console.log(
      `导入完成 (imported): ${result.subdistricts} 街道, ${result.communities} 社区, ${result.grids} 网格; ` +
        `${result.householdsChanged} 户改变了网格 (households moved), ${result.householdsOutside} 户不在任何网格内 (outside every grid)`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ImportError ? err.message : `导入失败 (import failed): ${(err as Error).message}`);
  process.exit(1);
});
