// The demo's needs history, planned in memory: the same seed gives the same needs; every need's
// steps follow the chain (each by the role that holds it, in time order, none after now); some
// are fulfilled by a unit that serves them, some declined with a reason, some still open, some
// stalled for more than a week.
import { describe, expect, it } from 'vitest';
import { NEED_STALL_DAYS, NEED_STEPS } from '@grid-atlas/contract';
import { NEED_IDEAS, planNeedsHistory, type NeedPlace, type NeedResource } from './needs-history.ts';

const now = Date.parse('2026-11-28T04:00:00Z');
const places: NeedPlace[] = Array.from({ length: 40 }, (_, i) => ({
  grid_id: 100 + (i % 8), community_id: 10 + (i % 3), subdistrict_id: 1, lon: 109.48 + i * 1e-4, lat: 30.29,
}));
const resources: NeedResource[] = [
  { id: 1, department_id: 5, categories: ['garbage', 'sewage', 'public_facility'], community_ids: null, default_for: ['garbage', 'sewage'] },
  // every other category the ideas use, city-wide (parking left out: nobody offers it here)
  { id: 3, department_id: 9, categories: [...new Set(NEED_IDEAS.map(([, c]) => c))].filter((c) => c !== 'parking'), community_ids: null, default_for: [] },
  { id: 2, department_id: 7, categories: ['elderly_care', 'hardship', 'errand', 'public_facility'], community_ids: [10], default_for: ['elderly_care'] },
];

describe('the needs history', () => {
  const needs = planNeedsHistory(places, resources, { now, count: 400 });

  it('is the same for the same seed, and different for another', () => {
    expect(planNeedsHistory(places, resources, { now, count: 400 })).toEqual(needs);
    expect(planNeedsHistory(places, resources, { now, count: 400, seed: 7 })).not.toEqual(needs);
  });

  it('follows the chain, step by step, by the roles that hold each step, never after now', () => {
    for (const n of needs) {
      expect(n.steps[0]).toMatchObject({ action: 'gather', from: null, to: 'gathered' });
      for (let i = 1; i < n.steps.length; i++) {
        const s = n.steps[i];
        const step = NEED_STEPS[s.from!]!;
        expect(s.from).toBe(n.steps[i - 1].to);
        expect(s.at).toBeGreaterThan(n.steps[i - 1].at);
        expect(step.by).toContain(s.role);
        if (s.action === 'decline') expect(s.note.length).toBeGreaterThan(0);
        else expect([s.action, s.to]).toEqual([step.action, step.to]);
      }
      expect(n.steps.at(-1)!.to).toBe(n.status);
      expect(n.steps.at(-1)!.at).toBe(n.updated);
      expect(n.updated).toBeLessThan(now);
      // dispatched only to a unit whose entry serves the category in the need's community
      if (n.steps.some((s) => s.action === 'dispatch')) {
        expect(n.resource!.categories).toContain(n.category);
        expect(n.resource!.community_ids === null || n.resource!.community_ids.includes(n.place.community_id)).toBe(true);
      }
    }
  });

  it('has fulfilled, declined, open and stalled needs', () => {
    const by = (s: string) => needs.filter((n) => n.status === s).length;
    expect(by('fulfilled')).toBeGreaterThan(needs.length * 0.3);
    expect(by('declined')).toBeGreaterThan(0);
    expect(by('declined')).toBeLessThan(needs.length * 0.3);
    const open = needs.filter((n) => !['fulfilled', 'declined'].includes(n.status));
    expect(open.length).toBeGreaterThan(0);
    expect(open.filter((n) => now - n.updated > NEED_STALL_DAYS * 86_400_000).length).toBeGreaterThan(0);
    // a category no unit offers waits at the subdistrict's report, unanswered
    expect(needs.filter((n) => n.category === 'parking').every((n) => !n.steps.some((s) => s.action === 'dispatch'))).toBe(true);
  });
});
