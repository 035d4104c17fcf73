// A read replica (DATABASE_READ_URL): a PostgreSQL hot standby fed by streaming replication
// serves the bulk read routes (the OGC API, the exports) while every write goes to the primary.
// Proven against a real replica (.ci/run starts one on port 5433): the reads land on the standby,
// and a case filed a moment before is always in the next read (the replica is used only once it
// has replayed what the primary had flushed). On the embedded database there is no replica; on
// PostgreSQL under CI a run without one is a failure, not a skip.
import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { call, withCast } from '../../../test/cases.ts';
import { readReplicaUrl } from '../../../test/db.ts';
import { loadConfig } from '../config.ts';
import { openDb } from './index.ts';

const onPostgres = inject('db').kind === 'postgres';
const replicaUrl = readReplicaUrl();
if (onPostgres && !replicaUrl && process.env.CI === 'true') {
  throw new Error('CI runs the PostgreSQL suite with a streaming replica: set DATABASE_READ_URL (.ci/run starts one on port 5433)');
}

describe('DATABASE_READ_URL in the configuration', () => {
  it('is refused without DATABASE_URL, in words', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://x@127.0.0.1:5433/db' })).toThrow(/DATABASE_READ_URL.*DATABASE_URL/);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db', DATABASE_READ_URL: 'postgres://x@127.0.0.1:5433/db' }).readUrl)
      .toBe('postgres://x@127.0.0.1:5433/db');
    expect(loadConfig({}).readUrl).toBeUndefined();
  });
});

describe.skipIf(!replicaUrl)('reads from a streaming replica', () => {
  const t = withCast('10.93.0');

  /** The last statements the app's replica connections ran, as the standby itself reports them. */
  async function replicaStatements(): Promise<string[]> {
    const standby = new pg.Client({ connectionString: replicaUrl });
    await standby.connect();
    try {
      const { rows } = await standby.query<{ query: string }>(
        `SELECT query FROM pg_stat_activity WHERE application_name = 'grid-atlas-read' AND datname = current_database()`);
      return rows.map((r) => r.query);
    } finally {
      await standby.end();
    }
  }

  it('reads from a hot standby and writes to the primary', async () => {
    expect(t.db.hasReplica).toBe(true);
    const reader = await t.db.forReading();
    expect((await reader.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0].standby).toBe(true);
    expect((await t.db.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0].standby).toBe(false);
  });

  it('serves the OGC API and the case export from the replica', async () => {
    // A connection shows only its last statement: each request is checked right after it.
    const items = await call(t.app, t.cast.signed.secretary, 'GET', '/ogc/collections/grids/items?limit=5');
    expect(items.status).toBe(200);
    let statements = await replicaStatements();
    expect(statements.some((q) => /FROM grids/i.test(q)), statements.join('\n---\n')).toBe(true);
    const exported = await call(t.app, t.cast.signed.secretary, 'GET', '/api/exports/cases?format=csv');
    expect(exported.status).toBe(200);
    statements = await replicaStatements();
    // The export's last read: the names of the units its rows point at.
    expect(statements.some((q) => /FROM departments/i.test(q)), statements.join('\n---\n')).toBe(true);
  });

  it('never misses a case filed just before the read', async () => {
    for (let i = 0; i < 8; i++) {
      const filed = await call(t.app, t.cast.signed.grid, 'POST', '/api/cases', {
        category: 'garbage', description: `副本读取测试 ${i}：楼道堆放杂物`, ...t.cast.point,
      });
      expect(filed.status).toBe(201);
      const item = await call(t.app, t.cast.signed.grid, 'GET', `/ogc/collections/cases/items/${filed.body.id}`);
      expect(item.status, `case ${filed.body.id} read at once from the replica`).toBe(200);
      const csv = await call(t.app, t.cast.signed.secretary, 'GET', '/api/exports/cases?format=csv');
      expect(csv.text).toContain(filed.body.number);
    }
  });

  it('refuses a DATABASE_READ_URL that is not a standby', async () => {
    const primary = inject('db').url;
    await expect(openDb({ databaseUrl: primary, readUrl: primary, dataDir: '' })).rejects.toThrow(/not a streaming replica/);
  });
});
