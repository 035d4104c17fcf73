import { describe, expect, it } from 'vitest';
import { duration, pct, score, shanghaiDate } from './format';

describe('command centre figures', () => {
  it('writes rates, durations and scores', () => {
    expect(pct(0.8734)).toBe('87.3%');
    expect(pct(null)).toBe('—');
    expect(duration(42.4)).toEqual({ value: '42', unit: '分钟' });
    expect(duration(185)).toEqual({ value: '3.1', unit: '小时' });
    expect(duration(null).value).toBe('—');
    expect(score(91.25)).toBe('91.3');
  });
  it('takes the calendar day in Asia/Shanghai, not UTC', () => {
    expect(shanghaiDate(new Date('2026-03-01T17:30:00Z'))).toBe('2026-03-02');
    expect(shanghaiDate(new Date('2026-03-01T15:30:00Z'))).toBe('2026-03-01');
  });
});
