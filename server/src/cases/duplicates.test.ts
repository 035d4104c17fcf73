// Marking a case as a duplicate: the original must be a case still standing on its own (open,
// or handled: resolved, verified, closed), never a rejected case or one that is itself a
// duplicate, so duplicates never form a cycle; and two opposite marks sent at once cannot both
// succeed. A refusal stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { act, call, caseIn, castAround, fileCase, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.91.0');
});
afterAll(() => db?.close());

const snapshot = async (ids: number[]) => (await db.query(
  `SELECT c.id, c.version, c.status, c.duplicate_of, (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) AS events
     FROM cases c WHERE c.id = ANY ($1::int[]) ORDER BY c.id`, [ids])).rows;

const mark = (id: number, original: number) =>
  call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'mark_duplicate', duplicate_of: original });

const numberOf = async (id: number) => (await db.query<{ number: string }>('SELECT number FROM cases WHERE id = $1', [id])).rows[0].number;

describe('mark_duplicate', () => {
  it('refuses a case that is itself a duplicate as the original: no cycle A → B → A', async () => {
    const a = (await fileCase(app, cast)).id;
    const b = (await fileCase(app, cast)).id;
    await act(app, cast, 'grid', a, { action: 'mark_duplicate', duplicate_of: b });
    const before = await snapshot([a, b]);
    const r = await mark(b, a);
    expect(r.status, r.text).toBe(409);
    // A person's words: the case number, never the internal id, in the Chinese part.
    expect(r.body.error).toMatch(/^[^(]*[\u4e00-\u9fff][^(]*\(.+\)$/);
    expect(r.body.error).toContain(await numberOf(a));
    expect(r.body.error.split('(')[0]).not.toMatch(new RegExp(`\\b${a}\\b`));
    expect(await snapshot([a, b])).toEqual(before);
  });

  it('refuses a rejected case as the original', async () => {
    const rejected = await caseIn(app, cast, 'rejected');
    const dup = (await fileCase(app, cast)).id;
    const before = await snapshot([rejected, dup]);
    const r = await mark(dup, rejected);
    expect(r.status, r.text).toBe(409);
    expect(r.body.error).toContain(await numberOf(rejected));
    expect(r.body.error).toMatch(/[\u4e00-\u9fff].*\(.+\)/);
    expect(await snapshot([rejected, dup])).toEqual(before);
  });

  it('accepts an open, resolved, verified or closed original', async () => {
    for (const status of ['accepted', 'in_progress', 'resolved', 'verified', 'closed'] as const) {
      const original = await caseIn(app, cast, status);
      const dup = (await fileCase(app, cast)).id;
      const r = await mark(dup, original);
      expect(r.status, `${status}: ${r.text}`).toBe(200);
      expect((await snapshot([dup]))[0]).toMatchObject({ status: 'duplicate', duplicate_of: original });
    }
  });

  it('still refuses the case itself and a case that does not exist with 400', async () => {
    const a = (await fileCase(app, cast)).id;
    expect((await mark(a, a)).status).toBe(400);
    expect((await mark(a, 2_000_000_000)).status).toBe(400);
  });

  it('of two opposite marks sent at once, exactly one succeeds', async () => {
    for (let round = 0; round < 5; round++) {
      const a = (await fileCase(app, cast)).id;
      const b = (await fileCase(app, cast)).id;
      const [ab, ba] = await Promise.all([mark(a, b), mark(b, a)]);
      expect([ab.status, ba.status].sort(), `${ab.text} / ${ba.text}`).toEqual([200, 409]);
      const rows = await snapshot([a, b]);
      expect(rows.filter((r) => r.status === 'duplicate')).toHaveLength(1);
      // The one left standing is what the other duplicates.
      const [dup] = rows.filter((r) => r.status === 'duplicate');
      const [orig] = rows.filter((r) => r.status !== 'duplicate');
      expect(dup.duplicate_of).toBe(orig.id);
      expect(orig.duplicate_of).toBeNull();
    }
  });
});
