// The audit log (server/src/routes/audit.ts): administrators only (403 for everyone else).
// Newest first; `before` pages backwards: pass the smallest id of the page on screen.
import type { AuditEntity, AuditEntry } from '@grid-atlas/contract';
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

export const ENTITY_LABELS: Record<AuditEntity, string> = {
  session: '登录会话',
  user: '用户',
  boundaries: '边界',
  case: '案件',
  plan: '网格方案',
  resource: '资源清单',
  need: '需求清单',
  block: '街区',
  household: '住户名册',
  kpi: '考评报表',
  access_token: '访问令牌',
  community_worker: '社区工作者',
  vanguard_task: '尖刀班任务',
  vanguard_member: '尖刀班成员',
  evaluation_weights: '考评权重',
};

export const ACTION_LABELS: Record<string, string> = {
  login: '登录',
  login_failed: '登录失败',
  lockout: '登录锁定',
  logout: '退出',
  create: '创建',
  set_role: '修改角色',
  reset_password: '重置密码',
  disable: '停用',
  enable: '启用',
  import: '导入边界',
  transition: '案件流转',
  apply: '应用方案',
  revert: '撤回方案',
  update: '修改',
  export: '导出',
  revoke: '撤销',
};

export function entityLabel(entity: string): string {
  return ENTITY_LABELS[entity as AuditEntity] ?? entity;
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export async function fetchAudit(query: AuditQuery = {}, signal?: AbortSignal): Promise<AuditEntry[]> {
  const { entries } = await readJson(api.audit.$get({ query: q({ before: query.before, entity: query.entity, limit: query.limit }) }, { init: { signal } }));
  // bigint ids arrive as numbers from our server, but not every driver agrees.
  return entries.map((e) => ({ ...e, id: Number(e.id) }));
}

/** What the entry is about, for the 对象 column: "用户 #12 · leader", "登录会话", "边界". */
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
