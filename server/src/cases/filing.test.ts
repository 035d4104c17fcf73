// Filings that arrive together are filed together: one read and one insert per batch, each case
// still in its own grid with its own event and audit entry; a refused filing fails alone; and
// when a batch's statement fails, its filings are filed again one by one, so only the one at
// fault is lost to its filer (and nothing of it is stored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_COMMUNITY } from '../../../test/cases.ts';
import { openTestDb } from '../../../test/db.ts';
import type { User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import { filingStats, MAX_RUNNING, submitCase, type SubmitResult } from './filing.ts';

let db: Db;
let admin: User;
let gridWorker: User;
/** a point inside each of a dozen grids, and the grid */
let spots: { grid_id: number; lon: number; lat: number }[];
const category = 'garbage';

const userNamed = async (username: string) => (await db.query<User>(
  `SELECT id, username, display_name, role, subdistrict_id, community_id, grid_id, department_id, cadre_id FROM users WHERE username = $1`,
  [username])).rows[0];

beforeAll(async () => {
  db = await openTestDb();
  admin = await userNamed('admin');
  const { rows } = await db.query<{ code: string }>(
    `SELECT g.code FROM grids g JOIN communities cm ON cm.id = g.community_id WHERE cm.code = $1 ORDER BY g.id LIMIT 1`, [HOME_COMMUNITY]);
  gridWorker = await userNamed(`grid-${rows[0].code}`);
  spots = (await db.query<{ grid_id: number; lon: number; lat: number }>(
    `SELECT id AS grid_id, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM grids ORDER BY id LIMIT 12) x`)).rows;
});
afterAll(async () => {
  await db?.close();
});

/** What was stored for each filed case: its row, its events, its audit entries. */
async function stored(ids: number[]) {
  const { rows } = await db.query<{ id: number; number: string; grid_id: number; status: string; description: string; events: number[]; audits: number }>(
    `SELECT c.id, c.number, c.grid_id, c.status, c.description,
            (SELECT array_agg(e.id::int ORDER BY e.id) FROM case_events e WHERE e.case_id = c.id AND e.action = 'submit') AS events,
            (SELECT count(*)::int FROM audit_log a WHERE a.entity = 'case' AND a.entity_id = c.id::text AND a.action = 'create') AS audits
       FROM cases c WHERE c.id = ANY ($1::int[]) ORDER BY c.id`, [ids]);
  return rows;
}

const countWith = async (text: string) =>
  Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE description LIKE '%' || $1 || '%'`, [text])).rows[0].n);

describe('filing cases together', () => {
  it('files a burst in batches; every case in the grid of its point, with one submit event and one audit entry', async () => {
    const before = filingStats(db);
    const tag = `批量上报 ${Date.now()}`;
    const burst = spots.flatMap((s, i) => [0, 1].map((k) => ({ ...s, description: `${tag} #${2 * i + k}` })));
    const results = await Promise.all(burst.map((b) => submitCase(db, admin, { category, lon: b.lon, lat: b.lat, description: b.description }, [])));
    const after = filingStats(db);
    // The first MAX_RUNNING filings went alone; the rest waited and went together.
    expect(after.batches - before.batches).toBeLessThan(burst.length);
    expect(after.batches - before.batches).toBeGreaterThanOrEqual(MAX_RUNNING + 1);
    expect(after.largest).toBeGreaterThan(1);

    expect(new Set(results.map((r) => r.number)).size).toBe(burst.length);
    const rows = await stored(results.map((r) => r.id));
    expect(rows).toHaveLength(burst.length);
    const byId = new Map(rows.map((r) => [r.id, r]));
    results.forEach((r, i) => {
      const row = byId.get(r.id)!;
      expect(row.description).toBe(burst[i].description);
      expect(row.number).toBe(r.number);
      expect(row.status).toBe('submitted');
      expect(r.located.grid_id).toBe(burst[i].grid_id);
      expect(row.grid_id).toBe(burst[i].grid_id);
      expect(row.events).toEqual([r.eventId]);
      expect(row.audits).toBe(1);
    });
    // A filing is never offered itself as a possible duplicate.
    for (const r of results) expect(r.duplicates.map((d) => d.id)).not.toContain(r.id);
  });

  it('refuses a filing outside the city, outside its filer\'s area or of an unknown category alone', async () => {
    const tag = `批量拒绝 ${Date.now()}`;
    const own = spots.find((s) => s.grid_id === gridWorker.grid_id) ?? (await db.query<{ grid_id: number; lon: number; lat: number }>(
      `SELECT id AS grid_id, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM grids WHERE id = $1) x`,
      [gridWorker.grid_id])).rows[0];
    const elsewhere = spots.find((s) => s.grid_id !== gridWorker.grid_id)!;
    const filings: [User, { lon: number; lat: number }, string, string][] = [
      [gridWorker, own, category, `${tag} ok-1`],
      [admin, { lon: 100.0, lat: 20.0 }, category, `${tag} outside`],
      [gridWorker, elsewhere, category, `${tag} not-mine`],
      [admin, elsewhere, 'no_such_category', `${tag} unknown`],
      [admin, elsewhere, category, `${tag} ok-2`],
      [gridWorker, own, category, `${tag} ok-3`],
    ];
    const settled = await Promise.allSettled(filings.map(([u, p, cat, d]) => submitCase(db, u, { category: cat, lon: p.lon, lat: p.lat, description: d }, [])));
    const status = settled.map((s) => (s.status === 'fulfilled' ? 201 : (s.reason as { status?: number }).status));
    expect(status).toEqual([201, 400, 403, 400, 201, 201]);
    expect((settled[1] as PromiseRejectedResult).reason.message).toContain('outside every grid');
    expect((settled[2] as PromiseRejectedResult).reason.message).toContain('outside your area');
    expect((settled[3] as PromiseRejectedResult).reason.message).toContain('unknown category');
    for (const d of ['outside', 'not-mine', 'unknown']) expect(await countWith(`${tag} ${d}`)).toBe(0);
    const ok = settled.filter((s): s is PromiseFulfilledResult<SubmitResult> => s.status === 'fulfilled').map((s) => s.value.id);
    expect((await stored(ok)).map((r) => r.description.slice(tag.length + 1))).toEqual(['ok-1', 'ok-2', 'ok-3']);
    // The numbers the refused filings would have had are handed out again: the next case's
    // number follows the last one filed.
    const seq = (r: SubmitResult) => Number(r.number.split('-')[1]);
    const last = (settled[5] as PromiseFulfilledResult<SubmitResult>).value;
    const next = await submitCase(db, admin, { category, lon: elsewhere.lon, lat: elsewhere.lat, description: `${tag} next` }, []);
    expect(seq(next)).toBe(seq(last) + 1);
  });

  it('files the rest of a batch one by one when its statement fails; the filing at fault stores nothing', async () => {
    const tag = `批量回退 ${Date.now()}`;
    // A rule the database enforces and the filing's checks do not know: the batch that holds
    // the offending filing fails as one statement.
    await db.query(`ALTER TABLE cases ADD CONSTRAINT test_no_poison CHECK (description NOT LIKE '%毒丸%') NOT VALID`);
    try {
      const before = filingStats(db);
      const descriptions = Array.from({ length: 10 }, (_, i) => `${tag} #${i}${i === 6 ? ' 毒丸' : ''}`);
      const settled = await Promise.allSettled(descriptions.map((d, i) =>
        submitCase(db, admin, { category, lon: spots[i].lon, lat: spots[i].lat, description: d }, [])));
      expect(filingStats(db).largest).toBeGreaterThan(1);
      expect(filingStats(db).batches - before.batches).toBeGreaterThan(MAX_RUNNING);
      expect(settled.map((s) => s.status)).toEqual(descriptions.map((_, i) => (i === 6 ? 'rejected' : 'fulfilled')));
      expect(String((settled[6] as PromiseRejectedResult).reason.message)).toContain('test_no_poison');
      const ok = settled.filter((s): s is PromiseFulfilledResult<SubmitResult> => s.status === 'fulfilled').map((s) => s.value);
      const rows = await stored(ok.map((r) => r.id));
      expect(rows.map((r) => r.description).sort()).toEqual(descriptions.filter((_, i) => i !== 6).sort());
      for (const r of rows) {
        expect(r.events).toHaveLength(1);
        expect(r.audits).toBe(1);
      }
      expect(await countWith('毒丸')).toBe(0);
    } finally {
      await db.query('ALTER TABLE cases DROP CONSTRAINT test_no_poison');
    }
  });
});
