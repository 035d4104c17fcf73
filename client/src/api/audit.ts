// The audit log (server/src/routes/audit.ts): administrators only (403 for everyone else).
// Newest first; `before` pages backwards: pass the smallest id of the page on screen.
import { AUDIT_ENTITIES, type AuditEntity, type AuditEntry } from '@grid-atlas/contract';
import { t } from '../i18n';
import { api, q } from './client';
import { readJson } from './http';

export type { AuditEntity, AuditEntry } from '@grid-atlas/contract';

export interface AuditQuery {
  /** Only entries older than this id. */
  before?: number;
  entity?: AuditEntity;
  /** 1..500, the server's default is 100. */
  limit?: number;
}

/** The actions the log names in words; another is shown as it is written. */
const AUDIT_ACTIONS = new Set([
  'login', 'login_failed', 'lockout', 'logout', 'create', 'set_role', 'reset_password', 'disable', 'enable',
  'import', 'transition', 'apply', 'revert', 'update', 'export', 'revoke',
]);

export function isAuditEntity(entity: string): entity is AuditEntity {
  return (AUDIT_ENTITIES as readonly string[]).includes(entity);
}

/** The entity in words (admin.audit.entity), or its code when it has none. */
export function entityLabel(entity: string): string {
  return isAuditEntity(entity) ? t(`admin.audit.entity.${entity}`) : entity;
}

/** The action in words (admin.audit.action), or its code when it has none. */
export function actionLabel(action: string): string {
  return AUDIT_ACTIONS.has(action) ? t(`admin.audit.action.${action}`) : action;
}

export async function fetchAudit(query: AuditQuery = {}, signal?: AbortSignal): Promise<AuditEntry[]> {
  const { entries } = await readJson(api.audit.$get({ query: q({ before: query.before, entity: query.entity, limit: query.limit }) }, { init: { signal } }));
  // bigint ids arrive as numbers from our server, but not every driver agrees.
  return entries.map((e) => ({ ...e, id: Number(e.id) }));
}

/** What the entry is about, for the 对象 (subject) column: "用户 #12 · leader", "登录会话", "边界". */
export function entrySubject(e: Pick<AuditEntry, 'entity' | 'entity_id' | 'before' | 'after'>): string {
  const parts = [entityLabel(e.entity)];
  if (e.entity_id) parts[0] += ` #${e.entity_id}`;
  const name = (e.after ?? e.before)?.username;
  if (typeof name === 'string') parts.push(name);
  return parts.join(' · ');
}

/** Who wrote the entry: a signed-in user, the command line ("cli:<os user>") or the system itself. */
export function actorKind(actor: string): 'user' | 'cli' | 'system' {
  if (actor.startsWith('cli:')) return 'cli';
  if (actor.startsWith('system:')) return 'system';
  return 'user';
}
