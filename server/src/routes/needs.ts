// The needs list (居民需求清单):
//   GET  /needs[?status=&community=&stalled=1&limit=&offset=]  the needs in the caller's scope
//   GET  /needs/summary                 per community: gathered, open, fulfilled, declined, stalled
//   POST /needs                         a grid worker or party member gathers one in their grid
//   GET  /needs/:id                     one need with every step of its chain
//   POST /needs/:id/actions             the next step, by the role that holds it (needs/service.ts)
//   GET  /needs/:id/suggestions         for the community that dispatches it: matching units
// Scope is in every query's WHERE (needInScope in auth/scope.ts): a need outside it is a 404.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import {
  NEED_STALL_DAYS, needActionBody, needListQuery, newNeedBody, noParams, OPEN_NEED_STATUSES,
  type NeedDetail, type NeedPage, type NeedRow, type NeedStep, type NeedSummary, type NeedSummaryRow, type UnitSuggestion,
} from '@grid-atlas/contract';
import type { User } from '../auth/scope.ts';
import type { Db, Queryable } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { jsonBody, pathId, validQuery } from '../http/validate.ts';
import { idempotent } from '../http/idempotency.ts';
import { clientIp } from '../http/client-ip.ts';
import { suggestUnits } from '../resources/matching.ts';
import { actOnNeed, gatherNeed } from '../needs/service.ts';
import { assertVisible, needInScope, needScopeParams } from '../auth/scope.ts';

const needId = (raw: string) => pathId(raw);

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const OPEN = `'{${OPEN_NEED_STATUSES.join(',')}}'::text[]`;
const STALLED = `(n.status = ANY (${OPEN}) AND n.updated_at < now() - interval '${NEED_STALL_DAYS} days')`;

// $1–$7 the scope (needScopeParams in auth/scope.ts).
const SELECT = `
  SELECT n.id, n.title, n.description, n.category_code, cat.name AS category_name, n.building, n.households,
         ST_X(n.geom) AS lon, ST_Y(n.geom) AS lat, n.status, n.body,
         n.grid_id, g.name AS grid_name, n.community_id, cm.name AS community_name, n.subdistrict_id,
         b.name AS branch_name, n.department_id, d.name AS department_name, n.resource_id, r.name AS resource_name,
         n.organisation_id, o.name AS organisation_name,
         cu.display_name AS claimed_by, ${iso('n.created_at')} AS created_at, ${iso('n.updated_at')} AS updated_at,
         ${STALLED} AS stalled,
         (SELECT count(*)::int FROM need_steps s WHERE s.need_id = n.id AND s.action = 'urge') AS urges, n.version
    FROM needs n
    JOIN case_categories cat ON cat.code = n.category_code
    JOIN grids g ON g.id = n.grid_id
    JOIN communities cm ON cm.id = n.community_id
    LEFT JOIN area_branches b ON b.id = n.branch_id
    LEFT JOIN departments d ON d.id = n.department_id
    LEFT JOIN department_resources r ON r.id = n.resource_id
    LEFT JOIN social_organisations o ON o.id = n.organisation_id
    LEFT JOIN users cu ON cu.id = n.claimed_by
   WHERE ${needInScope(1)}`;

const INVALID = '请求内容无效 (invalid request): ';

export type NeedListQuery = z.output<typeof needListQuery>;

/**
 * The user's needs that match the list filters, one page of them (the list, and the export,
 * which asks for every row). A community that does not exist, or lies outside the user's
 * area, is a 404.
 */
export async function listNeeds(db: Queryable, u: User, q: NeedListQuery, limit: number, offset: number): Promise<NeedPage> {
  await assertVisible(db, u, 'community', q.community);
  const params = [...needScopeParams(u), q.status ?? null, q.community ?? null, q.stalled === '1'];
  const where = `AND ($8::text[] IS NULL OR n.status = ANY ($8)) AND ($9::int IS NULL OR n.community_id = $9)
                 AND (NOT $10::boolean OR ${STALLED})`;
  const [list, total] = await Promise.all([
    db.query<NeedRow>(`${SELECT} ${where} ORDER BY n.updated_at DESC, n.id DESC LIMIT $11 OFFSET $12`, [...params, limit, offset]),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM needs n WHERE ${needInScope(1)} ${where}`, params),
  ]);
  return { needs: list.rows, total: total.rows[0].n };
}

export function needRoutes(db: Db, options: { trustProxy?: boolean } = {}) {
  const ipOf = (c: Context) => clientIp(c, options.trustProxy ?? false);
  /** The need if the caller may see it; 404 otherwise. */
  async function visible(u: User, id: number, q: Queryable = db): Promise<NeedRow> {
    const need = (await q.query<NeedRow>(`${SELECT} AND n.id = $8`, [...needScopeParams(u), id])).rows[0];
    if (!need) throw notFound(`需求 ${id} 不存在 (no need with id ${id})`);
    return need;
  }
  async function one(u: User, id: number, q: Queryable = db): Promise<NeedDetail> {
    const need = await visible(u, id, q);
    const steps = (await q.query<NeedStep>(
      `SELECT id::int, action, from_status, to_status, actor, role, note, ${iso('at')} AS created_at
         FROM need_steps WHERE need_id = $1 ORDER BY id`, [id])).rows;
    return { need, steps };
  }
  return new Hono<AppEnv>()
    .get('/needs', validQuery(needListQuery), async (c) => {
      const q = c.req.valid('query');
      return c.json<NeedPage>(await listNeeds(db, c.get('user'), q, q.limit ?? 50, q.offset ?? 0));
    })
    .get('/needs/summary', validQuery(noParams), async (c) => {
      const { rows } = await db.query<NeedSummaryRow>(
        `SELECT cm.id AS community_id, cm.name AS community_name, count(*)::int AS total,
                count(*) FILTER (WHERE n.status = ANY (${OPEN}))::int AS open,
                count(*) FILTER (WHERE n.status = 'fulfilled')::int AS fulfilled,
                count(*) FILTER (WHERE n.status = 'declined')::int AS declined,
                count(*) FILTER (WHERE ${STALLED})::int AS stalled
           FROM needs n JOIN communities cm ON cm.id = n.community_id
          WHERE ${needInScope(1)}
          GROUP BY cm.id, cm.name ORDER BY cm.code`, needScopeParams(c.get('user')));
      return c.json<NeedSummary>({ communities: rows });
    })
    .post('/needs', jsonBody(newNeedBody, INVALID), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      return idempotent(c, db, { scope: `user:${u.id}`, route: 'POST /api/needs', fields: body }, async (claim) => {
        // The answer is read in the filing's transaction, so that it can be stored with it.
        const answer = await db.withTransaction(async (client) => {
          const made = await one(u, await gatherNeed(client, u, body, ipOf(c)), client);
          await claim?.save(client, 201, made);
          return made;
        });
        return c.json<NeedDetail, 201>(answer, 201);
      });
    })
    .get('/needs/:id', validQuery(noParams), async (c) => c.json<NeedDetail>(await one(c.get('user'), needId(c.req.param('id')))))
    .post('/needs/:id/actions', jsonBody(needActionBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = needId(c.req.param('id'));
      const body = c.req.valid('json');
      await db.withTransaction((client) => actOnNeed(client, u, id, body, ipOf(c)));
      return c.json<NeedDetail>(await one(u, id));
    })
    .get('/needs/:id/suggestions', validQuery(noParams), async (c) => {
      const u = c.get('user');
      const need = await visible(u, needId(c.req.param('id')));
      if (u.role !== 'community_secretary') {
        throw new HTTPException(403, { message: '派单由社区书记办理 (the community secretary dispatches needs)' });
      }
      return c.json<{ suggestions: UnitSuggestion[] }>({ suggestions: await suggestUnits(db, { category: need.category_code, community: need.community_id, text: `${need.title} ${need.description}` }) });
    });
}
