import { describe, expect, it } from 'vitest';
import {
  FLAG_ANY_LINK, FLAG_IN_DIFFICULTY, FLAG_IN_SERVICE_LINK, HouseholdsFormatError, decodeHouseholds, encodeHouseholds, selectHouseholds,
} from './households-binary.ts';

interface Row {
  id: number;
  gridId: number;
  x: number;
  y: number;
  flags: number;
  size: number;
}

/** Encodes by hand, byte by byte with a DataView, exactly as the contract describes. */
function encode(rows: Row[], origin: [number, number], step: [number, number], opts: { magic?: number; version?: number } = {}) {
  const n = rows.length;
  const buf = new ArrayBuffer(48 + 14 * n);
  const dv = new DataView(buf);
  // 'G','A','H','1'
  dv.setUint8(0, 0x47);
  dv.setUint8(1, 0x41);
  dv.setUint8(2, 0x48);
  dv.setUint8(3, 0x31);
  if (opts.magic !== undefined) dv.setUint32(0, opts.magic, true);
  dv.setUint16(4, opts.version ?? 1, true);
  dv.setUint32(8, n, true);
  dv.setFloat64(16, origin[0], true);
  dv.setFloat64(24, origin[1], true);
  dv.setFloat64(32, step[0], true);
  dv.setFloat64(40, step[1], true);
  rows.forEach((r, i) => {
    dv.setUint32(48 + 4 * i, r.id, true);
    dv.setUint32(48 + 4 * n + 4 * i, r.gridId, true);
    dv.setUint16(48 + 8 * n + 2 * i, r.x, true);
    dv.setUint16(48 + 10 * n + 2 * i, r.y, true);
    dv.setUint8(48 + 12 * n + i, r.flags);
    dv.setUint8(48 + 13 * n + i, r.size);
  });
  return buf;
}

const rows: Row[] = [
  { id: 1, gridId: 7, x: 0, y: 0, flags: FLAG_IN_DIFFICULTY, size: 3 },
  { id: 2, gridId: 7, x: 100, y: 200, flags: FLAG_IN_SERVICE_LINK | FLAG_ANY_LINK, size: 1 },
  { id: 70000, gridId: 359, x: 65535, y: 65535, flags: 0, size: 7 },
];
const origin: [number, number] = [109.4, 30.2];
const step: [number, number] = [1e-5, 2e-5];

describe('decodeHouseholds', () => {
  it('decodes header and every column', () => {
    const h = decodeHouseholds(encode(rows, origin, step));
    expect(h.count).toBe(3);
    expect([h.originLon, h.originLat, h.stepLon, h.stepLat]).toEqual([109.4, 30.2, 1e-5, 2e-5]);
    expect(Array.from(h.ids)).toEqual([1, 2, 70000]);
    expect(Array.from(h.gridIds)).toEqual([7, 7, 359]);
    expect(Array.from(h.x)).toEqual([0, 100, 65535]);
    expect(Array.from(h.y)).toEqual([0, 200, 65535]);
    expect(Array.from(h.flags)).toEqual([1, 6, 0]);
    expect(Array.from(h.sizes)).toEqual([3, 1, 7]);
  });

  it('computes interleaved lon/lat positions', () => {
    const h = decodeHouseholds(encode(rows, origin, step));
    expect(h.positions).toBeInstanceOf(Float64Array);
    expect(h.positions.length).toBe(6);
    expect(h.positions[0]).toBeCloseTo(109.4, 12);
    expect(h.positions[1]).toBeCloseTo(30.2, 12);
    expect(h.positions[2]).toBeCloseTo(109.4 + 100 * 1e-5, 12);
    expect(h.positions[3]).toBeCloseTo(30.2 + 200 * 2e-5, 12);
    expect(h.positions[4]).toBeCloseTo(109.4 + 65535 * 1e-5, 12);
    expect(h.positions[5]).toBeCloseTo(30.2 + 65535 * 2e-5, 12);
  });

  it('accepts an empty set', () => {
    const h = decodeHouseholds(encode([], origin, step));
    expect(h.count).toBe(0);
    expect(h.positions.length).toBe(0);
  });

  it('rejects a wrong magic, version or a truncated buffer', () => {
    expect(() => decodeHouseholds(encode(rows, origin, step, { magic: 0xdeadbeef }))).toThrow(HouseholdsFormatError);
    expect(() => decodeHouseholds(encode(rows, origin, step, { version: 2 }))).toThrow(HouseholdsFormatError);
    expect(() => decodeHouseholds(encode(rows, origin, step).slice(0, 48 + 14 * 3 - 1))).toThrow(HouseholdsFormatError);
    expect(() => decodeHouseholds(new ArrayBuffer(10))).toThrow(HouseholdsFormatError);
  });
});

describe('selectHouseholds', () => {
  it('keeps the rows of the chosen grids, every column aligned', () => {
    const h = decodeHouseholds(encode(rows, origin, step));
    const s = selectHouseholds(h, (g) => g === 359);
    expect(s.count).toBe(1);
    expect(Array.from(s.ids)).toEqual([70000]);
    expect(Array.from(s.flags)).toEqual([0]);
    expect(Array.from(s.sizes)).toEqual([7]);
    expect(s.positions[0]).toBeCloseTo(109.4 + 65535 * 1e-5, 12);
    expect(selectHouseholds(h, () => true)).toBe(h);
    expect(selectHouseholds(h, () => false).count).toBe(0);
  });
});

describe('encodeHouseholds → decodeHouseholds', () => {
  it('round-trips columns within a fraction of a metre', () => {
    const cols = {
      id: Uint32Array.from([1, 2, 3]),
      gridId: Uint32Array.from([7, 7, 0]),
      lon: Float64Array.from([109.43, 109.4711, 109.52]),
      lat: Float64Array.from([30.24, 30.2901, 30.33]),
      flags: Uint8Array.from([0, FLAG_IN_DIFFICULTY, FLAG_IN_DIFFICULTY | FLAG_ANY_LINK]),
      size: Uint8Array.from([1, 3, 6]),
    };
    const back = decodeHouseholds(encodeHouseholds(cols));
    expect(Array.from(back.ids)).toEqual([1, 2, 3]);
    expect(Array.from(back.gridIds)).toEqual([7, 7, 0]);
    expect(Array.from(back.flags)).toEqual([0, 1, 5]);
    expect(Array.from(back.sizes)).toEqual([1, 3, 6]);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(back.positions[2 * i] - cols.lon[i])).toBeLessThanOrEqual(back.stepLon / 2 + 1e-12);
      expect(Math.abs(back.positions[2 * i + 1] - cols.lat[i])).toBeLessThanOrEqual(back.stepLat / 2 + 1e-12);
    }
  });

  it('writes exactly the bytes the layout describes', () => {
    const bytes = encodeHouseholds({
      id: Uint32Array.from([9]), gridId: Uint32Array.from([4]), lon: Float64Array.from([109.5]),
      lat: Float64Array.from([30.3]), flags: Uint8Array.from([FLAG_IN_SERVICE_LINK]), size: Uint8Array.from([2]),
    });
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x47, 0x41, 0x48, 0x31]);
    expect(bytes.byteLength).toBe(48 + 14);
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint32(8, true)).toBe(1);
    expect(dv.getUint32(48, true)).toBe(9);
    expect(dv.getUint32(52, true)).toBe(4);
    expect(bytes[48 + 12]).toBe(FLAG_IN_SERVICE_LINK);
    expect(bytes[48 + 13]).toBe(2);
  });

  it('reads a Uint8Array at an odd offset of a larger buffer (Node Buffer pool)', () => {
    const bytes = encodeHouseholds({
      id: Uint32Array.from([1, 2]), gridId: Uint32Array.from([3, 3]), lon: Float64Array.from([109.4, 109.5]),
      lat: Float64Array.from([30.2, 30.3]), flags: Uint8Array.from([0, 0]), size: Uint8Array.from([1, 1]),
    });
    const pool = new Uint8Array(bytes.byteLength + 3);
    pool.set(bytes, 3);
    expect(Array.from(decodeHouseholds(pool.subarray(3)).ids)).toEqual([1, 2]);
  });
});
