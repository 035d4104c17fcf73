import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../api/cases';
import { casesUpTo } from './playback';

const row = (id: number, created_at: string) => ({ id, created_at }) as CaseRow;

describe('playback', () => {
  it('shows the cases filed inside the window up to the cursor', () => {
    const rows = [row(3, '2026-01-02T10:00:00Z'), row(2, '2026-01-02T08:00:00Z'), row(1, '2026-01-01T08:00:00Z')];
    const from = Date.parse('2026-01-02T00:00:00Z');
    expect(casesUpTo(rows, from, Date.parse('2026-01-02T09:00:00Z')).map((r) => r.id)).toEqual([2]);
    expect(casesUpTo(rows, from, Date.parse('2026-01-02T12:00:00Z')).map((r) => r.id)).toEqual([3, 2]);
    expect(casesUpTo(rows, from, from)).toEqual([]);
  });
});
