// The audit log: who changed what, when, with the values before and after. Written in the
// same transaction as the change it records, so one never exists without the other.
import type { AuditAction, AuditEntity } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';

export interface AuditEntry {
  userId: number | null;
  /** The username, or "cli:<os user>" for command-line writes. */
  actor: string;
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** Pass the transaction's client when the change is part of one, so both commit together. */
export async function audit(client: Queryable, e: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (user_id, actor, action, entity, entity_id, before, after, ip)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
    [e.userId, e.actor, e.action, e.entity, e.entityId == null ? null : String(e.entityId),
     e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after),
     e.ip ?? null],
  );
}
