// GET /api/households: every household point as a compact columnar binary, little-endian.
// Columns, not rows, so gzip finds the runs: ids ascend, grid ids repeat, and positions are
// 16-bit steps from the south-west corner of the data (about 0.15 m for Enshi's urban area).
// Personal fields are never part of it.
//
// Layout (N = count):
//   header, 48 bytes: 0 u32 magic "GAH1" | 4 u16 version=1 | 6 u16 reserved | 8 u32 N | 12 u32 reserved
//                     16 f64 originLon | 24 f64 originLat | 32 f64 stepLon | 40 f64 stepLat
//   columns:          id u32[N] @48 | gridId u32[N] @48+4N | x u16[N] @48+8N | y u16[N] @48+10N
//                     flags u8[N] @48+12N | size u8[N] @48+13N
//   lon = originLon + x*stepLon, lat = originLat + y*stepLat
export const HOUSEHOLDS_MAGIC = 0x31484147; // bytes 'G','A','H','1' read as a little-endian u32
export const HOUSEHOLDS_VERSION = 1;
export const HOUSEHOLDS_HEADER_BYTES = 48;
/** Bytes per household across all columns: 4+4+2+2+1+1. */
export const HOUSEHOLD_RECORD_BYTES = 14;

/** flags bit0: the household is in difficulty (困难户). */
export const FLAG_IN_DIFFICULTY = 1;
/** flags bit1: linked to an in-service party member (在职党员, 双定三联). */
export const FLAG_IN_SERVICE_LINK = 2;
/** flags bit2: linked to any cadre. */
export const FLAG_ANY_LINK = 4;

/** What the server encodes: one entry per household, positions in degrees. */
export interface HouseholdPoints {
  id: Uint32Array;
  /** 0 = outside every grid. */
  gridId: Uint32Array;
  lon: Float64Array;
  lat: Float64Array;
  flags: Uint8Array;
  size: Uint8Array;
}

/** What a reader gets back: the columns plus interleaved positions ready for deck.gl. */
export interface Households {
  count: number;
  originLon: number;
  originLat: number;
  stepLon: number;
  stepLat: number;
  ids: Uint32Array;
  gridIds: Uint32Array;
  x: Uint16Array;
  y: Uint16Array;
  flags: Uint8Array;
  sizes: Uint8Array;
  /** Interleaved [lon0, lat0, lon1, lat1, ...]; usable directly as a deck.gl binary attribute (size 2). */
  positions: Float64Array;
}

export class HouseholdsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HouseholdsFormatError';
  }
}

export function encodeHouseholds(h: HouseholdPoints): Uint8Array {
  const n = h.id.length;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let i = 0; i < n; i++) {
    if (h.lon[i] < minLon) minLon = h.lon[i];
    if (h.lon[i] > maxLon) maxLon = h.lon[i];
    if (h.lat[i] < minLat) minLat = h.lat[i];
    if (h.lat[i] > maxLat) maxLat = h.lat[i];
  }
  if (n === 0) minLon = minLat = maxLon = maxLat = 0;
  // A zero span (one point) still needs a non-zero step to stay decodable.
  const stepLon = Math.max(maxLon - minLon, 1e-9) / 65535;
  const stepLat = Math.max(maxLat - minLat, 1e-9) / 65535;

  const buf = new Uint8Array(HOUSEHOLDS_HEADER_BYTES + n * HOUSEHOLD_RECORD_BYTES);
  const view = new DataView(buf.buffer);
  view.setUint32(0, HOUSEHOLDS_MAGIC, true);
  view.setUint16(4, HOUSEHOLDS_VERSION, true);
  view.setUint32(8, n, true);
  view.setFloat64(16, minLon, true);
  view.setFloat64(24, minLat, true);
  view.setFloat64(32, stepLon, true);
  view.setFloat64(40, stepLat, true);
  let o = HOUSEHOLDS_HEADER_BYTES;
  for (let i = 0; i < n; i++, o += 4) view.setUint32(o, h.id[i], true);
  for (let i = 0; i < n; i++, o += 4) view.setUint32(o, h.gridId[i], true);
  for (let i = 0; i < n; i++, o += 2) view.setUint16(o, Math.round((h.lon[i] - minLon) / stepLon), true);
  for (let i = 0; i < n; i++, o += 2) view.setUint16(o, Math.round((h.lat[i] - minLat) / stepLat), true);
  buf.set(h.flags, o);
  buf.set(h.size, o + n);
  return buf;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads the binary. The columns are typed-array views over the same buffer (no copy) on
 * little-endian hosts, which is every browser and server we target; a DataView copy keeps
 * big-endian hosts correct. In a browser, keep the result out of Vue reactivity
 * (markRaw/shallowRef): proxying 95k-element arrays is costly.
 */
export function decodeHouseholds(input: ArrayBuffer | Uint8Array): Households {
  // A Uint8Array may sit at any offset of a shared buffer (Node's Buffer pool); copy it to
  // its own buffer so the 4-byte column views below are aligned.
  const buf = input instanceof Uint8Array ? input.slice().buffer : input;
  if (buf.byteLength < HOUSEHOLDS_HEADER_BYTES) {
    throw new HouseholdsFormatError(`住户数据过短：${buf.byteLength} 字节 (household data too short)`);
  }
  const dv = new DataView(buf);
  const magic = dv.getUint32(0, true);
  if (magic !== HOUSEHOLDS_MAGIC) {
    throw new HouseholdsFormatError(`住户数据格式不符（magic 0x${magic.toString(16)}） (not a GAH1 household buffer)`);
  }
  const version = dv.getUint16(4, true);
  if (version !== HOUSEHOLDS_VERSION) {
    throw new HouseholdsFormatError(`不支持的住户数据版本：${version} (unsupported version)`);
  }
  const count = dv.getUint32(8, true);
  const expected = HOUSEHOLDS_HEADER_BYTES + HOUSEHOLD_RECORD_BYTES * count;
  if (buf.byteLength < expected) {
    throw new HouseholdsFormatError(`住户数据不完整：应为 ${expected} 字节，实际 ${buf.byteLength} 字节 (truncated)`);
  }
  const originLon = dv.getFloat64(16, true);
  const originLat = dv.getFloat64(24, true);
  const stepLon = dv.getFloat64(32, true);
  const stepLat = dv.getFloat64(40, true);

  const o = HOUSEHOLDS_HEADER_BYTES;
  const n = count;
  let ids: Uint32Array, gridIds: Uint32Array, x: Uint16Array, y: Uint16Array;
  if (littleEndianHost) {
    // All offsets are multiples of the element size (48 and 4N are multiples of 4), so views are legal.
    ids = new Uint32Array(buf, o, n);
    gridIds = new Uint32Array(buf, o + 4 * n, n);
    x = new Uint16Array(buf, o + 8 * n, n);
    y = new Uint16Array(buf, o + 10 * n, n);
  } else {
    ids = new Uint32Array(n);
    gridIds = new Uint32Array(n);
    x = new Uint16Array(n);
    y = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = dv.getUint32(o + 4 * i, true);
      gridIds[i] = dv.getUint32(o + 4 * n + 4 * i, true);
      x[i] = dv.getUint16(o + 8 * n + 2 * i, true);
      y[i] = dv.getUint16(o + 10 * n + 2 * i, true);
    }
  }
  const flags = new Uint8Array(buf, o + 12 * n, n);
  const sizes = new Uint8Array(buf, o + 13 * n, n);

  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = originLon + x[i] * stepLon;
    positions[2 * i + 1] = originLat + y[i] * stepLat;
  }
  return { count, originLon, originLat, stepLon, stepLat, ids, gridIds, x, y, flags, sizes, positions };
}

/**
 * The households whose grid passes `keep`, as a new Households (copied columns). Used to narrow a
 * subdistrict admin's points to the community on screen; the server already scopes the rest.
 */
export function selectHouseholds(h: Households, keep: (gridId: number) => boolean): Households {
  const idx: number[] = [];
  for (let i = 0; i < h.count; i++) if (keep(h.gridIds[i])) idx.push(i);
  if (idx.length === h.count) return h;
  const n = idx.length;
  const out: Households = {
    count: n,
    originLon: h.originLon,
    originLat: h.originLat,
    stepLon: h.stepLon,
    stepLat: h.stepLat,
    ids: new Uint32Array(n),
    gridIds: new Uint32Array(n),
    x: new Uint16Array(n),
    y: new Uint16Array(n),
    flags: new Uint8Array(n),
    sizes: new Uint8Array(n),
    positions: new Float64Array(2 * n),
  };
  idx.forEach((i, j) => {
    out.ids[j] = h.ids[i];
    out.gridIds[j] = h.gridIds[i];
    out.x[j] = h.x[i];
    out.y[j] = h.y[i];
    out.flags[j] = h.flags[i];
    out.sizes[j] = h.sizes[i];
    out.positions[2 * j] = h.positions[2 * i];
    out.positions[2 * j + 1] = h.positions[2 * i + 1];
  });
  return out;
}
