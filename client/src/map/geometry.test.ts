import { describe, expect, it } from 'vitest';
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { worldOutside } from './geometry';

/** Twice the signed area of a ring (positive: counter-clockwise). */
const signedArea = (ring: Position[]) => ring.slice(1).reduce((s, p, i) => s + (ring[i][0] * p[1] - p[0] * ring[i][1]), 0);

// A square "city" with a square hole (an enclave that is not the city), drawn clockwise on
// purpose: the result must not depend on the input's winding.
const city: FeatureCollection<Polygon | MultiPolygon> = {
  type: 'FeatureCollection',
  features: [{
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'Polygon',
      coordinates: [
        [[109, 30], [109, 31], [110, 31], [110, 30], [109, 30]],
        [[109.4, 30.4], [109.6, 30.4], [109.6, 30.6], [109.4, 30.6], [109.4, 30.4]],
      ],
    },
  }],
};

describe('worldOutside', () => {
  const outside = worldOutside(city).features[0];

  it('covers what is outside the city and its enclaves, and nothing inside the city', () => {
    expect(booleanPointInPolygon(point([100, 20]), outside)).toBe(true);
    expect(booleanPointInPolygon(point([109.5, 30.5]), outside)).toBe(true); // the enclave
    expect(booleanPointInPolygon(point([109.2, 30.2]), outside)).toBe(false); // the city
  });

  it('winds outer rings counter-clockwise and holes clockwise, as MapLibre needs', () => {
    const [world, enclave] = outside.geometry.coordinates;
    expect(signedArea(world[0])).toBeGreaterThan(0);
    expect(signedArea(world[1])).toBeLessThan(0);
    expect(signedArea(enclave[0])).toBeGreaterThan(0);
  });

  it('leaves the world minus the city (plus its enclave) as its area', () => {
    const worldArea = area({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [outside.geometry.coordinates[0][0]] } });
    const cityArea = area(city.features[0]);
    expect(area(outside)).toBeCloseTo(worldArea - cityArea, -6);
  });
});
