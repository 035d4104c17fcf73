import { describe, expect, it } from 'vitest';
import { areaOf, gridsInArea } from './drill';

describe('drill-down area', () => {
  it('is the deepest level chosen', () => {
    expect(areaOf(null, null, null)).toEqual({ level: 'city' });
    expect(areaOf(3, null, null)).toEqual({ level: 'subdistrict', id: 3 });
    expect(areaOf(3, 31, null)).toEqual({ level: 'community', id: 31 });
    expect(areaOf(3, 31, 310)).toEqual({ level: 'grid', id: 310 });
  });

  it('lists the grids inside the area, none filtered for the city', () => {
    const grids = [
      { id: 1, subdistrict_id: 1, community_id: 10 },
      { id: 2, subdistrict_id: 1, community_id: 11 },
      { id: 3, subdistrict_id: 2, community_id: 20 },
    ];
    expect(gridsInArea(grids, { level: 'city' })).toBeNull();
    expect([...gridsInArea(grids, { level: 'subdistrict', id: 1 })!]).toEqual([1, 2]);
    expect([...gridsInArea(grids, { level: 'community', id: 11 })!]).toEqual([2]);
    expect([...gridsInArea(grids, { level: 'grid', id: 3 })!]).toEqual([3]);
    expect([...gridsInArea(grids, { level: 'grid', id: 9 })!]).toEqual([]);
  });
});
