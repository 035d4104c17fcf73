// ETags follow the data, not the clock: a committed change gives a new one, and reverting
// the change gives the old one back (they hash the encoded body; see http/cached-body.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let leader: Record<string, string>;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db });
  leader = (await signIn(app, 'leader')).headers;
});
afterAll(() => db?.close());

async function etagOf(path: string): Promise<string> {
  const res = await app.request(path, { headers: leader });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get('etag')!;
}

/** Runs one committed statement (as any writer would), not inside a test transaction. */
const commit = (sql: string, params: unknown[]) => db.withTransaction((client) => client.query(sql, params));

describe('ETags follow the data', () => {
  it("GET /api/grids: renaming a grid changes it; renaming it back restores it", async () => {
    const grid = (await db.query('SELECT id, name FROM grids ORDER BY id LIMIT 1')).rows[0];
    const original = await etagOf('/api/grids');
    expect(await etagOf('/api/grids')).toBe(original); // stable while nothing changes
    try {
      await commit('UPDATE grids SET name = $2 WHERE id = $1', [grid.id, `${grid.name}（测试）`]);
      const changed = await etagOf('/api/grids');
      expect(changed).not.toBe(original);
      // A client holding the old ETag gets the new body, not a 304.
      const stale = await app.request('/api/grids', { headers: { ...leader, 'If-None-Match': original } });
      expect(stale.status).toBe(200);
      expect(((await stale.json()) as any).features.find((f: any) => f.id === grid.id).properties.name).toBe(`${grid.name}（测试）`);
    } finally {
      await commit('UPDATE grids SET name = $2 WHERE id = $1', [grid.id, grid.name]);
    }
    expect(await etagOf('/api/grids')).toBe(original);
  });

  it("GET /api/households and /api/grids: moving one household to another grid changes both; moving it back restores them", async () => {
    const h = (await db.query(
      `SELECT h.id, h.grid_id, (SELECT min(g.id) FROM grids g WHERE g.id <> h.grid_id) AS other
         FROM households h ORDER BY h.id LIMIT 1`)).rows[0];
    const households = await etagOf('/api/households');
    const grids = await etagOf('/api/grids');
    try {
      await commit('UPDATE households SET grid_id = $2 WHERE id = $1', [h.id, h.other]);
      expect(await etagOf('/api/households')).not.toBe(households);
      expect(await etagOf('/api/grids')).not.toBe(grids); // per-grid household counts moved
    } finally {
      await commit('UPDATE households SET grid_id = $2 WHERE id = $1', [h.id, h.grid_id]);
    }
    expect(await etagOf('/api/households')).toBe(households);
    expect(await etagOf('/api/grids')).toBe(grids);
  });
});
