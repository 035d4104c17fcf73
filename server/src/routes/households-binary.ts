// The compact binary form of every household point (documented in README.md, "Household
// binary"). Columns, not rows, so gzip finds the runs: ids ascend, grid ids repeat, and
// positions are 16-bit steps from the south-west corner of the data (about 0.15 m for
// Enshi's urban area). Personal fields are never part of it.
export const MAGIC = 0x31484147; // "GAH1" little-endian
export const VERSION = 1;
export const HEADER_BYTES = 48;

export const FLAG_IN_DIFFICULTY = 1;
export const FLAG_IN_SERVICE_LINK = 2;
export const FLAG_ANY_LINK = 4;

export interface HouseholdColumns {
  id: Uint32Array;
  gridId: Uint32Array; // 0 = outside every grid
  lon: Float64Array;
  lat: Float64Array;
  flags: Uint8Array;
  size: Uint8Array;
}

export function encodeHouseholds(h: HouseholdColumns): Buffer {
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

  const buf = Buffer.alloc(HEADER_BYTES + n * 14);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, VERSION, true);
  view.setUint32(8, n, true);
  view.setFloat64(16, minLon, true);
  view.setFloat64(24, minLat, true);
  view.setFloat64(32, stepLon, true);
  view.setFloat64(40, stepLat, true);
  let o = HEADER_BYTES;
  for (let i = 0; i < n; i++, o += 4) view.setUint32(o, h.id[i], true);
  for (let i = 0; i < n; i++, o += 4) view.setUint32(o, h.gridId[i], true);
  for (let i = 0; i < n; i++, o += 2) view.setUint16(o, Math.round((h.lon[i] - minLon) / stepLon), true);
  for (let i = 0; i < n; i++, o += 2) view.setUint16(o, Math.round((h.lat[i] - minLat) / stepLat), true);
  buf.set(h.flags, o);
  buf.set(h.size, o + n);
  return buf;
}

export function decodeHouseholds(buf: Uint8Array): HouseholdColumns & { stepLon: number; stepLat: number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new Error('not a GAH1 household buffer');
  if (view.getUint16(4, true) !== VERSION) throw new Error(`unsupported version ${view.getUint16(4, true)}`);
  const n = view.getUint32(8, true);
  const originLon = view.getFloat64(16, true), originLat = view.getFloat64(24, true);
  const stepLon = view.getFloat64(32, true), stepLat = view.getFloat64(40, true);
  const out = {
    id: new Uint32Array(n), gridId: new Uint32Array(n), lon: new Float64Array(n), lat: new Float64Array(n),
    flags: new Uint8Array(n), size: new Uint8Array(n), stepLon, stepLat,
  };
  let o = HEADER_BYTES;
  for (let i = 0; i < n; i++, o += 4) out.id[i] = view.getUint32(o, true);
  for (let i = 0; i < n; i++, o += 4) out.gridId[i] = view.getUint32(o, true);
  for (let i = 0; i < n; i++, o += 2) out.lon[i] = originLon + view.getUint16(o, true) * stepLon;
  for (let i = 0; i < n; i++, o += 2) out.lat[i] = originLat + view.getUint16(o, true) * stepLat;
  out.flags.set(buf.subarray(o, o + n));
  out.size.set(buf.subarray(o + n, o + 2 * n));
  return out;
}
