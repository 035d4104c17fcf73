import { describe, expect, it } from 'vitest';
import { reasonsText } from './text';

describe('the planner\'s findings in words', () => {
  it('shows the Chinese part only: no English, no internal grid key', () => {
    const text = reasonsText([
      { message: '网格 3不连通，分成 2 块 (26 would be split into 2 parts)' },
      { message: '40 步后最大偏差仍为 12.5%，未达到 ±10%；地块太粗或形状所限，可增加步数或放宽容差 (after 40 steps the largest deviation is still 12.5%, not within ±10%: try more steps or a wider tolerance)' },
    ]);
    expect(text).toBe('网格 3不连通，分成 2 块；40 步后最大偏差仍为 12.5%，未达到 ±10%；地块太粗或形状所限，可增加步数或放宽容差');
    expect(text).not.toMatch(/[A-Za-z]|26/);
  });
});
