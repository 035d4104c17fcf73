import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { area, booleanPointInPolygon, booleanWithin, kinks, pointOnFeature } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { buildBoundaries, generateBoundaries, URBAN_BOX, MIN_GRID_AREA_KM2 } from './boundaries.ts';
import { loadCityOutline, loadEnshiBoundaries } from '../load.ts';
import { QING_RIVER_APPROX } from './river.ts';
import { ENSHI_TOTALS } from '../index.ts';

const b = generateBoundaries();
const all = () => [...b.subdistricts.features, ...b.communities.features, ...b.grids.features];

/** Directed segments of rings, with segments shared in opposite directions cancelled. */
function boundarySegments(rings: Position[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const ring of rings) {
    for (let k = 0; k < ring.length - 1; k++) {
      const a = `${ring[k][0]},${ring[k][1]}`;
      const c = `${ring[k + 1][0]},${ring[k + 1][1]}`;
      const rev = `${c}>${a}`;
      if (m.has(rev)) {
        const n = m.get(rev)! - 1;
        if (n === 0) m.delete(rev);
        else m.set(rev, n);
      } else m.set(`${a}>${c}`, (m.get(`${a}>${c}`) ?? 0) + 1);
    }
  }
  return m;
}

function ringSegments(ring: Position[]): Map<string, number> {
  return boundarySegments([ring]);
}

describe('generateBoundaries', () => {
  it('is deterministic (a fresh build deep-equals the cached output)', () => {
    expect(buildBoundaries()).toEqual(b);
  });

  it('matches the committed files in geodata/data/enshi', () => {
    expect(loadEnshiBoundaries()).toEqual(b);
    for (const f of ['subdistricts', 'communities', 'grids']) {
      const raw = JSON.parse(readFileSync(new URL(`../../data/enshi/${f}.geojson`, import.meta.url), 'utf8'));
      expect(raw.type).toBe('FeatureCollection');
      expect(raw.name).toBe(`enshi_${f}`);
      expect(raw.generator).toMatch(/geodata\/src\/generate\/cli\.ts/);
      expect(raw.generator).toMatch(/SYNTHETIC/i);
    }
  });

  it('has the exact unit counts and codes', () => {
    expect(b.subdistricts.features).toHaveLength(ENSHI_TOTALS.subdistricts);
    expect(b.communities.features).toHaveLength(ENSHI_TOTALS.communities);
    expect(b.grids.features).toHaveLength(ENSHI_TOTALS.grids);
    const per = (code: string) => b.communities.features.filter((c) => c.properties.subdistrict_code === code).length;
    expect([per('422801001'), per('422801002'), per('422801003'), per('422801004'), per('422801005')]).toEqual([8, 6, 7, 2, 10]);
    const codes = new Set(b.communities.features.map((c) => c.properties.code));
    for (const g of b.grids.features) {
      expect(g.properties.code).toMatch(/^\d{15}$/);
      expect(codes.has(g.properties.community_code)).toBe(true);
      expect(g.properties.code).toBe(g.properties.community_code + String(g.properties.number).padStart(3, '0'));
      expect(g.properties.synthetic).toBe(true);
    }
    // grids numbered 1..n within each community
    for (const c of b.communities.features) {
      const nums = b.grids.features.filter((g) => g.properties.community_code === c.properties.code).map((g) => g.properties.number);
      expect(nums).toEqual(nums.map((_, i) => i + 1));
      expect(nums.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('uses the 33 communities of the source CSV (short name without 居委会)', () => {
    const csv = readFileSync(new URL('../../sources/enshi_urban_communities.csv', import.meta.url), 'utf8');
    const rows = csv.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(b.communities.features.map((f) => [f.properties.code, f.properties.full_name, f.properties.subdistrict_code])).toEqual(
      rows.map((r) => [r[0], r[1], r[2]]),
    );
    for (const f of b.communities.features) expect(f.properties.name).toBe(f.properties.full_name.replace(/居委会$/, ''));
  });

  it('writes valid RFC 7946 polygons: one closed counter-clockwise ring, 7 decimals, no kinks', () => {
    for (const f of all()) {
      const rings = f.geometry.coordinates;
      expect(f.geometry.type).toBe('Polygon');
      expect(rings).toHaveLength(1);
      const ring = rings[0];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      let s = 0;
      for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
      expect(s).toBeGreaterThan(0);
      const notRounded = ring.filter((p) => p.length !== 2 || Math.round(p[0] * 1e7) / 1e7 !== p[0] || Math.round(p[1] * 1e7) / 1e7 !== p[1]);
      expect(notRounded).toEqual([]);
      // no repeated consecutive vertices
      expect(ring.some((p, i) => i > 0 && p[0] === ring[i - 1][0] && p[1] === ring[i - 1][1])).toBe(false);
      expect(kinks(f.geometry as Polygon).features).toHaveLength(0);
    }
  });

  it('keeps grids a sensible size and shape', () => {
    const verts = b.grids.features.map((g) => g.geometry.coordinates[0].length - 1).sort((x, y) => x - y);
    expect(verts[Math.floor(verts.length / 2)]).toBeGreaterThanOrEqual(40);
    expect(verts[Math.floor(verts.length / 2)]).toBeLessThanOrEqual(90);
    for (const g of b.grids.features) expect(area(g) / 1e6).toBeGreaterThanOrEqual(MIN_GRID_AREA_KM2);
  });

  it('lies in the built-up box and inside the real city outline', () => {
    const outline = loadCityOutline();
    const out = all().flatMap((f) =>
      f.geometry.coordinates[0].filter(
        ([x, y]) => x < URBAN_BOX.west || x > URBAN_BOX.east || y < URBAN_BOX.south || y > URBAN_BOX.north,
      ),
    );
    expect(out).toEqual([]);
    for (const s of b.subdistricts.features) expect(booleanWithin(s, outline)).toBe(true);
  });

  it('tiles each community exactly with its grids (shared edges bit-identical, no gaps or overlaps)', () => {
    for (const c of b.communities.features) {
      const grids = b.grids.features.filter((g) => g.properties.community_code === c.properties.code);
      // the grids' outer boundary, after cancelling shared edges, is exactly the community ring
      expect(boundarySegments(grids.map((g) => g.geometry.coordinates[0]))).toEqual(ringSegments(c.geometry.coordinates[0]));
      // with valid grids and that boundary, equal total area rules out overlaps
      const sum = grids.reduce((s, g) => s + area(g), 0);
      expect(Math.abs(sum - area(c)) / area(c)).toBeLessThan(1e-9);
      for (const g of grids) {
        const inner = pointOnFeature(g);
        expect(booleanPointInPolygon(inner, c)).toBe(true);
        for (const other of b.communities.features) {
          if (other !== c) expect(booleanPointInPolygon(inner, other, { ignoreBoundary: true })).toBe(false);
        }
      }
    }
  });

  it('grids lie within their community (turf booleanWithin, every 8th grid: it is slow)', () => {
    // the exact check is the segment test above; this is an independent cross-check on a sample
    const byCode = new Map(b.communities.features.map((c) => [c.properties.code, c]));
    const sample = b.grids.features.filter((_, i) => i % 8 === 0);
    for (const g of sample) expect(booleanWithin(g, byCode.get(g.properties.community_code)!)).toBe(true);
  });

  it('tiles each subdistrict exactly with its communities, and the grids tile the urban area', () => {
    for (const s of b.subdistricts.features) {
      const cs = b.communities.features.filter((c) => c.properties.subdistrict_code === s.properties.code);
      expect(boundarySegments(cs.map((c) => c.geometry.coordinates[0]))).toEqual(ringSegments(s.geometry.coordinates[0]));
      const sum = cs.reduce((acc, c) => acc + area(c), 0);
      expect(Math.abs(sum - area(s)) / area(s)).toBeLessThan(1e-9);
    }
    const fromGrids = boundarySegments(b.grids.features.map((g) => g.geometry.coordinates[0]));
    const fromSubs = boundarySegments(b.subdistricts.features.map((s) => s.geometry.coordinates[0]));
    expect(fromGrids).toEqual(fromSubs);
  });

  it('exports an approximate Qing River line through the urban area', () => {
    expect(QING_RIVER_APPROX.type).toBe('LineString');
    expect(QING_RIVER_APPROX.coordinates.length).toBeGreaterThan(4);
    const [n, s] = [QING_RIVER_APPROX.coordinates[0], QING_RIVER_APPROX.coordinates.at(-1)!];
    expect(n[1]).toBeGreaterThan(s[1]);
  });
});
