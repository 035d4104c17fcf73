import { describe, expect, it } from 'vitest';
import { legendClasses, niceRound, pickColors, quantileBreaks } from './classify';

describe('niceRound', () => {
  it('rounds to legend-friendly steps', () => {
    expect(niceRound(7)).toBe(7);
    expect(niceRound(197)).toBe(200);
    expect(niceRound(304)).toBe(300);
    expect(niceRound(1234)).toBe(1200);
    expect(niceRound(0)).toBe(0);
  });
});

describe('quantileBreaks', () => {
  it('gives strictly increasing thresholds inside the data range', () => {
    const values = Array.from({ length: 359 }, (_, i) => 50 + i * 2);
    const b = quantileBreaks(values, 6);
    expect(b.length).toBe(5);
    for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
    expect(b[0]).toBeGreaterThan(50);
    expect(b[b.length - 1]).toBeLessThanOrEqual(50 + 358 * 2);
  });

  it('collapses when values are few or equal', () => {
    expect(quantileBreaks([], 6)).toEqual([]);
    expect(quantileBreaks([5, 5, 5], 6)).toEqual([]);
  });
});

describe('legendClasses', () => {
  it('has one more class than breaks, open at both ends', () => {
    const c = legendClasses([100, 200], ['#000', '#111', '#222', '#333']);
    expect(c).toEqual([
      { color: '#000', from: null, to: 100 },
      { color: '#222', from: 100, to: 200 },
      { color: '#333', from: 200, to: null },
    ]);
    expect(pickColors(['#a', '#b'], 1)).toEqual(['#b']);
  });
});
