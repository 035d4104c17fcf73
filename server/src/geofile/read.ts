/// <reference path="./shpjs.d.ts" />
// Reads an uploaded vector file — GeoJSON, a zipped Shapefile or a GeoPackage — into GeoJSON
// features in WGS84 lon/lat, with what was found on the way (format, layer, coordinate system).
// Pure JavaScript and WebAssembly only (fflate, shpjs, sql.js, proj4, gcoord): a fresh machine
// with Node and nothing else reads every format. A file that cannot be read is a GeoFileError
// whose message says why, in Chinese and English.
import { unzipSync } from 'fflate';
import { parseDbf, parseShp } from 'shpjs';
import { crsByCode, crsFromWkt, CrsError, GCJ02, WGS84, type Crs, type Position } from './crs.ts';
import { GeoFileError } from './errors.ts';
import { readGpkg } from './gpkg.ts';

export { GeoFileError };

export type GeoFormat = 'geojson' | 'shapefile' | 'geopackage';

export interface RawFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates?: unknown } | null;
}

export interface GeoFile {
  format: GeoFormat;
  layer: string | null;
  features: RawFeature[];
  crs: { code: string; name: string; source: 'file' | 'chosen' | 'default'; reprojected: boolean };
  warnings: string[];
}

/** What a file is read as: the system the planner chose, or 'auto' to read it from the file. */
export type CrsChoice = 'auto' | string;

/** Most features one file may hold (a community has at most a few dozen grids). */
export const MAX_FEATURES = 5000;
/** Most bytes a Shapefile's parts may unpack to: a zip bomb stops here. */
const MAX_UNZIPPED = 200 * 1024 * 1024;

export const formatOf = (name: string): GeoFormat | null => {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'geojson' || ext === 'json') return 'geojson';
  if (ext === 'zip') return 'shapefile';
  if (ext === 'gpkg') return 'geopackage';
  return null;
};

/**
 * Reads `bytes` (named `name`, whose extension says the format) into WGS84 features; of a
 * GeoPackage with several feature tables, the one named `layer`.
 */
export async function readGeoFile(bytes: Uint8Array, name: string, choice: CrsChoice = 'auto', layer?: string): Promise<GeoFile> {
  const format = formatOf(name);
  if (!format) throw new GeoFileError(`不支持的文件类型“${name}”：请上传 .geojson、.json、.zip（Shapefile）或 .gpkg 文件 (unsupported file type; send .geojson, .json, .zip or .gpkg)`);
  if (bytes.length === 0) throw new GeoFileError('文件是空的 (the file is empty)');
  const read = format === 'geojson' ? readGeoJson(bytes) : format === 'shapefile' ? readShapefile(bytes) : await readGpkgFile(bytes, layer);
  const chosen = choice === 'auto' ? null : crsByCode(choice);
  if (choice !== 'auto' && !chosen) throw new GeoFileError(`未知坐标系 ${choice} (unknown coordinate system ${choice})`);
  const warnings: string[] = [];
  let crs: Crs;
  let source: GeoFile['crs']['source'];
  if (chosen) {
    crs = chosen;
    source = 'chosen';
    if (read.crs && read.crs.code !== chosen.code) {
      // GCJ-02 is WGS84/CGCS2000 lon/lat in the file's own words: a geographic file may be named so
      if (!(chosen === GCJ02 && read.crs.geographic)) {
        throw new GeoFileError(`文件声明的坐标系是 ${read.crs.name}，与所选的 ${chosen.name} 不符 (the file says ${read.crs.code}, not ${chosen.code})`);
      }
    }
  } else if (read.crs) {
    crs = read.crs;
    source = 'file';
  } else {
    crs = WGS84;
    source = 'default';
    warnings.push(format === 'shapefile'
      ? '压缩包中没有 .prj 文件，按 WGS84 经纬度读取 (no .prj in the zip: read as WGS84 lon/lat)'
      : '文件未声明坐标系，按 WGS84 经纬度读取 (the file names no coordinate system: read as WGS84 lon/lat)');
  }
  if (read.features.length > MAX_FEATURES) throw new GeoFileError(`要素过多：${read.features.length} 个，最多 ${MAX_FEATURES} 个 (too many features: at most ${MAX_FEATURES})`);
  const reprojected = crs.code !== WGS84.code && crs.code !== 'EPSG:4490';
  const features = read.features.map((f, i) => ({ properties: f.properties, geometry: f.geometry && reproject(f.geometry, crs, i) }));
  return { format, layer: read.layer, features, crs: { code: crs.code, name: crs.name, source, reprojected }, warnings };
}

/** Every position of a geometry through the system's conversion; out-of-range lon/lat named by feature. */
function reproject(g: { type: string; coordinates?: unknown }, crs: Crs, i: number): RawFeature['geometry'] {
  const walk = (c: unknown): unknown => {
    if (!Array.isArray(c)) return c;
    if (typeof c[0] === 'number') {
      const p = c as Position;
      if (!p.every(Number.isFinite)) throw new GeoFileError(`第 ${i + 1} 个要素的坐标不是有限数值 (feature ${i + 1}: a coordinate is not a finite number)`);
      if (crs.geographic && (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)) {
        throw new GeoFileError(`第 ${i + 1} 个要素的坐标 (${p[0]}, ${p[1]}) 超出经纬度范围：文件可能是投影坐标，请检查 .prj 或选择坐标系 ` +
          `(feature ${i + 1}: (${p[0]}, ${p[1]}) is not lon/lat; the file may be projected)`);
      }
      const q = crs.toWgs84(p);
      if (!q.every(Number.isFinite) || Math.abs(q[0]) > 180 || Math.abs(q[1]) > 90) {
        throw new GeoFileError(`第 ${i + 1} 个要素的坐标 (${p[0]}, ${p[1]}) 无法按 ${crs.name} 换算为经纬度 (feature ${i + 1}: cannot convert (${p[0]}, ${p[1]}) from ${crs.code})`);
      }
      return q;
    }
    return c.map(walk);
  };
  return { type: g.type, coordinates: walk(g.coordinates) };
}

interface Read { layer: string | null; features: RawFeature[]; crs: Crs | null }

const decodeUtf8 = (bytes: Uint8Array) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new GeoFileError('文件不是 UTF-8 文本 (the file is not UTF-8 text)');
  }
};

const asCrs = (f: () => Crs) => {
  try {
    return f();
  } catch (err) {
    if (err instanceof CrsError) throw new GeoFileError(err.message);
    throw err;
  }
};

function readGeoJson(bytes: Uint8Array): Read {
  let doc: any;
  try {
    doc = JSON.parse(decodeUtf8(bytes));
  } catch (err) {
    if (err instanceof GeoFileError) throw err;
    throw new GeoFileError(`GeoJSON 无法解析 (the GeoJSON is not valid JSON): ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new GeoFileError('GeoJSON 应为 FeatureCollection (the GeoJSON must be a FeatureCollection)');
  }
  // RFC 7946 is WGS84 only; the older `crs` member (which GDAL still writes for other systems) is honoured
  let crs: Crs | null = null;
  const named = doc.crs?.properties?.name;
  if (typeof named === 'string') {
    crs = crsByCode(named) ?? asCrs(() => { throw new CrsError(`无法识别的坐标系“${named}” (unknown coordinate system "${named}")`); });
  }
  const features = doc.features.map((f: any, i: number): RawFeature => {
    if (!f || typeof f !== 'object' || f.type !== 'Feature') throw new GeoFileError(`第 ${i + 1} 个要素不是 GeoJSON Feature (feature ${i + 1} is not a Feature)`);
    const props = f.properties && typeof f.properties === 'object' && !Array.isArray(f.properties) ? f.properties : {};
    return { properties: props, geometry: f.geometry ?? null };
  });
  return { layer: typeof doc.name === 'string' ? doc.name : null, features, crs };
}

function readShapefile(bytes: Uint8Array): Read {
  let files: Record<string, Uint8Array>;
  let unzipped = 0;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (/(^|\/)__MACOSX\//.test(f.name) || !/\.(shp|dbf|prj|cpg)$/i.test(f.name)) return false;
        unzipped += f.originalSize;
        if (unzipped > MAX_UNZIPPED) throw new GeoFileError(`压缩包解压后过大 (the zip unpacks to more than ${MAX_UNZIPPED / 1024 / 1024} MB)`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof GeoFileError) throw err;
    throw new GeoFileError(`压缩包无法解压，文件可能已损坏 (the zip cannot be read: ${(err as Error).message})`);
  }
  const base = (n: string) => n.replace(/\.[^.]+$/, '');
  const shps = Object.keys(files).filter((n) => /\.shp$/i.test(n));
  if (shps.length === 0) throw new GeoFileError('压缩包中没有 .shp 文件 (the zip holds no .shp file)');
  if (shps.length > 1) throw new GeoFileError(`压缩包中有 ${shps.length} 个图层（${shps.join('、')}），请每次只导入一个 (the zip holds ${shps.length} shapefiles; send one)`);
  const stem = base(shps[0]);
  const part = (ext: string) => {
    const key = Object.keys(files).find((n) => base(n) === stem && n.slice(stem.length).toLowerCase() === ext);
    return key ? files[key] : undefined;
  };
  const dbf = part('.dbf');
  const prj = part('.prj');
  const cpg = part('.cpg');
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  let geometries: any[];
  let rows: Record<string, unknown>[] = [];
  const shp = files[shps[0]];
  // the header's file length (16-bit words, big-endian) is the whole file: a shorter one was cut off
  if (shp.length < 100 || new DataView(shp.buffer, shp.byteOffset, shp.byteLength).getInt32(24, false) * 2 !== shp.length) {
    throw new GeoFileError(`.shp 文件无法读取，文件可能已损坏或不完整 (the .shp cannot be read: its length does not match its header)`);
  }
  try {
    geometries = parseShp(view(shp), false) as any[];
  } catch (err) {
    throw new GeoFileError(`.shp 文件无法读取，文件可能已损坏 (the .shp cannot be read: ${(err as Error).message})`);
  }
  if (dbf) {
    try {
      // a .cpg names the attributes' encoding; Chinese files without one are most often GBK
      const encoding = cpg ? new TextDecoder().decode(cpg).trim() : undefined;
      rows = parseDbf(view(dbf), encoding && /^(utf-?8|65001)$/i.test(encoding) ? 'utf-8' : encoding && /936|gbk|gb2312|gb18030/i.test(encoding) ? 'gbk' : encoding) as any[];
    } catch (err) {
      throw new GeoFileError(`.dbf 属性表无法读取 (the .dbf cannot be read: ${(err as Error).message})`);
    }
  }
  const crs = prj ? asCrs(() => crsFromWkt(new TextDecoder().decode(prj))) : null;
  const features = geometries.map((g, i): RawFeature => ({ properties: rows[i] ?? {}, geometry: g ?? null }));
  return { layer: stem.split('/').pop() ?? stem, features, crs };
}

async function readGpkgFile(bytes: Uint8Array, layer?: string): Promise<Read> {
  const g = await readGpkg(bytes, layer).catch((err) => {
    throw new GeoFileError(err instanceof GeoFileError ? err.message : `GeoPackage 无法读取，文件可能已损坏 (the GeoPackage cannot be read: ${(err as Error).message})`);
  });
  let crs: Crs | null = null;
  if (g.srs) {
    const byCode = g.srs.organization.toUpperCase() === 'EPSG' ? crsByCode(`EPSG:${g.srs.code}`) : null;
    crs = byCode ?? (g.srs.code <= 0 ? null : asCrs(() => crsFromWkt(g.srs!.definition)));
  }
  return { layer: g.table, features: g.features, crs };
}
