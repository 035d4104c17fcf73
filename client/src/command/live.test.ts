import { describe, expect, it } from 'vitest';
import { caseQueryString } from '../api/cases';
import { areaFilter, caseInArea } from './live';

describe('the command centre live part follows the drilled area', () => {
  it('asks the list route for the area in view only', () => {
    expect(caseQueryString({ status: ['submitted'], limit: 1, ...areaFilter({ level: 'city' }) })).toBe('?status=submitted&limit=1');
    expect(caseQueryString({ overdue: true, ...areaFilter({ level: 'subdistrict', id: 3 }) })).toBe('?overdue=true&subdistrict=3');
    expect(caseQueryString(areaFilter({ level: 'community', id: 12 }))).toBe('?community=12');
    expect(caseQueryString(areaFilter({ level: 'grid', id: 301 }))).toBe('?grid=301');
  });
  it('keeps a streamed case on the ticker only when it lies in the area', () => {
    const c = { subdistrict_id: 3, community_id: 12, grid_id: 301 };
    expect(caseInArea(c, { level: 'city' })).toBe(true);
    expect(caseInArea(c, { level: 'subdistrict', id: 3 })).toBe(true);
    expect(caseInArea(c, { level: 'subdistrict', id: 4 })).toBe(false);
    expect(caseInArea(c, { level: 'community', id: 13 })).toBe(false);
    expect(caseInArea(c, { level: 'grid', id: 301 })).toBe(true);
  });
});
