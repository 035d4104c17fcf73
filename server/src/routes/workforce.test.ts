// 社区工作者队伍 through the real app: the city-wide figures are exactly the reform's reported
// 64.9 %, 76.0 % and 49.2 % (counted in SQL, and as the API gives them), each role sees its own
// area, the roster is staff data, and the secretary's edits move the figures while bad input
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFORCE_BASELINES } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { call, castAround, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
let home: number;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.74.0');
  home = cast.users.secretary.community_id!;
});
afterAll(() => db?.close());

/** One city-wide share of the seeded workers, in percent to one decimal, counted in SQL alone. */
const share = async (condition: string) => Number((await db.query<{ pct: string }>(
  `SELECT round(100.0 * count(*) FILTER (WHERE ${condition}) / count(*), 1) AS pct FROM community_workers WHERE active`)).rows[0].pct);
const snapshot = async () => (await db.query('SELECT id, education, certified, post, active, version FROM community_workers ORDER BY id')).rows;

describe('the seeded workforce', () => {
  it('is twelve workers in each of the 33 communities, a secretary in each', async () => {
    const { rows } = await db.query<{ communities: number; workers: number; secretaries: number }>(
      `SELECT count(DISTINCT community_id)::int AS communities, count(*)::int AS workers,
              count(*) FILTER (WHERE post = 'secretary')::int AS secretaries FROM community_workers`);
    expect(rows[0]).toEqual({ communities: 33, workers: 396, secretaries: 33 });
  });
  it('is 64.9 % under 40 in 2024 (257 of 396)', async () => {
    expect(await share('2024 - birth_year < 40')).toBe(64.9);
  });
  it('is 76.0 % with a college degree (301 of 396)', async () => {
    expect(await share(`education IN ('junior_college', 'bachelor', 'postgraduate')`)).toBe(76);
  });
  it('is 49.2 % certified social workers (195 of 396)', async () => {
    expect(await share('certified')).toBe(49.2);
  });
});

describe('GET /api/workforce', () => {
  it('gives a city role the city and every community, with the baselines', async () => {
    const r = await call(app, cast.signed.leader, 'GET', '/api/workforce');
    expect(r.status).toBe(200);
    expect(r.body.scope).toEqual({ level: 'city', name: '全市' });
    expect(r.body.total).toEqual({
      workers: 396, under_40: 257, college: 301, certified: 195, under_40_pct: 64.9, college_pct: 76, certified_pct: 49.2,
    });
    expect(r.body.baselines).toEqual(WORKFORCE_BASELINES);
    expect(r.body.baselines).toEqual({ under_40: 32.5, college: 28.62, certified: 3.53 });
    expect(r.body.communities).toHaveLength(33);
    expect(r.body.communities.reduce((n: number, c: any) => n + c.certified, 0)).toBe(195);
  });

  it('gives each area role its own area only', async () => {
    const sub = await call(app, cast.signed.subdistrict, 'GET', '/api/workforce');
    const { rows } = await db.query<{ id: number }>('SELECT id FROM communities WHERE subdistrict_id = $1 ORDER BY code', [cast.users.subdistrict.subdistrict_id]);
    expect(sub.body.scope.level).toBe('subdistrict');
    expect(sub.body.communities.map((c: any) => c.community_id)).toEqual(rows.map((r) => r.id));
    expect(sub.body.total.workers).toBe(12 * rows.length);
    for (const who of ['secretary', 'grid', 'member', 'taskforceCommunity'] as const) {
      const r = await call(app, cast.signed[who], 'GET', '/api/workforce');
      expect(r.status, who).toBe(200);
      expect(r.body.scope.level, who).toBe('community');
      expect(r.body.communities.map((c: any) => c.community_id), who).toEqual([home]);
      expect(r.body.total.workers, who).toBe(12);
    }
    expect((await call(app, cast.signed.deptOther, 'GET', '/api/workforce')).body.communities).toHaveLength(33);
  });
});

describe('the roster', () => {
  it('is for the roles that see personal data, in their area, and the administrator', async () => {
    const own = await call(app, cast.signed.secretary, 'GET', '/api/workforce/workers');
    expect(own.status).toBe(200);
    expect(own.body.workers).toHaveLength(12);
    expect(own.body.workers.every((w: any) => w.community_id === home && w.age === 2024 - w.birth_year)).toBe(true);
    // The demo workers are invented people, and the roster carries that with each name.
    expect(own.body.workers.every((w: any) => w.synthetic === true)).toBe(true);
    const other = cast.users.otherSecretary.community_id!;
    expect((await call(app, cast.signed.secretary, 'GET', `/api/workforce/workers?community=${other}`)).status).toBe(404);
    expect((await call(app, cast.signed.admin, 'GET', `/api/workforce/workers?community=${other}`)).body.workers).toHaveLength(12);
    expect((await call(app, cast.signed.admin, 'GET', '/api/workforce/workers')).body.workers).toHaveLength(396);
    expect((await call(app, cast.signed.grid, 'GET', '/api/workforce/workers')).body.workers).toHaveLength(12);
    for (const who of ['leader', 'planner', 'deptOther', 'taskforce', 'member'] as const) {
      expect((await call(app, cast.signed[who], 'GET', '/api/workforce/workers')).status, who).toBe(403);
    }
    for (const bad of ['abc', '0', '-1', '1.5']) {
      expect((await call(app, cast.signed.secretary, 'GET', `/api/workforce/workers?community=${bad}`)).status, bad).toBe(400);
    }
    expect((await call(app, cast.signed.secretary, 'GET', '/api/workforce/workers?x=1')).status).toBe(400);
  });
});

describe('PATCH /api/workforce/workers/:id', () => {
  it('lets the secretary certify a worker of their community: the figure moves, the edit is audited', async () => {
    const worker = (await db.query<{ id: number; version: number }>(
      'SELECT id, version FROM community_workers WHERE community_id = $1 AND NOT certified AND active ORDER BY id LIMIT 1', [home])).rows[0];
    const before = (await call(app, cast.signed.secretary, 'GET', '/api/workforce')).body.total;
    try {
      const r = await call(app, cast.signed.secretary, 'PATCH', `/api/workforce/workers/${worker.id}`, { certified: true, version: worker.version });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: worker.id, certified: true, version: worker.version + 1 });
      const after = (await call(app, cast.signed.secretary, 'GET', '/api/workforce')).body.total;
      expect(after.certified).toBe(before.certified + 1);
      expect(after.certified_pct).toBe(Math.round(1000 * after.certified / 12) / 10);
      const log = (await db.query<any>(`SELECT actor, action, before, after FROM audit_log
        WHERE entity = 'community_worker' AND entity_id = $1 ORDER BY id`, [String(worker.id)])).rows;
      expect(log.at(-1)).toMatchObject({ actor: expect.stringMatching(/^secretary-/), action: 'update', before: { certified: false }, after: { certified: true } });
      // a stale version is a conflict, and changes nothing
      const stale = await call(app, cast.signed.secretary, 'PATCH', `/api/workforce/workers/${worker.id}`, { certified: false, version: worker.version });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatch(/已被他人修改/);
    } finally {
      await db.query('UPDATE community_workers SET certified = false WHERE id = $1', [worker.id]);
    }
  });

  it('refuses other communities, other roles and bad input, changing nothing', async () => {
    const theirs = (await db.query<{ id: number }>('SELECT id FROM community_workers WHERE community_id = $1 ORDER BY id LIMIT 1',
      [cast.users.otherSecretary.community_id])).rows[0].id;
    const mine = (await db.query<{ id: number }>('SELECT id FROM community_workers WHERE community_id = $1 ORDER BY id LIMIT 1', [home])).rows[0].id;
    const was = await snapshot();
    expect((await call(app, cast.signed.secretary, 'PATCH', `/api/workforce/workers/${theirs}`, { certified: true })).status).toBe(404);
    expect((await call(app, cast.signed.secretary, 'PATCH', '/api/workforce/workers/99999999', { certified: true })).status).toBe(404);
    for (const who of ['leader', 'subdistrict', 'grid', 'taskforceCommunity', 'deptOther', 'member'] as const) {
      expect((await call(app, cast.signed[who], 'PATCH', `/api/workforce/workers/${mine}`, { certified: true })).status, who).toBe(403);
    }
    for (const [body, message] of [
      [{}, /没有要修改的内容/],
      [{ version: 1 }, /没有要修改的内容/],
      [{ certified: 'yes' }, /certified must be a boolean/],
      [{ education: 'phd' }, /invalid education level/],
      [{ post: 'mayor' }, /invalid post/],
      [{ active: true, name: '改名' }, /name/],
      [{ certified: true, version: 0 }, /version/],
      [{ community_id: 1 }, /community_id/],
    ] as const) {
      const r = await call(app, cast.signed.secretary, 'PATCH', `/api/workforce/workers/${mine}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(message);
    }
    expect((await call(app, cast.signed.secretary, 'PATCH', '/api/workforce/workers/abc', { certified: true })).status).toBe(400);
    const raw = await app.request(`/api/workforce/workers/${mine}`, { method: 'PATCH', headers: cast.signed.secretary.write, body: '{not json' });
    expect(raw.status).toBe(400);
    expect(await snapshot()).toEqual(was);
  });

  it('lets the administrator edit any community', async () => {
    const w = (await db.query<{ id: number; post: string }>('SELECT id, post FROM community_workers WHERE community_id = $1 ORDER BY id DESC LIMIT 1',
      [cast.users.otherSecretary.community_id])).rows[0];
    const r = await call(app, cast.signed.admin, 'PATCH', `/api/workforce/workers/${w.id}`, { post: w.post, active: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: w.id, post: w.post, active: true });
  });
});
