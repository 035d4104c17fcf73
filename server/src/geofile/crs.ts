// Coordinate systems of imported files, and the conversion of their coordinates to WGS84 lon/lat
// (EPSG:4326, what every table stores). Recognised by name or EPSG code: WGS84, CGCS2000
// (国家2000, EPSG:4490; the same lon/lat as WGS84 to a few centimetres, which the national
// standard treats as equal at map scales), CGCS2000 3-degree Gauss-Krüger zones (EPSG:4534–4554,
// CM 75°E–135°E, metres; EPSG:4547 is CM 114°E) and GCJ-02 (火星坐标, the offset lon/lat of
// Chinese web maps, converted by gcoord). Any other projection a .prj or GeoPackage spells out
// in WKT is read by proj4; one it cannot read is refused, never guessed.
import gcoord from 'gcoord';
import proj4 from 'proj4';

export type Position = number[];

export interface Crs {
  /** 'EPSG:4547', 'GCJ-02', or 'WKT' for a projection known only by its definition */
  code: string;
  /** in words, Chinese first */
  name: string;
  /** lon/lat (WGS84) of a position in this system */
  toWgs84: (p: Position) => [number, number];
  /** true where coordinates are lon/lat in degrees */
  geographic: boolean;
}

export class CrsError extends Error {}

const identity = (p: Position): [number, number] => [p[0], p[1]];

export const WGS84: Crs = { code: 'EPSG:4326', name: 'WGS 84 经纬度 (WGS 84 lon/lat)', toWgs84: identity, geographic: true };
export const CGCS2000: Crs = { code: 'EPSG:4490', name: 'CGCS2000 国家2000经纬度 (CGCS2000 lon/lat)', toWgs84: identity, geographic: true };
export const GCJ02: Crs = {
  code: 'GCJ-02', name: 'GCJ-02 火星坐标，高德/腾讯 (GCJ-02 lon/lat)', geographic: true,
  toWgs84: (p) => gcjToWgs84(p[0], p[1]),
};

/**
 * GCJ-02 → WGS84. GCJ-02 is defined only forwards (WGS84 → GCJ-02); gcoord inverts it by fixed-point
 * iteration to 1e-6° (~0.1 m), which leaves slivers of a square metre or more along a long
 * boundary. The same iteration carried on to 1e-10° puts the point back within a millimetre.
 */
function gcjToWgs84(lon: number, lat: number): [number, number] {
  let [x, y] = gcoord.transform([lon, lat] as [number, number], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  for (let i = 0; i < 10; i++) {
    const [gx, gy] = gcoord.transform([x, y] as [number, number], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const dx = gx - lon, dy = gy - lat;
    if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break;
    x -= dx;
    y -= dy;
  }
  return [x, y];
}

const fromProj4 = (code: string, name: string, def: string): Crs => {
  const converter = proj4(def, 'EPSG:4326');
  return { code, name, geographic: false, toWgs84: (p) => converter.forward([p[0], p[1]]) as [number, number] };
};

/** CGCS2000 3-degree Gauss-Krüger zone without zone prefix, EPSG:4534 (CM 75°E) … 4554 (CM 135°E). */
function gaussKruger3(epsg: number): Crs | null {
  if (epsg < 4534 || epsg > 4554) return null;
  const cm = 75 + (epsg - 4534) * 3;
  return fromProj4(`EPSG:${epsg}`, `CGCS2000 3度带高斯-克吕格 中央经线 ${cm}°E (CGCS2000 3-degree Gauss-Kruger CM ${cm}E)`,
    `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs`);
}

/** A system by its code ('EPSG:4547', 'GCJ-02'); null for one not known by code. */
export function crsByCode(code: string): Crs | null {
  const c = code.trim().toUpperCase();
  if (c === 'GCJ-02' || c === 'GCJ02') return GCJ02;
  const m = /^(?:EPSG:{1,2}|URN:OGC:DEF:CRS:EPSG:[0-9.]*:)(\d+)$/.exec(c);
  if (c === 'URN:OGC:DEF:CRS:OGC:1.3:CRS84' || c === 'OGC:CRS84' || c === 'CRS84') return WGS84;
  if (!m) return null;
  const n = Number(m[1]);
  if (n === 4326) return WGS84;
  if (n === 4490) return CGCS2000;
  return gaussKruger3(n);
}

/** The outermost name of a WKT definition (PROJCS["name", … or GEOGCS["name", …). */
const wktName = (wkt: string) => /^\s*[A-Z_]+\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1] ?? '';

/**
 * A system from its WKT (a Shapefile's .prj, a GeoPackage's definition): by the EPSG code or the
 * name the common writers give it (GDAL and ArcGIS), else as proj4 reads the definition.
 */
export function crsFromWkt(wkt: string): Crs {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  if (!text) throw new CrsError('坐标系定义为空 (the coordinate system definition is empty)');
  if (/GCJ/i.test(text)) return GCJ02;
  const name = wktName(text);
  const projected = /^\s*PROJCR?S\s*\[/i.test(text);
  // WKT1 ends with the outermost object's AUTHORITY; WKT2 with its ID
  const authority = /(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(text);
  if (authority) {
    const known = crsByCode(`EPSG:${authority[1]}`);
    if (known) return known;
  }
  if (projected) {
    // ArcGIS and GDAL name the zones "CGCS2000_3_Degree_GK_CM_114E" / "CGCS2000 / 3-degree Gauss-Kruger CM 114E"
    const gk = /CGCS.?2000.*3.?degree.*(?:GK|Gauss).*CM.?(\d{2,3})\s*E/i.exec(name);
    if (gk && !/zone/i.test(name)) {
      const cm = Number(gk[1]);
      const known = (cm - 75) % 3 === 0 ? gaussKruger3(4534 + (cm - 75) / 3) : null;
      if (known) return known;
    }
  } else {
    if (/China.?Geodetic.?Coordinate.?System.?2000|CGCS.?2000/i.test(name)) return CGCS2000;
    if (/WGS.?(19)?84/i.test(name)) return WGS84;
  }
  let def: proj4.Converter;
  try {
    def = proj4(text, 'EPSG:4326');
    // a definition proj4 half-read gives NaN: try one point near Enshi before trusting it
    const probe = projected ? [500000, 3350000] : [109.5, 30.3];
    if (!def.forward(probe).every(Number.isFinite)) throw new Error('NaN');
  } catch {
    throw new CrsError(`无法识别的坐标系“${name || text.slice(0, 60)}” (unknown coordinate system "${name || text.slice(0, 60)}"); 请改用 WGS84、CGCS2000 或 EPSG:4547`);
  }
  return { code: 'WKT', name: `${name} (WKT)`, geographic: !projected, toWgs84: (p) => def.forward([p[0], p[1]]) as [number, number] };
}
