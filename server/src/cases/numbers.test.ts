// Case numbers come from blocks reserved per process: unique across concurrent filings and
// across two connections to one database, counted per day in Asia/Shanghai.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';
import { formatCaseNumber, nextCaseNumber, NUMBER_BLOCK, shanghaiDay } from './numbers.ts';

let db: Db;
let other: Db;

beforeAll(async () => {
  db = await openTestDb();
  other = await openTestDb();
});
afterAll(async () => {
  await other?.close();
  await db?.close();
});

describe('case numbers', () => {
  it('formats ES<day>-<at least four digits>, the day in Asia/Shanghai', () => {
    expect(formatCaseNumber('2026-11-28', 7)).toBe('ES20261128-0007');
    expect(formatCaseNumber('2026-11-28', 12345)).toBe('ES20261128-12345');
    // 16:30 UTC is already the next day in Enshi.
    expect(shanghaiDay(new Date('2026-11-28T16:30:00Z'))).toBe('2026-11-29');
    expect(shanghaiDay(new Date('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
  });

  it('never hands out a number twice, within a process or across two of them', async () => {
    // A day no other test files on, so the counter starts at zero.
    const now = new Date('2031-03-04T02:00:00Z');
    const numbers = await Promise.all(Array.from({ length: 3 * NUMBER_BLOCK + 5 }, (_, i) => nextCaseNumber(i % 3 ? db : other, now)));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^ES20310304-\d{4}$/);
    // The counter row holds the last number reserved; every number handed out lies at or below it.
    const last = (await db.query<{ last: number }>(`SELECT last FROM case_number_counters WHERE day = '2031-03-04'`)).rows[0].last;
    expect(Math.max(...numbers.map((n) => Number(n.slice(-4))))).toBeLessThanOrEqual(last);
    // One process's numbers follow one another.
    const a = await nextCaseNumber(db, now);
    const b = await nextCaseNumber(db, now);
    expect(Number(b.slice(-4))).toBeGreaterThan(Number(a.slice(-4)));
  });

  it('starts again at 1 on a new day', async () => {
    expect(await nextCaseNumber(db, new Date('2031-03-05T02:00:00Z'))).toBe('ES20310305-0001');
  });
});
