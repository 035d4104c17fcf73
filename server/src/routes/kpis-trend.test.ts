// GET /api/kpis/trend: cases filed per Asia/Shanghai day in one unit, the command centre's 30-day
// trend in one request. A fixture of cases in June 2019 (before anything else in the test
// database) in a community no other test writes to, two of them either side of midnight in
// Shanghai (the same UTC day).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { insertCase } from '../../../test/cases-fixture.ts';
import { tableChecksums } from '../../../test/checksum.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
const C = { id: 0, code: '', grid: 0, subdistrict: 0, other: 0, otherCode: '', otherGrid: 0 };
const who: Record<string, Signed> = {};

const filed = (iso: string, grid = C.grid) =>
  insertCase(db, { grid_id: grid, status: 'submitted', created_at: new Date(iso), events: [{ action: 'submit', at: new Date(iso), to: 'submitted' }] });

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  const { rows } = await db.query<any>(
    `SELECT cm.id, cm.code, cm.subdistrict_id, (SELECT min(g.id) FROM grids g WHERE g.community_id = cm.id) AS grid
       FROM communities cm ORDER BY cm.code OFFSET 20 LIMIT 2`);
  Object.assign(C, { id: rows[0].id, code: rows[0].code, grid: rows[0].grid, subdistrict: rows[0].subdistrict_id,
    other: rows[1].id, otherCode: rows[1].code, otherGrid: rows[1].grid });
  await filed('2019-06-09T10:00:00+08:00');
  await filed('2019-06-10T23:30:00+08:00'); // 15:30 UTC on the 10th
  await filed('2019-06-11T00:10:00+08:00'); // 16:10 UTC on the 10th: Shanghai's 11th
  await filed('2019-06-11T09:00:00+08:00');
  await filed('2019-06-11T09:00:00+08:00', C.otherGrid); // the other community: not in C's figures
  who.leader = await signIn(app, 'leader', undefined, '10.9.0.1');
  who.secretary = await signIn(app, `secretary-${C.code}`, undefined, '10.9.0.2');
  who.otherSecretary = await signIn(app, `secretary-${C.otherCode}`, undefined, '10.9.0.3');
});
afterAll(() => db?.close());

const get = async (signed: Signed, query: string) => {
  const res = await app.request(`/api/kpis/trend?${query}`, { headers: signed.headers });
  return { status: res.status, body: (await res.json()) as any };
};

describe('GET /api/kpis/trend', () => {
  it('counts the cases filed each Shanghai day, days without cases as 0, oldest first', async () => {
    const { status, body } = await get(who.leader, `level=community&id=${C.id}&to=2019-06-12&days=5`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ level: 'community', id: C.id });
    expect(body.days).toEqual([
      { day: '2019-06-08', cases: 0 },
      { day: '2019-06-09', cases: 1 },
      { day: '2019-06-10', cases: 1 },
      { day: '2019-06-11', cases: 2 },
      { day: '2019-06-12', cases: 0 },
    ]);
    // Its subdistrict holds both communities' cases of the 11th.
    const sd = await get(who.leader, `level=subdistrict&id=${C.subdistrict}&to=2019-06-11&days=1`);
    const otherSd = (await db.query<any>('SELECT subdistrict_id FROM communities WHERE id = $1', [C.other])).rows[0].subdistrict_id;
    expect(sd.body.days).toEqual([{ day: '2019-06-11', cases: otherSd === C.subdistrict ? 3 : 2 }]);
  });

  it('is what GET /api/kpis counts for each single day', async () => {
    const { body } = await get(who.leader, `level=community&id=${C.id}&to=2019-06-12&days=5`);
    for (const p of body.days) {
      const res = await app.request(`/api/kpis?level=community&id=${C.id}&from=${p.day}&to=${p.day}`, { headers: who.leader.headers });
      expect(((await res.json()) as any).total.cases, p.day).toBe(p.cases);
    }
  });

  it('defaults to the last 30 days up to today, in the caller’s own area', async () => {
    const { status, body } = await get(who.secretary, '');
    expect(status).toBe(200);
    expect(body).toMatchObject({ level: 'community', id: C.id });
    expect(body.days).toHaveLength(30);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(body.days.at(-1).day).toBe(today);
  });

  it('scope is in the query: another community is a 404, the city is a 404 for a secretary', async () => {
    expect((await get(who.otherSecretary, `level=community&id=${C.id}&to=2019-06-12&days=5`)).status).toBe(404);
    expect((await get(who.secretary, 'level=city')).status).toBe(404);
    expect((await get(who.secretary, `level=community&id=${C.id}&to=2019-06-11&days=1`)).body.days).toEqual([{ day: '2019-06-11', cases: 2 }]);
  });

  it('bad input is a 400 with a message naming the problem, and changes nothing', async () => {
    const before = await tableChecksums(db);
    const bad: [string, RegExp][] = [
      ['days=0', /days/],
      ['days=91', /days/],
      ['days=01', /days/],
      ['days=abc', /days/],
      ['days=1.5', /days/],
      ['days=', /days/],
      ['to=2019-02-30', /to/],
      ['to=2019-6-1', /to/],
      ['to=2019-06-01T00:00:00Z', /to/],
      ['level=town', /level/],
      ['level=city&id=1', /level=city/],
      ['level=grid', /level=grid/],
      [`level=grid&id=0`, /id/],
      [`level=grid&id=2147483648`, /id/],
      ['from=2019-06-01', /from/],
    ];
    for (const [q, message] of bad) {
      const { status, body } = await get(who.leader, q);
      expect(status, q).toBe(400);
      expect(String(body.error), q).toMatch(message);
    }
    expect(await tableChecksums(db)).toEqual(before);
  });
});
