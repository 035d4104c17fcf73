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
  await auditAll(client, [e]);
}

/** Several entries in one statement (a change made of many, such as a city-wide redraw). */
export async function auditAll(client: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  await client.query(
    `INSERT INTO audit_log (user_id, actor, action, entity, entity_id, before, after, ip)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[])`,
    [entries.map((e) => e.userId), entries.map((e) => e.actor), entries.map((e) => e.action), entries.map((e) => e.entity),
     entries.map((e) => (e.entityId == null ? null : String(e.entityId))), entries.map((e) => json(e.before)), entries.map((e) => json(e.after)),
     entries.map((e) => e.ip ?? null)],
  );
}
