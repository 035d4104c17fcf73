import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, stageMoment, workingMinutesBetween } from './clock.ts';

// Times written in Asia/Shanghai. 2026-11-27 is a Friday, 2026-11-30 a Monday.
const sh = (s: string) => new Date(`${s}+08:00`);

describe('office-hours clock (Mon–Fri 08:30–12:00, 14:30–18:00 Asia/Shanghai)', () => {
  it('adds minutes inside one window', () => {
    expect(addWorkingMinutes(sh('2026-11-27T09:00:00'), 60)).toEqual(sh('2026-11-27T10:00:00'));
  });

  it('skips the lunch break', () => {
    expect(addWorkingMinutes(sh('2026-11-27T11:30:00'), 60)).toEqual(sh('2026-11-27T15:00:00'));
  });

  it('starts at the next window when filed at night, and skips the weekend', () => {
    expect(addWorkingMinutes(sh('2026-11-27T17:30:00'), 60)).toEqual(sh('2026-11-30T09:00:00'));
    expect(addWorkingMinutes(sh('2026-11-28T22:00:00'), 30)).toEqual(sh('2026-11-30T09:00:00'));
    expect(addWorkingMinutes(sh('2026-11-27T02:00:00'), 10)).toEqual(sh('2026-11-27T08:40:00'));
  });

  it('counts 420 minutes a working day', () => {
    expect(addWorkingMinutes(sh('2026-11-30T08:30:00'), 420)).toEqual(sh('2026-11-30T18:00:00'));
    expect(addWorkingMinutes(sh('2026-11-30T08:30:00'), 421)).toEqual(sh('2026-12-01T08:31:00'));
    expect(addWorkingMinutes(sh('2026-11-27T08:30:00'), 5 * 420)).toEqual(sh('2026-12-03T18:00:00'));
  });

  it('measures office minutes between two moments', () => {
    expect(workingMinutesBetween(sh('2026-11-27T11:00:00'), sh('2026-11-27T15:00:00'))).toBe(90);
    expect(workingMinutesBetween(sh('2026-11-27T17:00:00'), sh('2026-11-30T09:00:00'))).toBe(90);
    expect(workingMinutesBetween(sh('2026-11-28T09:00:00'), sh('2026-11-29T17:00:00'))).toBe(0);
    expect(workingMinutesBetween(sh('2026-11-30T10:00:00'), sh('2026-11-30T09:00:00'))).toBe(0);
  });

  it('is the inverse of adding', () => {
    const start = sh('2026-11-26T16:47:00');
    for (const m of [1, 59, 200, 421, 1000, 3000]) {
      expect(workingMinutesBetween(start, addWorkingMinutes(start, m))).toBeCloseTo(m, 6);
    }
  });

  it('uses calendar time for categories that do not keep office hours', () => {
    const start = sh('2026-11-28T23:00:00');
    expect(stageMoment(start, 60, 1, false)).toEqual(sh('2026-11-29T00:00:00'));
    expect(stageMoment(start, 60, 0.75, true)).toEqual(sh('2026-11-30T09:15:00'));
  });
});
