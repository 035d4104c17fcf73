import { describe, expect, it } from 'vitest';
import { balanceAdvice, checkBalanceSettings, communityMean, loadTarget, parseTarget, saveTarget } from './target.ts';

const memory = () => {
  const data = new Map<string, string>();
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
};

describe('the planner target', () => {
  it("defaults to the community's own mean, rounded", () => {
    expect(communityMean(4570, 10)).toBe(457);
    expect(communityMean(1000, 3)).toBe(333);
    expect(communityMean(100, 0)).toBe(0);
  });

  it('is remembered per community, and forgotten on request', () => {
    const s = memory();
    expect(loadTarget(s, 7)).toBeNull();
    saveTarget(s, 7, 266);
    saveTarget(s, 8, 400);
    expect(loadTarget(s, 7)).toBe(266);
    expect(loadTarget(s, 8)).toBe(400);
    saveTarget(s, 7, null);
    expect(loadTarget(s, 7)).toBeNull();
    expect(loadTarget(s, 8)).toBe(400);
    // a value tampered with in storage is not a target
    s.setItem('grid-atlas:planner-target:9', 'abc');
    expect(loadTarget(s, 9)).toBeNull();
    s.setItem('grid-atlas:planner-target:9', '99999');
    expect(loadTarget(s, 9)).toBeNull();
  });

  it('parses what was typed: empty is the mean, out of range is refused with the range', () => {
    expect(parseTarget('')).toEqual({ target: null, error: '' });
    expect(parseTarget(null)).toEqual({ target: null, error: '' });
    expect(parseTarget(266.4)).toEqual({ target: 266, error: '' });
    expect(parseTarget('0').error).toBe('目标规模须在 1–5000 户之间');
    expect(parseTarget('6000').target).toBeNull();
  });
});

describe('auto-balance settings', () => {
  it('accepts steps and a tolerance in range, and names each bad one', () => {
    expect(checkBalanceSettings(20000, 10)).toEqual({ ok: true, settings: { steps: 20000, tolerancePct: 10 } });
    expect(checkBalanceSettings(40000, 12.5)).toEqual({ ok: true, settings: { steps: 40000, tolerancePct: 12.5 } });
    expect(checkBalanceSettings(500, 10)).toEqual({ ok: false, errors: ['步数须是 1000–200000 之间的整数'] });
    expect(checkBalanceSettings(2000.5, 0)).toEqual({ ok: false, errors: ['步数须是 1000–200000 之间的整数', '容差须在 ±1% 到 ±50% 之间'] });
    expect(checkBalanceSettings('', '')).toMatchObject({ ok: false });
  });

  it('advises twice the steps and a tolerance wide enough for the deviation reached', () => {
    expect(balanceAdvice({ steps: 20000, tolerancePct: 10 }, 12.34)).toBe('20000 步后最大偏差 12.3%，未达到 ±10%：可将步数增至 40000，或将容差放宽到 ±13%');
    // at the top of both ranges there is nothing more to offer
    expect(balanceAdvice({ steps: 200000, tolerancePct: 50 }, 61)).toBe('200000 步后最大偏差 61.0%，未达到 ±50%');
  });
});
