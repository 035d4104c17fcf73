// The machine running this test is put in New York (UTC−5 in March, with daylight saving), so a
// formatter that fell back on the process's own zone would give a different day or hour.
// The files of a run share one process (vitest.config.ts: isolate false), so the zone is put back after.
const processZone = process.env.TZ;
process.env.TZ = 'America/New_York';

import { afterAll, describe, expect, it } from 'vitest';
import { applyLocale } from '../i18n';
import {
  formatDateTime, formatShanghai, minutesAgo, minutesSince, shanghaiDate, shanghaiDateHhmm, shanghaiHhmm,
  shanghaiHhmmss, shanghaiLocalToIso, shanghaiLongDate, shanghaiParts,
} from './format';

afterAll(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

// 16:05:09 UTC on Sunday 1 March is 00:05:09 on Monday 2 March in Shanghai (and 11:05 on 1 March in New York).
const AFTER_MIDNIGHT = new Date('2026-03-01T16:05:09Z');

describe('dates and times in Asia/Shanghai', () => {
  it('runs in a zone other than Shanghai, so the checks below can fail', () => {
    expect(AFTER_MIDNIGHT.getHours()).toBe(11);
    expect(AFTER_MIDNIGHT.getDate()).toBe(1);
  });

  it('takes the calendar day in Shanghai, not the machine’s nor UTC', () => {
    expect(shanghaiDate(AFTER_MIDNIGHT)).toBe('2026-03-02');
    expect(shanghaiDate('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(shanghaiDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
  });

  it('reads the clock fields in Shanghai', () => {
    expect(shanghaiParts(AFTER_MIDNIGHT)).toEqual({ year: 2026, month: 3, day: 2, weekday: 1, hour: 0, minute: 5, second: 9 });
    expect(shanghaiHhmm('2026-03-01T16:05:09Z')).toBe('00:05');
    expect(shanghaiHhmmss(AFTER_MIDNIGHT)).toBe('00:05:09');
    expect(shanghaiLongDate(AFTER_MIDNIGHT)).toBe('2026年3月2日 星期一');
  });

  it('writes date and time as zh-CN does, in Shanghai', () => {
    expect(formatShanghai(AFTER_MIDNIGHT)).toBe('2026/3/2 00:05:09');
    expect(formatShanghai(AFTER_MIDNIGHT, true)).toBe('3/2 00:05');
    expect(shanghaiDateHhmm(AFTER_MIDNIGHT)).toBe('2026-03-02 00:05');
    // The same as the browser's own zh-CN formatting when told the zone: the views read unchanged.
    expect(formatShanghai('2026-10-20T06:03:12Z')).toBe(new Date('2026-10-20T06:03:12Z').toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }));
    expect(formatShanghai('2026-10-20T06:03:12Z', true)).toBe(
      new Date('2026-10-20T06:03:12Z').toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
    );
  });

  it('writes fixed-width timestamps for tables, and a dash for none', () => {
    expect(formatDateTime('2026-03-01T16:05:09Z')).toBe('2026/03/02 00:05:09');
    expect(formatDateTime(AFTER_MIDNIGHT)).toBe('2026/03/02 00:05:09');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('')).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });

  it('counts minutes ago', () => {
    const now = new Date('2026-03-01T16:20:00Z');
    expect(minutesSince(AFTER_MIDNIGHT, now)).toBe(14);
    expect(minutesAgo(AFTER_MIDNIGHT, now)).toBe('14 分钟前');
    expect(minutesAgo(now, now)).toBe('刚刚');
    expect(minutesSince('2026-03-01T16:30:00Z', now)).toBe(0);
  });

  it('writes the long date and minutes ago in English when the interface is English', () => {
    const now = new Date('2026-03-01T16:20:00Z');
    applyLocale('en');
    try {
      expect(shanghaiLongDate(AFTER_MIDNIGHT)).toBe('Monday 2 March 2026');
      expect(minutesAgo(AFTER_MIDNIGHT, now)).toBe('14 minutes ago');
      expect(minutesAgo('2026-03-01T16:19:00Z', now)).toBe('1 minute ago');
      expect(minutesAgo(now, now)).toBe('just now');
      // The numeric forms are the same in both languages.
      expect(formatShanghai(AFTER_MIDNIGHT)).toBe('2026/3/2 00:05:09');
    } finally {
      applyLocale('zh-CN');
    }
    expect(shanghaiLongDate(AFTER_MIDNIGHT)).toBe('2026年3月2日 星期一');
  });

  it('reads a datetime-local value as Shanghai wall time', () => {
    expect(shanghaiLocalToIso('2026-03-02T00:05')).toBe('2026-03-01T16:05:00.000Z');
    expect(shanghaiLocalToIso('2026-03-02T08:30:15')).toBe('2026-03-02T00:30:15.000Z');
    // What it names reads back the same in every formatter.
    expect(formatShanghai(shanghaiLocalToIso('2026-07-15T18:45')!, true)).toBe('7/15 18:45');
    expect(shanghaiLocalToIso('2026-02-31T10:00')).toBeNull();
    expect(shanghaiLocalToIso('2026-03-02')).toBeNull();
    expect(shanghaiLocalToIso('')).toBeNull();
  });
});
