// The resources list (资源清单):
//   GET   /resources[?department=ID]  every signed-in role reads it (what the city's units offer;
//                                     nothing personal)
//   POST  /resources                  a unit's staff add an entry to their own unit's list
//   PATCH /resources/:id              and change their own unit's entries only
// A unit's staff member editing another unit's entry gets the same 404 as a missing one: the
// unit is in the UPDATE's WHERE, so no other row can change.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { resourceBody, resourceListQuery, resourcePatchBody, type ResourceList, type ResourceRow } from '@grid-atlas/contract';
import type { Db, Queryable } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { jsonBody, pathId, validQuery } from '../http/validate.ts';
import { assertDepartment } from '../auth/scope.ts';
import { requireRole } from '../auth/authorize.ts';
import { audit } from '../audit/index.ts';

const COLUMNS = `r.id, r.department_id, d.code AS department_code, d.name AS department_name, r.name, r.description,
  r.kind, r.capacity, r.categories, r.community_ids, r.active,
  to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

const INVALID = '请求内容无效 (invalid request): ';

/** Unknown categories and communities are refused by name, before anything is written. */
async function checkReferences(db: Queryable, categories: string[] | undefined, communities: number[] | null | undefined) {
  if (categories?.length) {
    const { rows } = await db.query<{ code: string }>('SELECT code FROM case_categories WHERE code = ANY($1::text[])', [categories]);
    const known = new Set(rows.map((r) => r.code));
    const unknown = categories.filter((c) => !known.has(c));
    if (unknown.length) throw badRequest(`未知的案件类别 (unknown categories): ${unknown.join(', ')}`);
  }
  if (communities?.length) {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM communities WHERE id = ANY($1::int[])', [communities]);
    const known = new Set(rows.map((r) => r.id));
    const unknown = communities.filter((c) => !known.has(c));
    if (unknown.length) throw badRequest(`没有这些社区 (unknown communities): ${unknown.join(', ')}`);
  }
}

export function resourceRoutes(db: Db) {
  return new Hono<AppEnv>()
    .get('/resources', validQuery(resourceListQuery), async (c) => {
      const q = c.req.valid('query');
      // Every unit's list is open to everyone signed in; a unit that does not exist is a 404.
      await assertDepartment(db, null, q.department);
      const { rows } = await db.query<ResourceRow>(
        `SELECT ${COLUMNS} FROM department_resources r JOIN departments d ON d.id = r.department_id
          WHERE ($1::int IS NULL OR r.department_id = $1) ORDER BY d.code, r.id`, [q.department ?? null]);
      return c.json<ResourceList>({ resources: rows });
    })
    .post('/resources', requireRole('department_staff'), jsonBody(resourceBody, INVALID), async (c) => {
      const u = c.get('user');
      const b = c.req.valid('json');
      if (u.department_id === null) throw new HTTPException(403, { message: '此账号不属于任何单位 (this account belongs to no unit)' });
      const row = await db.withTransaction(async (client) => {
        await checkReferences(client, b.categories, b.community_ids);
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO department_resources (department_id, name, description, kind, capacity, categories, community_ids, active)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [u.department_id, b.name, b.description, b.kind, b.capacity, b.categories, b.community_ids, b.active]);
        await audit(client, { userId: u.id, actor: u.username, action: 'create', entity: 'resource', entityId: rows[0].id, after: b });
        return (await client.query<ResourceRow>(
          `SELECT ${COLUMNS} FROM department_resources r JOIN departments d ON d.id = r.department_id WHERE r.id = $1`, [rows[0].id])).rows[0];
      });
      return c.json<ResourceRow, 201>(row, 201);
    })
    .patch('/resources/:id', requireRole('department_staff'), jsonBody(resourcePatchBody, INVALID), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const b = c.req.valid('json');
      const row = await db.withTransaction(async (client) => {
        await checkReferences(client, b.categories, b.community_ids);
        const before = (await client.query<Record<string, unknown>>(
          `SELECT name, description, kind, capacity, categories, community_ids, active
             FROM department_resources WHERE id = $1 AND department_id = $2 FOR UPDATE`, [id, u.department_id])).rows[0];
        if (!before) throw notFound('没有这个资源，或它不属于您的单位 (no such resource in your unit)');
        // Only the fields sent change; the column list is fixed here, the values are parameters.
        await client.query(
          `UPDATE department_resources SET
             name = CASE WHEN $3 THEN $4 ELSE name END,
             description = CASE WHEN $5 THEN $6 ELSE description END,
             kind = CASE WHEN $7 THEN $8 ELSE kind END,
             capacity = CASE WHEN $9 THEN $10::int ELSE capacity END,
             categories = CASE WHEN $11 THEN $12::text[] ELSE categories END,
             community_ids = CASE WHEN $13 THEN $14::int[] ELSE community_ids END,
             active = CASE WHEN $15 THEN $16::boolean ELSE active END,
             updated_at = now()
           WHERE id = $1 AND department_id = $2`,
          [id, u.department_id,
           b.name !== undefined, b.name ?? null, b.description !== undefined, b.description ?? null,
           b.kind !== undefined, b.kind ?? null, b.capacity !== undefined, b.capacity ?? null,
           b.categories !== undefined, b.categories ?? null, b.community_ids !== undefined, b.community_ids ?? null,
           b.active !== undefined, b.active ?? null]);
        await audit(client, { userId: u.id, actor: u.username, action: 'update', entity: 'resource', entityId: id, before, after: b });
        return (await client.query<ResourceRow>(
          `SELECT ${COLUMNS} FROM department_resources r JOIN departments d ON d.id = r.department_id WHERE r.id = $1`, [id])).rows[0];
      });
      return c.json<ResourceRow>(row);
    });
}
