// GET /api/audit: the audit log, newest first, for administrators only.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { idParam, parseQuery } from '../http/query.ts';

const auditQuery = z.object({
  before: idParam.optional(), // page backwards from this entry id
  entity: z.string().regex(/^[a-z_]{1,40}$/, '应为实体名称 (expected an entity name)').optional(),
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(500)).optional(),
}).strict();

export function auditRoutes(db: Db) {
  return new Hono<AppEnv>().get('/audit', async (c) => {
    if (c.get('user').role !== 'admin') {
      throw new HTTPException(403, { message: '只有系统管理员可以查看审计日志 (only administrators read the audit log)' });
    }
    const q = parseQuery(c, auditQuery);
    const { rows } = await db.query(
      `SELECT id, at, user_id, actor, action, entity, entity_id, before, after, ip FROM audit_log
        WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR entity = $2)
        ORDER BY id DESC LIMIT $3`,
      [q.before ?? null, q.entity ?? null, q.limit ?? 100],
    );
    return c.json({ entries: rows });
  });
}
