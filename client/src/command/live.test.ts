import { describe, expect, it, vi } from 'vitest';
import { liveCaseEvent } from '@grid-atlas/contract';
import { caseQueryString } from '../api/cases';
import { areaFilter, caseInArea, tickerFromEvents, type LiveCaseMessage } from './live';

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

describe('the ticker is described from the cases the events carry', () => {
  // Events as the stream sends them, parsed with the contract's schema as the client's stream does.
  const event = (id: number, caseId: number, action: 'submit' | 'dispatch', kase: Record<string, unknown> | null): LiveCaseMessage => ({
    type: 'case', id: String(id),
    data: liveCaseEvent.parse({
      id, case_id: caseId, at: `2026-12-07T03:0${id}:00.000Z`, action, from_status: null, to_status: 'submitted', actor_label: '居民',
      grid_id: 301, community_id: 12, subdistrict_id: 3, department_id: null, payload: {}, case: kase,
    }),
  });
  const kase = (number: string, priority: string, grid: number, community: number) => ({
    number, category: 'garbage', category_name: '垃圾清运', priority, status: 'submitted', lon: 109.47, lat: 30.29,
    grid_id: grid, community_id: community, subdistrict_id: 3,
  });

  it('needs no request: each line comes from its event, newest first, only the area’s', () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('no request expected')));
    vi.stubGlobal('fetch', fetchSpy);
    try {
      const events = [
        event(1, 501, 'submit', kase('ES1', 'emergency', 301, 12)),
        event(2, 502, 'dispatch', kase('ES2', 'normal', 302, 13)), // another community's case
        event(3, 503, 'submit', null), // the stream left the case out (no longer in the subscriber's scope)
        event(4, 504, 'dispatch', kase('ES4', 'normal', 301, 12)),
      ];
      const { items, submitted } = tickerFromEvents(events, { level: 'community', id: 12 });
      expect(items.map((i) => [i.key, i.caseId, i.number, i.category, i.communityId, i.emergency]))
        .toEqual([['4', 504, 'ES4', '垃圾清运', 12, false], ['1', 501, 'ES1', '垃圾清运', 12, true]]);
      expect(items[1].action).toBe('新上报');
      expect(submitted).toEqual([501]);
      // The city sees both communities' cases; still the case-less event is left out.
      expect(tickerFromEvents(events, { level: 'city' }).items.map((i) => i.caseId)).toEqual([504, 502, 501]);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
