import { describe, it, expect } from 'vitest';
import { validateBoundaries, MAX_ERRORS } from './validate.ts';
import { loadEnshiBoundaries } from '../load.ts';
import type { Boundaries } from '../types.ts';

const fresh = (): Boundaries => loadEnshiBoundaries();
// a deep copy that lets tests break things freely
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const broken = (): any => structuredClone(fresh());

function errorsOf(input: unknown): string[] {
  const r = validateBoundaries(input);
  if (r.ok) throw new Error('expected validation to fail');
  return r.errors;
}

describe('validateBoundaries', () => {
  it('accepts the committed Enshi boundaries unchanged', () => {
    const r = validateBoundaries(fresh());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.boundaries).toEqual(fresh());
  });

  it('rejects input that is not three FeatureCollections', () => {
    expect(errorsOf(null)[0]).toMatch(/^input: /);
    const e = errorsOf({ subdistricts: { type: 'FeatureCollection', features: [] }, communities: {} });
    expect(e.some((m) => m.startsWith('communities.geojson: type'))).toBe(true);
    expect(e.some((m) => m.startsWith('grids.geojson'))).toBe(true);
  });

  it('reports a missing parent in the documented form', () => {
    const b = broken();
    b.grids.features[12].properties.community_code = '422801001099';
    const code = b.grids.features[12].properties.code;
    expect(errorsOf(b)).toContain(
      `grids.geojson feature 12 (code ${code}): community_code 422801001099 does not exist in communities`,
    );
  });

  it('checks code formats, prefixes and uniqueness', () => {
    const b = broken();
    b.subdistricts.features[0].properties.code = '42280100';
    b.communities.features[3].properties.code = '422801002004'; // duplicate of 六角亭's 书院, wrong prefix too
    b.grids.features[5].properties.code = '422801001002001'; // does not start with its community code
    b.grids.features[7].properties.code = b.grids.features[6].properties.code;
    b.grids.features[7].properties.number = b.grids.features[6].properties.number;
    const e = errorsOf(b);
    expect(e.some((m) => m.startsWith('subdistricts.geojson feature 0 (code 42280100): properties.code: subdistrict code must be 9 digits'))).toBe(true);
    expect(e.some((m) => /^communities\.geojson feature 3 \(code 422801002004\): code 422801002004 does not start with its subdistrict_code 422801001/.test(m))).toBe(true);
    expect(e.some((m) => /communities\.geojson feature 11 \(code 422801002004\): duplicate code \(also used by feature 3\)/.test(m) || /feature 3 .*duplicate/.test(m))).toBe(true);
    expect(e.some((m) => /^grids\.geojson feature 5 .*does not start with its community_code/.test(m))).toBe(true);
    expect(e.some((m) => /^grids\.geojson feature 7 .*duplicate code \(also used by feature 6\)/.test(m))).toBe(true);
  });

  it('requires non-empty names and children for every parent', () => {
    const b = broken();
    b.communities.features[0].properties.name = '  ';
    const code = b.communities.features[1].properties.code;
    b.grids.features = b.grids.features.filter((g: { properties: { community_code: string } }) => g.properties.community_code !== code);
    b.subdistricts.features.push({ ...b.subdistricts.features[0], properties: { code: '422801006', name: '空街道', synthetic: true } });
    const e = errorsOf(b);
    expect(e.some((m) => /^communities\.geojson feature 0 .*properties\.name: must be a non-empty string/.test(m))).toBe(true);
    expect(e.some((m) => m === `communities.geojson feature 1 (code ${code}): community 舞阳大街社区 has no grids`)).toBe(true);
    expect(e.some((m) => m === 'subdistricts.geojson feature 5 (code 422801006): subdistrict 空街道 has no communities')).toBe(true);
  });

  it('normalises a single-part MultiPolygon and keeps a multi-part one, checking each part', () => {
    const b = broken();
    b.grids.features[0].geometry = { type: 'MultiPolygon', coordinates: [b.grids.features[0].geometry.coordinates] };
    const r = validateBoundaries(b);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.boundaries.grids.features[0].geometry).toEqual(fresh().grids.features[0].geometry);

    const c = broken();
    const g1 = c.grids.features[1].geometry.coordinates;
    c.grids.features[0].geometry = { type: 'MultiPolygon', coordinates: [c.grids.features[0].geometry.coordinates, g1] };
    const multi = validateBoundaries(c);
    expect(multi.ok).toBe(true);
    if (multi.ok) expect(multi.boundaries.grids.features[0].geometry.type).toBe('MultiPolygon');

    // A broken part is reported as that part.
    const d = broken();
    const open = d.grids.features[1].geometry.coordinates.map((ring: number[][]) => ring.slice(0, -1));
    d.grids.features[0].geometry = { type: 'MultiPolygon', coordinates: [d.grids.features[0].geometry.coordinates, open] };
    expect(errorsOf(d)[0]).toMatch(/^grids\.geojson feature 0 \(code \d{15}\) part 2: exterior ring is not closed/);
  });

  it('rewinds clockwise rings to RFC 7946 order', () => {
    const b = broken();
    b.grids.features[0].geometry.coordinates[0].reverse();
    const r = validateBoundaries(b);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.boundaries.grids.features[0].geometry).toEqual(fresh().grids.features[0].geometry);
  });

  it('checks ring geometry: closed, 4+ positions, finite in-range coordinates, no self-intersections', () => {
    const b = broken();
    b.grids.features[0].geometry.coordinates[0].pop(); // not closed
    b.grids.features[1].geometry.coordinates = [[[109.4, 30.2], [109.41, 30.2], [109.4, 30.2]]];
    b.grids.features[2].geometry.coordinates[0][3] = [12000000.5, 3500000.25];
    b.grids.features[3].geometry.coordinates[0][3] = [Number.NaN, 30.2];
    // bow tie
    b.grids.features[4].geometry.coordinates = [[[109.40, 30.20], [109.41, 30.21], [109.41, 30.20], [109.40, 30.21], [109.40, 30.20]]];
    b.grids.features[5].geometry = { type: 'Point', coordinates: [109.4, 30.2] };
    const e = errorsOf(b);
    expect(e.find((m) => m.startsWith('grids.geojson feature 0 '))).toMatch(/exterior ring is not closed/);
    expect(e.find((m) => m.startsWith('grids.geojson feature 1 '))).toMatch(/has 3 positions; a closed ring needs at least 4/);
    expect(e.find((m) => m.startsWith('grids.geojson feature 2 '))).toMatch(/outside lon -180\.\.180 \/ lat -90\.\.90/);
    expect(e.find((m) => m.startsWith('grids.geojson feature 3 '))).toMatch(/not a finite number|expected number/);
    expect(e.find((m) => m.startsWith('grids.geojson feature 4 '))).toMatch(/self-intersects at \[109\.405, 30\.205\]/);
    expect(e.find((m) => m.startsWith('grids.geojson feature 5 '))).toMatch(/geometry/);
  });

  it('collects all errors but caps the list', () => {
    const b = broken();
    for (const g of b.grids.features) g.properties.name = '';
    const e = errorsOf(b);
    expect(e).toHaveLength(MAX_ERRORS);
    expect(e[MAX_ERRORS - 1]).toMatch(/^\.\.\. and \d+ more errors/);
  });
});
