// 社区工作者队伍 (the community workers):
//   GET   /workforce                  every signed-in role: the three figures of the reform (under
//                                     40, college degree, certified social worker) for the
//                                     caller's area and each community in it, with the baselines
//   GET   /workforce/workers          the roster (names are staff data): the roles that see
//                                     personal data, in their area, and the administrator
//   PATCH /workforce/workers/:id      the community's secretary, or the administrator, changes a
//                                     worker's education, certification, post or whether active
// Scope is in the SQL: a community is in the caller's area when it is the area, lies in it, or
// holds the caller's grid. A worker outside it is the same 404 as a missing one.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  COLLEGE_LEVELS, noParams, rolesThat, seesWorkforceRoster, UNDER_AGE, WORKFORCE_BASELINES, WORKFORCE_REFERENCE_YEAR,
  workerPatchBody, workforceWorkersQuery,
  type CommunityWorker, type WorkforceFigures, type WorkforceSummary,
} from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { jsonBody, pathId, validQuery } from '../http/validate.ts';
import { assertVisible, scopeParams, type User } from '../auth/scope.ts';
import { requireRole } from '../auth/authorize.ts';
import { audit } from '../audit/index.ts';
import { createMiddleware } from 'hono/factory';

// $1–$4: the caller's scope (auth/scope.ts).
const COMMUNITY_IN_SCOPE = `($1::boolean OR c.subdistrict_id = $2::int OR c.id = $3::int
  OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $4::int))`;

// $5: the reference year, $6: the age, $7: the college levels. Active workers only.
const FIGURES = `count(w.id)::int AS workers,
  count(w.id) FILTER (WHERE $5::int - w.birth_year < $6::int)::int AS under_40,
  count(w.id) FILTER (WHERE w.education = ANY ($7::text[]))::int AS college,
  count(w.id) FILTER (WHERE w.certified)::int AS certified,
  round(100.0 * count(w.id) FILTER (WHERE $5::int - w.birth_year < $6::int) / nullif(count(w.id), 0), 1)::float8 AS under_40_pct,
  round(100.0 * count(w.id) FILTER (WHERE w.education = ANY ($7::text[])) / nullif(count(w.id), 0), 1)::float8 AS college_pct,
  round(100.0 * count(w.id) FILTER (WHERE w.certified) / nullif(count(w.id), 0), 1)::float8 AS certified_pct`;

const PER_COMMUNITY_SQL = `
  SELECT c.id AS community_id, c.code, c.name, s.name AS subdistrict_name, ${FIGURES}
    FROM communities c JOIN subdistricts s ON s.id = c.subdistrict_id
    LEFT JOIN community_workers w ON w.community_id = c.id AND w.active
   WHERE ${COMMUNITY_IN_SCOPE}
   GROUP BY c.id, c.code, c.name, s.name
   ORDER BY c.code`;

const TOTAL_SQL = `
  SELECT ${FIGURES}
    FROM communities c JOIN community_workers w ON w.community_id = c.id AND w.active
   WHERE ${COMMUNITY_IN_SCOPE}`;

/** A worker's columns; `$${year}`: the reference year's parameter. */
const workerColumns = (year: number) => `w.id, w.community_id, c.name AS community_name, w.name, w.birth_year,
  $${year}::int - w.birth_year AS age, w.education, w.certified, w.post, w.active, w.synthetic, w.version`;

const figureParams = () => [WORKFORCE_REFERENCE_YEAR, UNDER_AGE, [...COLLEGE_LEVELS]];

/** The roster: the roles that see personal data (in their own area) and the administrator. */
const requireRosterRole = createMiddleware<AppEnv>(async (c, next) => {
  const role = c.get('user').role;
  if (!seesWorkforceRoster(role)) {
    throw new HTTPException(403, { message: '此角色不能查看社区工作者名册 (this role does not see the community workers roster)' });
  }
  await next();
});

/** The caller's area in words: the city, their subdistrict, or the community they work in. */
async function scopeOf(db: Db, u: User): Promise<WorkforceSummary['scope']> {
  const [city, subdistrict, community, grid] = scopeParams(u);
  if (city) return { level: 'city', name: '全市' };
  if (subdistrict !== null) {
    const { rows } = await db.query<{ name: string }>('SELECT name FROM subdistricts WHERE id = $1', [subdistrict]);
    return { level: 'subdistrict', name: rows[0]?.name ?? '' };
  }
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.name FROM communities c WHERE c.id = $1::int OR c.id = (SELECT g.community_id FROM grids g WHERE g.id = $2::int)`,
    [community, grid]);
  return { level: 'community', name: rows[0]?.name ?? '' };
}

const INVALID = '请求内容无效 (invalid request): ';

export function workforceRoutes(db: Db) {
  return new Hono<AppEnv>()
    .get('/workforce', validQuery(noParams), async (c) => {
      const u = c.get('user');
      const params = [...scopeParams(u), ...figureParams()];
      const communities = (await db.query<WorkforceSummary['communities'][number]>(PER_COMMUNITY_SQL, params)).rows;
      const total = (await db.query<WorkforceFigures>(TOTAL_SQL, params)).rows[0];
      return c.json<WorkforceSummary>({
        reference_year: WORKFORCE_REFERENCE_YEAR,
        baselines: { ...WORKFORCE_BASELINES },
        scope: await scopeOf(db, u),
        total,
        communities,
      });
    })
    .get('/workforce/workers', requireRosterRole, validQuery(workforceWorkersQuery), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      await assertVisible(db, u, 'community', q.community);
      const { rows } = await db.query<CommunityWorker>(
        `SELECT ${workerColumns(5)}
           FROM community_workers w JOIN communities c ON c.id = w.community_id
          WHERE ${COMMUNITY_IN_SCOPE} AND ($6::int IS NULL OR c.id = $6::int)
          ORDER BY c.code, w.id`,
        [...scopeParams(u), WORKFORCE_REFERENCE_YEAR, q.community ?? null]);
      return c.json<{ workers: CommunityWorker[] }>({ workers: rows });
    })
    .patch('/workforce/workers/:id', requireRole(...rolesThat('edit_workforce')), jsonBody(workerPatchBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      // A secretary edits their own community's workers only; the administrator any.
      const own = u.role === 'admin' ? null : u.community_id;
      const row = await db.withTransaction(async (client) => {
        const before = (await client.query<{ education: string; certified: boolean; post: string; active: boolean; version: number }>(
          `SELECT education, certified, post, active, version FROM community_workers
            WHERE id = $1 AND ($2::int IS NULL OR community_id = $2::int) FOR UPDATE`, [id, own])).rows[0];
        if (!before) throw notFound('没有这位社区工作者，或不在您的社区 (no such community worker in your community)');
        if (b.version !== undefined && b.version !== before.version) {
          throw new HTTPException(409, { message: `此记录已被他人修改（当前版本 ${before.version}），请刷新后再改 (changed by someone else: now version ${before.version})` });
        }
        await client.query(
          `UPDATE community_workers SET
             education = CASE WHEN $2 THEN $3 ELSE education END,
             certified = CASE WHEN $4 THEN $5::boolean ELSE certified END,
             post = CASE WHEN $6 THEN $7 ELSE post END,
             active = CASE WHEN $8 THEN $9::boolean ELSE active END,
             version = version + 1,
             updated_at = now()
           WHERE id = $1`,
          [id, b.education !== undefined, b.education ?? null, b.certified !== undefined, b.certified ?? null,
           b.post !== undefined, b.post ?? null, b.active !== undefined, b.active ?? null]);
        const { version: _v, ...after } = b;
        await audit(client, { userId: u.id, actor: u.username, action: 'update', entity: 'community_worker', entityId: id, before, after });
        return (await client.query<CommunityWorker>(
          `SELECT ${workerColumns(2)}
             FROM community_workers w JOIN communities c ON c.id = w.community_id WHERE w.id = $1`,
          [id, WORKFORCE_REFERENCE_YEAR])).rows[0];
      });
      return c.json<CommunityWorker>(row);
    });
}
