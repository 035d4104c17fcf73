// While the first start writes the demo history (health: history 'filling'), a filing is a 503
// that asks to try again and stores nothing, because the history is written only into empty
// case and needs tables; once it is 'ready', the same filing goes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryState } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { createApp, HISTORY_GATED } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let state: HistoryState = 'filling';
let app: ReturnType<typeof createApp>;
let point = { lon: 0, lat: 0 };

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true, history: () => state });
  point = (await db.query<{ lon: number; lat: number }>(
    'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY id LIMIT 1) x')).rows[0];
});
afterAll(() => db?.close());

const count = async () => Number((await db.query('SELECT count(*) AS n FROM cases')).rows[0].n);
const report = () => app.request('/api/public/reports', {
  method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.79.0.1' },
  body: JSON.stringify({ category: 'garbage', description: '历史生成期间的上报', ...point }),
});

describe('filings while the demo history is written', () => {
  it('are a 503 with Retry-After that stores nothing, then go through once it is ready', async () => {
    const before = await count();
    const refused = await report();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('10');
    expect(((await refused.json()) as { error: string }).error).toMatch(/正在生成模拟历史数据/);
    expect(await count()).toBe(before);
    // Reads are not held back.
    expect((await app.request('/api/public/categories')).status).toBe(200);
    state = 'ready';
    expect((await report()).status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('hold back exactly the routes that file cases and needs', () => {
    for (const p of ['/api/cases', '/api/needs', '/api/public/reports', '/open311/v2/requests.json', '/open311/v2/requests']) {
      expect(HISTORY_GATED.test(p), p).toBe(true);
    }
    for (const p of ['/api/cases/1/actions', '/api/needs/2/actions', '/api/auth/login', '/api/public/reports/abc', '/api/plans']) {
      expect(HISTORY_GATED.test(p), p).toBe(false);
    }
  });
});
