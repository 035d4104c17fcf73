// A readable field-by-field comparison of an audit entry's `before` and `after` values: user
// rows (without password) and boundary-import counts today, any flat JSON object tomorrow.
import type { AuditEntry } from '../../api/audit';
import { ROLE_LABELS } from '@grid-atlas/contract';
import type { Role } from '../../api/session';
import { formatInt } from '../format';

export type DiffStatus = 'changed' | 'added' | 'removed' | 'same';

export interface DiffRow {
  key: string;
  /** The field's Chinese name (the key itself when it has none). */
  label: string;
  before: string;
  after: string;
  status: DiffStatus;
}

/** Known fields, in the order they are listed; unknown fields follow in the order they come. */
export const FIELD_LABELS: Record<string, string> = {
  id: '编号',
  username: '用户名',
  display_name: '姓名',
  role: '角色',
  active: '状态',
  subdistrict_id: '街道 ID',
  community_id: '社区 ID',
  grid_id: '网格 ID',
  department_id: '部门 ID',
  subdistricts: '街道数',
  communities: '社区数',
  grids: '网格数',
  householdsChanged: '改划网格的住户',
  householdsOutside: '不在任何网格的住户',
};

const EMPTY = '—';

/** One value as a person reads it; `key` picks the wording (role labels, 启用/停用, plain ids). */
export function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'boolean') {
    if (key === 'active') return value ? '启用' : '停用';
    return value ? '是' : '否';
  }
  if (typeof value === 'number') {
    // Ids are names, not quantities: no digit grouping.
    return key === 'id' || key.endsWith('_id') ? String(value) : formatInt(value);
  }
  if (typeof value === 'string') {
    if (key === 'role' && value in ROLE_LABELS) return `${ROLE_LABELS[value as Role]}（${value}）`;
    return value === '' ? EMPTY : value;
  }
  return JSON.stringify(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function orderedKeys(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const seen = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const known = Object.keys(FIELD_LABELS).filter((k) => seen.has(k));
  return [...known, ...[...seen].filter((k) => !(k in FIELD_LABELS))];
}

/**
 * Every field of `before` and `after`, side by side. A field only in `after` (e.g. everything a
 * "create" wrote) is `added`, only in `before` is `removed`; otherwise `changed` or `same`.
 */
export function diffValues(before: Record<string, unknown> | null, after: Record<string, unknown> | null): DiffRow[] {
  return orderedKeys(before, after).map((key) => {
    const inBefore = !!before && key in before;
    const inAfter = !!after && key in after;
    const status: DiffStatus = !inBefore ? 'added' : !inAfter ? 'removed' : same(before[key], after![key]) ? 'same' : 'changed';
    return {
      key,
      label: FIELD_LABELS[key] ?? key,
      before: inBefore ? formatValue(key, before[key]) : EMPTY,
      after: inAfter ? formatValue(key, after![key]) : EMPTY,
      status,
    };
  });
}

/** Whether the entry recorded any values to compare (logins and password resets do not). */
export function hasValues(e: Pick<AuditEntry, 'before' | 'after'>): boolean {
  return isRecord(e.before) || isRecord(e.after);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The diff of an entry; a non-object value (never written today) is shown as one "值" field. */
export function diffEntry(e: Pick<AuditEntry, 'before' | 'after'>): DiffRow[] {
  const wrap = (v: unknown) => (v === null || v === undefined ? null : isRecord(v) ? v : { 值: v });
  return diffValues(wrap(e.before), wrap(e.after));
}

/** "2 项变更", "写入 9 项" etc.: a short summary for the collapsed row. */
export function diffSummary(rows: DiffRow[]): string {
  // Only written (a create) or only there before: say how much, not "9 项新增".
  if (rows.length && rows.every((r) => r.status === 'added')) return `写入 ${rows.length} 项`;
  if (rows.length && rows.every((r) => r.status === 'removed')) return `删除 ${rows.length} 项`;
  const changed = rows.filter((r) => r.status === 'changed').length;
  const added = rows.filter((r) => r.status === 'added').length;
  const removed = rows.filter((r) => r.status === 'removed').length;
  const parts: string[] = [];
  if (changed) parts.push(`${changed} 项变更`);
  if (added) parts.push(`${added} 项新增`);
  if (removed) parts.push(`${removed} 项删除`);
  return parts.join('，') || '无变更';
}
