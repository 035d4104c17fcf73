// GeoPackage (OGC 12-128r18) read and written with sql.js (SQLite compiled to WebAssembly, so no
// native build) and wkx for the WKB inside each geometry blob. A GeoPackage geometry is a small
// header — "GP", version, flags (byte order, envelope size, empty), srs_id, envelope — then
// standard WKB; both directions are done here.
import { bbox } from '@turf/bbox';
import type { Geometry } from 'geojson';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import wkx from 'wkx';
import { GeoFileError } from './errors.ts';
import type { RawFeature } from './read.ts';

let engine: Promise<SqlJsStatic> | null = null;
const sqlite = () => (engine ??= initSqlJs());

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** 'GPKG' as the SQLite application_id, which GDAL and QGIS check. */
const APPLICATION_ID = 0x47504b47;
const USER_VERSION = 10200;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface GpkgRead {
  table: string;
  srs: { organization: string; code: number; definition: string } | null;
  features: RawFeature[];
}

/** The envelope's length in bytes for each value of the flags' envelope indicator (bits 1–3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A GeoPackage geometry blob → GeoJSON geometry (null for an empty one). */
export function parseGpkgGeometry(blob: Uint8Array): RawFeature['geometry'] {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no GP header)');
  const flags = blob[3];
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) throw new Error('bad envelope indicator');
  if (flags & 0x10) return null; // empty geometry
  if (flags & 0x20) throw new Error('extended GeoPackage geometry types are not supported');
  const wkb = Buffer.from(blob.buffer, blob.byteOffset + 8 + envelope, blob.byteLength - 8 - envelope);
  return wkx.Geometry.parse(wkb).toGeoJSON() as RawFeature['geometry'];
}

/** A GeoJSON geometry → GeoPackage geometry blob (little-endian header with its xy envelope). */
export function gpkgGeometry(geometry: { type: string; coordinates: unknown }, srsId: number): Uint8Array {
  const wkb = wkx.Geometry.parseGeoJSON(geometry).toWkb();
  const [minX, minY, maxX, maxY] = bbox(geometry as Geometry);
  const header = Buffer.alloc(8 + 32);
  header.write('GP', 0, 'latin1');
  header[2] = 0; // version 1
  header[3] = 0x01 | (1 << 1); // little endian, envelope [minx, maxx, miny, maxy]
  header.writeInt32LE(srsId, 4);
  [minX, maxX, minY, maxY].forEach((v, i) => header.writeDoubleLE(v, 8 + i * 8));
  return Buffer.concat([header, wkb]);
}

/**
 * The one feature table of a GeoPackage (or, of several, the one named `prefer`): its rows as
 * GeoJSON features and its spatial reference.
 */
export async function readGpkg(bytes: Uint8Array, prefer?: string): Promise<GpkgRead> {
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== SQLITE_MAGIC) {
    throw new GeoFileError('不是 GeoPackage 文件（不是 SQLite 数据库），文件可能已损坏 (not a GeoPackage: not an SQLite database)');
  }
  const SQL = await sqlite();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (err) {
    throw new GeoFileError(`GeoPackage 无法打开 (the GeoPackage cannot be opened: ${(err as Error).message})`);
  }
  try {
    const rows = <T>(sql: string, params: (string | number)[] = []): T[] => {
      const stmt = db.prepare(sql);
      try {
        stmt.bind(params);
        const out: T[] = [];
        while (stmt.step()) out.push(stmt.getAsObject() as T);
        return out;
      } finally {
        stmt.free();
      }
    };
    let columns: { table_name: string; column_name: string; srs_id: number }[];
    try {
      columns = rows(`SELECT g.table_name, g.column_name, g.srs_id FROM gpkg_geometry_columns g
                        JOIN gpkg_contents c ON c.table_name = g.table_name WHERE c.data_type = 'features' ORDER BY g.table_name`);
    } catch {
      throw new GeoFileError('GeoPackage 缺少 gpkg_geometry_columns / gpkg_contents 表，文件可能已损坏 (not a valid GeoPackage: its metadata tables are missing)');
    }
    if (columns.length === 0) throw new GeoFileError('GeoPackage 中没有要素图层 (the GeoPackage has no feature table)');
    const chosen = columns.length === 1 ? columns[0] : columns.find((c) => c.table_name === prefer);
    if (!chosen) {
      throw new GeoFileError(prefer
        ? `GeoPackage 中没有名为 ${prefer} 的要素图层（有 ${columns.map((c) => c.table_name).join('、')}） (the GeoPackage has no feature table ${prefer}; it has ${columns.map((c) => c.table_name).join(', ')})`
        : `GeoPackage 中有 ${columns.length} 个要素图层（${columns.map((c) => c.table_name).join('、')}），请每次只导入一个 (the GeoPackage has ${columns.length} feature tables; send one)`);
    }
    const { table_name: table, column_name: column, srs_id: srsId } = chosen;
    const srs = rows<{ organization: string; organization_coordsys_id: number; definition: string }>(
      'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [srsId])[0];
    const features: RawFeature[] = [];
    let i = 0;
    for (const row of rows<Record<string, unknown>>(`SELECT * FROM ${quoteIdent(table)}`)) {
      i++;
      const properties: Record<string, unknown> = {};
      let geometry: RawFeature['geometry'] = null;
      for (const [k, v] of Object.entries(row)) {
        if (k === column) {
          if (v instanceof Uint8Array) {
            try {
              geometry = parseGpkgGeometry(v);
            } catch (err) {
              throw new GeoFileError(`第 ${i} 个要素的几何无法读取 (feature ${i}: the geometry cannot be read: ${(err as Error).message})`);
            }
          }
        } else if (!(v instanceof Uint8Array)) properties[k] = v;
      }
      features.push({ properties, geometry });
    }
    return {
      table,
      srs: srs ? { organization: String(srs.organization ?? ''), code: Number(srs.organization_coordsys_id), definition: String(srs.definition ?? '') } : null,
      features,
    };
  } finally {
    db.close();
  }
}

export interface GpkgColumn { name: string; type: 'TEXT' | 'INTEGER' | 'REAL' }

/** One feature table of a GeoPackage to write. */
export interface GpkgLayer {
  table: string;
  columns: readonly GpkgColumn[];
  features: { geometry: { type: string; coordinates: any }; properties: Record<string, unknown> }[];
  description?: string;
}

/**
 * A GeoPackage of one MultiPolygon feature table in WGS84 (EPSG:4326): the features' polygons
 * (a Polygon is written as a MultiPolygon of one) and the named attribute columns.
 */
export async function writeGpkg(table: string, columns: readonly GpkgColumn[], features: GpkgLayer['features'], description = ''): Promise<Uint8Array> {
  return writeGpkgLayers([{ table, columns, features, description }]);
}

/** A GeoPackage of several such tables (a city's subdistricts, communities and grids in one file). */
export async function writeGpkgLayers(layers: readonly GpkgLayer[]): Promise<Uint8Array> {
  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${USER_VERSION}`);
    db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
    const stmt = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of [
      ['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'],
      ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'],
      ['WGS 84 geodetic', 4326, 'EPSG', 4326,
        'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
        'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
        'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'],
    ]) stmt.run(r);
    stmt.free();
    db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
              description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id))`);
    db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);
    for (const layer of layers) writeLayer(db, layer);
    return db.export();
  } finally {
    db.close();
  }
}

function writeLayer(db: Database, { table, columns, features, description = '' }: GpkgLayer): void {
  {
    const t = quoteIdent(table);
    db.run(`CREATE TABLE ${t} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON${columns.map((c) => `, ${quoteIdent(c.name)} ${c.type}`).join('')})`);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const insert = db.prepare(`INSERT INTO ${t} (geom${columns.map((c) => `, ${quoteIdent(c.name)}`).join('')}) VALUES (?${', ?'.repeat(columns.length)})`);
    for (const f of features) {
      const multi = f.geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [f.geometry.coordinates] } : f.geometry;
      const blob = gpkgGeometry(multi, 4326);
      const env = new DataView(blob.buffer, blob.byteOffset + 8, 32);
      minX = Math.min(minX, env.getFloat64(0, true)); maxX = Math.max(maxX, env.getFloat64(8, true));
      minY = Math.min(minY, env.getFloat64(16, true)); maxY = Math.max(maxY, env.getFloat64(24, true));
      insert.run([blob, ...columns.map((c) => {
        const v = f.properties[c.name];
        return v === undefined || v === null ? null : c.type === 'TEXT' ? String(v) : Number(v);
      })]);
    }
    insert.free();
    const box = features.length ? [minX, minY, maxX, maxY] : [null, null, null, null];
    db.run(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
            VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)`, [table, table, description, ...box]);
    db.run(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)`, [table]);
  }
}
