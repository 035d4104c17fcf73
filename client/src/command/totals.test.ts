import { describe, expect, it } from 'vitest';
import type { CommunityProps, GridProps, HealthCounts, SubdistrictProps } from '@grid-atlas/contract';
import { overviewFigures } from './totals';

const stats = { households: 500, in_difficulty: 12, cadres: 30, area_km2: 1.234 };
const counts = { subdistricts: 2, communities: 9, grids: 80, households: 9000, cadres: 700 } as HealthCounts;
const sd = { id: 1, code: '01', name: '甲街道', communities: 4, grids: 30, ...stats, households: 4000 } as SubdistrictProps;
const cm = { id: 10, code: '0101', name: '乙社区', subdistrict_id: 1, subdistrict_name: '甲街道', grids: 6, ...stats } as CommunityProps;
const g = { id: 100, name: '丙网格', ...stats, households: 80 } as GridProps;

describe('overview figures', () => {
  it('speaks for the city, then the subdistrict, with households accented', () => {
    const city = overviewFigures(counts, null, null, null);
    expect(city.map((f) => [f.testid, f.value])).toEqual([['total-households', 9000], ['total-grids', 80], ['total-communities', 9], ['total-cadres', 700]]);
    expect(city.filter((f) => f.accent).map((f) => f.key)).toEqual(['households']);
    expect(overviewFigures(counts, sd, null, null)[0].value).toBe(4000);
    expect(overviewFigures(undefined, null, null, null)[0].value).toBeUndefined();
  });

  it('gives a community its grids and households in difficulty', () => {
    expect(overviewFigures(counts, sd, cm, null).map((f) => f.key)).toEqual(['households', 'grids', 'difficulty', 'cadres']);
  });

  it('gives a grid its area as text in km²', () => {
    const figs = overviewFigures(counts, sd, cm, g);
    expect(figs[0].value).toBe(80);
    expect(figs.find((f) => f.key === 'area')).toMatchObject({ text: '1.23', unit: 'km²' });
  });
});
