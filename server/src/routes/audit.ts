// GET /api/audit: the audit log, newest first, for administrators only.
import { Hono } from 'hono';
import { auditQuery, type AuditEntry } from '@grid-atlas/contract';
import { requireRole } from '../auth/authorize.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { validQuery } from '../http/validate.ts';

export function auditRoutes(db: Db) {
  return new Hono<AppEnv>()
    .use('/audit', requireRole('admin'))
    .get('/audit', validQuery(auditQuery), async (c) => {
      const q = c.req.valid('query');
      const { rows } = await db.query<AuditEntry>(
        `SELECT id, at, user_id, actor, action, entity, entity_id, before, after, ip FROM audit_log
          WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR entity = $2)
          ORDER BY id DESC LIMIT $3`,
        [q.before ?? null, q.entity ?? null, q.limit ?? 100],
      );
      return c.json({ entries: rows });
    });
}
