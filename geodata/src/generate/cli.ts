// pnpm --filter @grid-atlas/geodata generate
// Writes geodata/data/enshi/{subdistricts,communities,grids}.geojson from generateBoundaries().
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateBoundaries, lastAttempt, rejectedAttempts } from './boundaries.ts';
import { toGeoJsonText } from './write-geojson.ts';
import { ENSHI_DATA_DIR } from '../load.ts';

const t0 = performance.now();
const b = generateBoundaries();
const dir = fileURLToPath(ENSHI_DATA_DIR);
mkdirSync(dir, { recursive: true });
const files: [string, string, typeof b.grids | typeof b.communities | typeof b.subdistricts][] = [
  ['subdistricts.geojson', 'enshi_subdistricts', b.subdistricts],
  ['communities.geojson', 'enshi_communities', b.communities],
  ['grids.geojson', 'enshi_grids', b.grids],
];
for (const [file, name, fc] of files) {
  writeFileSync(dir + file, toGeoJsonText(name, fc));
  console.log(`wrote ${dir}${file} (${fc.features.length} features)`);
}
for (const r of rejectedAttempts) console.log(`rejected layout ${r}`);
console.log(`layout attempt ${lastAttempt}, ${Math.round(performance.now() - t0)} ms`);
