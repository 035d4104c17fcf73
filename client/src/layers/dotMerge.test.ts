import { describe, expect, it } from 'vitest';
import { mergeCoincident, mergeLevel, stackedAlpha, type DotArrays } from './dotMerge';

/** Dots from [lon, lat, rgba, radius] rows. */
function dots(rows: [number, number, [number, number, number, number], number][]): DotArrays {
  return {
    length: rows.length,
    positions: Float64Array.from(rows.flatMap(([lon, lat]) => [lon, lat])),
    colors: Uint8Array.from(rows.flatMap(([, , c]) => c)),
    radii: Float32Array.from(rows.map(([, , , r]) => r)),
  };
}

const BLUE: [number, number, number, number] = [170, 220, 255, 150];
const RED: [number, number, number, number] = [255, 92, 82, 235];
/** One screen pixel at zoom 13 in degrees of longitude (MapLibre's world: 512·2^13 px). */
const PX13 = 360 / (512 * 2 ** 13);
/** The middle of a merge cell (a quarter pixel at zoom 13) near Enshi, in longitude. */
const MID = (Math.floor((109.48 + 180) / (PX13 / 4)) + 0.5) * (PX13 / 4) - 180;

describe('mergeCoincident', () => {
  it('draws dots within a quarter pixel of the same style as one, as opaque as their stack', () => {
    const lon = MID;
    const d = dots([
      [lon, 30.28, BLUE, 1.1],
      [lon + 0.1 * PX13, 30.28, BLUE, 1.1], // a tenth of a pixel: the same cell
      [lon, 30.28, BLUE, 1.1],
      [lon + 10 * PX13, 30.28, BLUE, 1.1], // ten pixels away: its own dot
      [lon, 30.28, RED, 1.9], // same spot, another style: drawn on top, as before
    ]);
    const m = mergeCoincident(d, 13);
    expect(m.length).toBe(3);
    expect([...m.positions]).toEqual([lon, 30.28, lon + 10 * PX13, 30.28, lon, 30.28]);
    expect([...m.colors]).toEqual([...BLUE.slice(0, 3), stackedAlpha(150, 3), ...BLUE, ...RED]);
    expect([...m.radii]).toEqual([...d.radii.subarray(2)].map(Math.fround));
  });

  it('keeps dots of one style apart when another style comes between them (draw order)', () => {
    const d = dots([
      [109.48, 30.28, BLUE, 1],
      [109.48, 30.28, RED, 2],
      [109.48, 30.28, BLUE, 1],
    ]);
    // 3 → 3: nothing merged, so the input comes back as it is.
    expect(mergeCoincident(d, 13)).toBe(d);
  });

  it('returns the input when most dots have a cell of their own', () => {
    const rows = Array.from({ length: 10 }, (_, i) => [109.48 + i * 5 * PX13, 30.28, BLUE, 1] as [number, number, typeof BLUE, number]);
    rows.push([109.48, 30.28, BLUE, 1]); // one merge of eleven dots: not worth a new set
    const d = dots(rows);
    expect(mergeCoincident(d, 13)).toBe(d);
    // Zoomed out by eight levels, a quarter-pixel cell is 64 px at 13: the row of 45 px spans 1 or 2.
    expect(mergeCoincident(d, 5).length).toBeLessThanOrEqual(2);
  });
});

describe('stackedAlpha', () => {
  it('is what n blends of one colour "over" each other leave', () => {
    expect(stackedAlpha(150, 1)).toBe(150);
    expect(stackedAlpha(255, 4)).toBe(255);
    // Two layers at 0.5: 0.5 + 0.5·0.5 = 0.75.
    expect(stackedAlpha(127.5, 2)).toBe(Math.round(255 * 0.75));
    expect(stackedAlpha(150, 40)).toBe(255);
  });
});

describe('mergeLevel', () => {
  it('is the next quarter zoom up, so a cell is never more than its size on screen', () => {
    expect(mergeLevel(13)).toBe(13);
    expect(mergeLevel(13.01)).toBe(13.25);
    expect(mergeLevel(13.3)).toBe(13.5);
  });
});
