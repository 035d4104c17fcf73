import { describe, expect, it } from 'vitest';
import { duration, pct, score } from './format';

describe('command centre figures', () => {
  it('writes rates, durations and scores', () => {
    expect(pct(0.8734)).toBe('87.3%');
    expect(pct(null)).toBe('—');
    expect(duration(42.4)).toEqual({ value: '42', unit: '分钟' });
    expect(duration(185)).toEqual({ value: '3.1', unit: '小时' });
    expect(duration(null).value).toBe('—');
    expect(score(91.25)).toBe('91.3');
  });
});
