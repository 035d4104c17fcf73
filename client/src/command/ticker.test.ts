import { describe, expect, it } from 'vitest';
import { dayOrTime, pinnedUrgent, TICKER_ROWS, tickerRows, URGENT_PINNED } from './ticker';

describe('ticker', () => {
  it('pins the newest emergency cases only, at most URGENT_PINNED', () => {
    const cases = [
      { id: 1, priority: 'emergency' as const, created_at: '2026-03-01T02:00:00Z' },
      { id: 2, priority: 'normal' as const, created_at: '2026-03-01T05:00:00Z' },
      { id: 3, priority: 'emergency' as const, created_at: '2026-03-01T04:00:00Z' },
      { id: 4, priority: 'emergency' as const, created_at: '2026-03-01T03:00:00Z' },
      { id: 5, priority: 'urgent' as const, created_at: '2026-03-01T06:00:00Z' },
    ];
    expect(pinnedUrgent(cases).map((c) => c.id)).toEqual([3, 4]);
    expect(URGENT_PINNED).toBe(2);
    expect(pinnedUrgent([])).toEqual([]);
  });

  it('reads a time today as HH:MM and an earlier day as its date', () => {
    const now = new Date('2026-03-02T04:00:00Z'); // 12:00 in Shanghai
    expect(dayOrTime('2026-03-02T01:05:00Z', now)).toBe('09:05');
    expect(dayOrTime('2026-02-27T01:05:00Z', now)).not.toContain(':');
    expect(dayOrTime('2026-02-27T01:05:00Z', now)).toContain('27');
  });

  it('puts the pinned cases first and fills the strip with the newest events', () => {
    const pinned = [{ id: 7, number: 'A7', category: 'fire_hazard', category_name: '火情', community_id: 3, status: 'dispatched' as const, created_at: '2026-03-01T02:00:00Z' }];
    const events = Array.from({ length: 6 }, (_, i) => ({
      key: `e${i}`, caseId: 100 + i, number: `N${i}`, category: '噪音', communityId: 4, action: '受理', at: '2026-03-01T03:00:00Z', emergency: i === 1,
    }));
    const rows = tickerRows(pinned, events);
    expect(rows).toHaveLength(TICKER_ROWS);
    expect(rows[0]).toMatchObject({ testid: 'urgent-7', caseId: 7, urgent: true, pinned: true, action: '已派单', category: '火情' });
    expect(rows.slice(1).map((r) => r.testid)).toEqual(['tick-100', 'tick-101', 'tick-102', 'tick-103']);
    expect(rows.slice(1).map((r) => r.urgent)).toEqual([false, true, false, false]);
    expect(rows.every((r, i) => r.pinned === (i === 0))).toBe(true);
    expect(tickerRows([], [])).toEqual([]);
  });
});
