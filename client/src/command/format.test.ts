import { describe, expect, it } from 'vitest';
import { duration, formatShanghai, pct, score, shanghaiDate, shanghaiHhmm, shanghaiParts } from './format';

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
  it('reads the clock in Asia/Shanghai whatever the machine’s zone', () => {
    // 16:05:09 UTC on 1 March is 00:05:09 on Monday 2 March in Shanghai.
    const d = new Date('2026-03-01T16:05:09Z');
    expect(shanghaiParts(d)).toEqual({ year: 2026, month: 3, day: 2, weekday: 1, hour: 0, minute: 5, second: 9 });
    expect(shanghaiHhmm('2026-03-01T16:05:09Z')).toBe('00:05');
    expect(formatShanghai(d)).toBe('2026/3/2 00:05:09');
    expect(formatShanghai(d, true)).toBe('3/2 00:05');
  });
});
