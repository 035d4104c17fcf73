// case_events partitioned by month (migration 0041): each event lands in the partition of its
// month in the city's time, the months ahead exist before they are needed, a month whose rows
// already sit in the default partition is left there, the log stays append-only in every
// partition, and a query bounded in time reads only its months.
import { describe, expect, it } from 'vitest';
import { fileCase, withCast } from '../../../test/cases.ts';
import type { DbClient, Queryable } from '../db/index.ts';
import { ensureCurrentEventMonths, ensureEventMonths } from './event-months.ts';

const t = withCast('10.68.1');

/** YYYY_MM of a moment in Asia/Shanghai (UTC+8 all year). */
const shanghaiMonth = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7).replace('-', '_');

/** Runs fn in a transaction that is always rolled back: the partitions it makes leave no trace. */
async function rolledBack(fn: (client: DbClient) => Promise<void>) {
  await t.db.withClient(async (client) => {
    await client.query('BEGIN');
    try {
      await fn(client);
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

const partitionOf = async (q: Queryable, eventId: number) =>
  (await q.query<{ part: string }>('SELECT tableoid::regclass::text AS part FROM case_events WHERE id = $1', [eventId])).rows[0].part;

describe('case_events by month', () => {
  it('is partitioned by range of `at`, with a default partition', async () => {
    const { rows } = await t.db.query<{ strategy: string; key: string; other: string }>(
      `SELECT p.partstrat AS strategy, pg_get_partkeydef(p.partrelid) AS key,
              (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = p.partrelid AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT') AS other
         FROM pg_partitioned_table p WHERE p.partrelid = 'case_events'::regclass`);
    expect(rows).toEqual([{ strategy: 'r', key: 'RANGE (at)', other: 'case_events_other' }]);
  });

  it("files a case's events into this month's partition; the coming months already exist", async () => {
    const { id } = await fileCase(t.app, t.cast, { description: '测试：按月分区的事件' });
    const { rows } = await t.db.query<{ id: number; at: Date }>('SELECT id, at FROM case_events WHERE case_id = $1', [id]);
    expect(rows).toHaveLength(1);
    expect(await partitionOf(t.db, rows[0].id)).toBe(`case_events_month_${shanghaiMonth(rows[0].at)}`);
    // The migration (and every start) made the month before through two months ahead: nothing is missing.
    expect(await ensureCurrentEventMonths(t.db)).toEqual([]);
    const ahead = new Date(Date.now() + 45 * 24 * 3600_000);
    const { rows: exists } = await t.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`case_events_month_${shanghaiMonth(ahead)}`]);
    expect(exists[0].t).toBe(`case_events_month_${shanghaiMonth(ahead)}`);
  });

  it("cuts months at Shanghai's midnight, and leaves a month in the default partition once it holds rows there", async () => {
    const { id } = await fileCase(t.app, t.cast, { description: '测试：跨月边界的事件' });
    await rolledBack(async (client) => {
      const insert = async (at: string) => (await client.query<{ id: number }>(
        `INSERT INTO case_events (case_id, at, actor_label, action, to_status, grid_id, community_id, subdistrict_id)
         SELECT id, $2, '测试', 'comment', status, grid_id, community_id, subdistrict_id FROM cases WHERE id = $1 RETURNING id`,
        [id, at])).rows[0].id;
      // March 2001 in Shanghai begins at 2001-02-28 16:00 UTC.
      expect(await ensureEventMonths(client, new Date('2001-03-10T00:00:00Z'), new Date('2001-03-20T00:00:00Z'))).toEqual(['case_events_month_2001_03']);
      expect(await ensureEventMonths(client, new Date('2001-03-10T00:00:00Z'), new Date('2001-03-20T00:00:00Z'))).toEqual([]);
      expect(await partitionOf(client, await insert('2001-02-28T16:00:00Z'))).toBe('case_events_month_2001_03');
      // 15:59:59 UTC is still February in Shanghai; February has no partition, so the row goes to the default.
      expect(await partitionOf(client, await insert('2001-02-28T15:59:59Z'))).toBe('case_events_other');
      // February cannot be made now without moving that row: it is left where it is, and read as any other.
      expect(await ensureEventMonths(client, new Date('2001-02-01T00:00:00Z'), new Date('2001-03-31T00:00:00Z'))).toEqual([]);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND at >= '2001-02-01' AND at < '2001-04-01'`, [id]);
      expect(rows[0].n).toBe(2);
      // April, with no rows anywhere, is made.
      expect(await ensureEventMonths(client, new Date('2001-04-02T00:00:00Z'), new Date('2001-04-02T00:00:00Z'))).toEqual(['case_events_month_2001_04']);
    });
    const { rows } = await t.db.query<{ t: string | null }>(`SELECT to_regclass('case_events_month_2001_03')::text AS t`);
    expect(rows[0].t).toBeNull();
  });

  it('stays append-only in every partition', async () => {
    const { id } = await fileCase(t.app, t.cast, { description: '测试：分区仍只能追加' });
    const { rows } = await t.db.query<{ id: number }>('SELECT id FROM case_events WHERE case_id = $1', [id]);
    const part = await partitionOf(t.db, rows[0].id);
    await expect(t.db.query(`UPDATE case_events SET actor_label = 'x' WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM ${part} WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE case_events')).rejects.toThrow(/append-only/);
    expect((await t.db.query('SELECT 1 FROM case_events WHERE id = $1', [rows[0].id])).rowCount).toBe(1);
  });

  it('reads only the months a query asks for', async () => {
    const month = shanghaiMonth(new Date());
    const [y, m] = month.split('_').map(Number);
    const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3600_000);
    const { rows } = await t.db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT count(*) FROM case_events WHERE at >= '${from.toISOString()}' AND at < '${new Date(from.getTime() + 86_400_000).toISOString()}'`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect([...new Set(plan.match(/case_events_(month_\d{4}_\d{2}|other)/g))]).toEqual([`case_events_month_${month}`]);
  });
});
