import { describe, expect, it } from 'vitest';
import { generateBasemap } from './street-network.ts';
import { QING_RIVER_APPROX } from './river.ts';

describe('synthetic basemap', () => {
  const fc = generateBasemap();

  it('holds the river, named main roads and unnamed cross streets, all marked synthetic', () => {
    const kinds = fc.features.map((f) => f.properties.kind);
    expect(kinds.filter((k) => k === 'river')).toHaveLength(1);
    expect(fc.features[0].geometry).toEqual(QING_RIVER_APPROX);
    const mains = fc.features.filter((f) => f.properties.kind === 'main');
    expect(mains.length).toBeGreaterThanOrEqual(8);
    expect(mains.every((f) => f.properties.name)).toBe(true);
    expect(mains.map((f) => f.properties.name)).toEqual(expect.arrayContaining(['施州大道', '舞阳大街', '解放路', '航空路']));
    expect(fc.features.filter((f) => f.properties.kind === 'minor').every((f) => f.properties.name === null)).toBe(true);
    expect(fc.features.every((f) => f.properties.synthetic === true)).toBe(true);
  });

  it('lies in the Enshi urban valley and is the same on every call', () => {
    for (const f of fc.features) {
      expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
      for (const [lon, lat] of f.geometry.coordinates) {
        expect(lon).toBeGreaterThan(109.43);
        expect(lon).toBeLessThan(109.52);
        expect(lat).toBeGreaterThan(30.22);
        expect(lat).toBeLessThan(30.35);
      }
    }
    expect(generateBasemap()).toEqual(fc);
  });
});
