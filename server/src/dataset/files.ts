// A boundary layer (subdistricts, communities or grids) from a file in any format the plan import
// reads — GeoJSON, a zipped Shapefile, a GeoPackage — as the GeoJSON FeatureCollection in WGS84
// that validateBoundaries checks, with a line saying what was read and how it was reprojected.
import fs from 'node:fs';
import path from 'node:path';
import { GeoFileError, readGeoFile, type CrsChoice, type GeoFile } from '../geofile/read.ts';

export type Layer = 'subdistricts' | 'communities' | 'grids';

/** The attributes each layer is checked for; a Shapefile's .dbf cuts names to 10 characters. */
const ATTRIBUTES: Record<Layer, string[]> = {
  subdistricts: ['code', 'name', 'synthetic'],
  communities: ['code', 'name', 'full_name', 'subdistrict_code', 'synthetic'],
  grids: ['code', 'number', 'name', 'community_code', 'synthetic'],
};

const FORMAT_WORDS: Record<GeoFile['format'], string> = { geojson: 'GeoJSON', shapefile: 'Shapefile', geopackage: 'GeoPackage' };

/** The extensions tried, in order, for a layer named in a directory (subdistricts.geojson, subdistricts.zip, …). */
export const LAYER_EXTENSIONS = ['.geojson', '.json', '.zip', '.gpkg'];

/** Attributes as the checks name them: a .dbf's cut names restored, codes as text, flags as booleans. */
function attributes(layer: Layer, props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const name of ATTRIBUTES[layer]) {
    if (name in out) continue;
    const cut = Object.keys(out).find((k) => k.toLowerCase() === name.slice(0, 10));
    if (cut !== undefined) {
      out[name] = out[cut];
      delete out[cut];
    }
  }
  for (const key of ['code', 'subdistrict_code', 'community_code']) {
    // a code stored as a number (a GIS table's default for digits) is still the code
    if (typeof out[key] === 'number' && Number.isInteger(out[key])) out[key] = String(out[key]);
  }
  if (typeof out.number === 'string' && /^\d+$/.test(out.number)) out.number = Number(out.number);
  const s = out.synthetic;
  if (s === 1 || s === 0) out.synthetic = s === 1;
  else if (typeof s === 'string' && /^(t|f|true|false|1|0)$/i.test(s)) out.synthetic = /^(t|true|1)$/i.test(s);
  else if (s === null) delete out.synthetic;
  return out;
}

export interface LayerRead {
  collection: { type: 'FeatureCollection'; features: unknown[] };
  /** what was read, in words (Chinese, then English) */
  summary: string;
  warnings: string[];
}

export async function readBoundaryLayer(layer: Layer, file: string, crs: CrsChoice = 'auto'): Promise<LayerRead> {
  if (!fs.existsSync(file)) throw new GeoFileError(`找不到文件 (file not found): ${file}`);
  return readBoundaryBytes(layer, fs.readFileSync(file), path.basename(file), crs);
}

/**
 * A boundary layer from a file's bytes (an upload, or a file on disk). A GeoPackage may hold all
 * three layers, as tables named subdistricts, communities and grids; this reads the one asked for.
 */
export async function readBoundaryBytes(layer: Layer, bytes: Uint8Array, name: string, crs: CrsChoice = 'auto'): Promise<LayerRead> {
  let read: GeoFile;
  try {
    read = await readGeoFile(bytes, name, crs, layer);
  } catch (err) {
    if (err instanceof GeoFileError) throw new GeoFileError(`${name}: ${err.message}`);
    throw err;
  }
  const features = read.features.map((f) => ({ type: 'Feature', properties: attributes(layer, f.properties), geometry: f.geometry }));
  const summary = `${layer}: ${name} · ${FORMAT_WORDS[read.format]}${read.layer ? ` 图层 ${read.layer}` : ''} · ${features.length} 个要素 · ` +
    `坐标系 ${read.crs.name} · ${read.crs.reprojected ? '已转换为 WGS84 (reprojected to WGS84)' : '无需转换 (no reprojection)'}`;
  return { collection: { type: 'FeatureCollection', features }, summary, warnings: read.warnings.map((w) => `${name}: ${w}`) };
}
