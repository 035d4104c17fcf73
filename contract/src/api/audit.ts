// The audit log: administrators only. Newest first; `before` pages backwards.
import { z } from 'zod';
import { idParam, limitParam } from './query.ts';

export const auditQuery = z.object({
  /** Only entries older than this id. */
  before: idParam.optional(),
  entity: z.string().regex(/^[a-z_]{1,40}$/, '应为实体名称 (expected an entity name)').optional(),
  limit: limitParam(500).optional(),
}).strict();
export type AuditQuery = z.input<typeof auditQuery>;

export const auditEntry = z.object({
  id: z.number(),
  /** ISO timestamp. */
  at: z.string(),
  user_id: z.number().nullable(),
  /** The username, "cli:<os user>" or "system:…" for writes that no signed-in user made. */
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entity_id: z.string().nullable(),
  /** The row (a user: without password) or the counts before the change; null when none. */
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
export const auditResponse = z.object({ entries: z.array(auditEntry) });
export type AuditEntry = z.infer<typeof auditEntry>;
