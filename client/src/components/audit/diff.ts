// A readable field-by-field comparison of an audit entry's `before` and `after` values: user
// rows (without password) and boundary-import counts today, any flat JSON object tomorrow.
import type { AuditEntry } from '../../api/audit';
import { ROLES } from '@grid-atlas/contract';
import { t } from '../../i18n';
import { formatInt } from '../format';

export type DiffStatus = 'changed' | 'added' | 'removed' | 'same';

export interface DiffRow {
  key: string;
  /** The field's name in words (the key itself when it has none). */
  label: string;
  before: string;
  after: string;
  status: DiffStatus;
}

/**
 * Known fields (named in admin.audit.field), in the order they are listed; unknown fields follow
 * in the order they come. `value` names a non-object value (see diffEntry).
 */
export const KNOWN_FIELDS = [
  'id', 'username', 'display_name', 'role', 'active', 'subdistrict_id', 'community_id', 'grid_id', 'department_id',
  'subdistricts', 'communities', 'grids', 'householdsChanged', 'householdsOutside', 'value',
] as const;
const KNOWN = new Set<string>(KNOWN_FIELDS);

/** A field's name in words, or the key itself. */
export function fieldLabel(key: string): string {
  return KNOWN.has(key) ? t(`admin.audit.field.${key}`) : key;
}

const EMPTY = '—';

/** One value as a person reads it; `key` picks the wording (role labels, 启用/停用 active/disabled, plain ids). */
export function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'boolean') {
    if (key === 'active') return t(value ? 'admin.audit.value.active' : 'admin.audit.value.inactive');
    return t(value ? 'admin.audit.value.yes' : 'admin.audit.value.no');
  }
  if (typeof value === 'number') {
    // Ids are names, not quantities: no digit grouping.
    return key === 'id' || key.endsWith('_id') ? String(value) : formatInt(value);
  }
  if (typeof value === 'string') {
    if (key === 'role' && (ROLES as readonly string[]).includes(value)) {
      return t('admin.audit.value.role', { label: t(`domain.role.${value}`), code: value });
    }
    return value === '' ? EMPTY : value;
  }
  return JSON.stringify(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function orderedKeys(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const seen = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const known = KNOWN_FIELDS.filter((k) => seen.has(k));
  return [...known, ...[...seen].filter((k) => !KNOWN.has(k))];
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
      label: fieldLabel(key),
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

/** The diff of an entry; a non-object value (never written today) is shown as one "值" (value) field. */
export function diffEntry(e: Pick<AuditEntry, 'before' | 'after'>): DiffRow[] {
  const wrap = (v: unknown) => (v === null || v === undefined ? null : isRecord(v) ? v : { value: v });
  return diffValues(wrap(e.before), wrap(e.after));
}

/** "2 项变更", "写入 9 项" etc. ("2 changed", "Wrote 9 fields"): a short summary for the collapsed row. */
export function diffSummary(rows: DiffRow[]): string {
  // Only written (a create) or only there before: say how much, not "9 项新增".
  const n = rows.length;
  if (n && rows.every((r) => r.status === 'added')) return t('admin.audit.diff.summaryWritten', { n }, n);
  if (n && rows.every((r) => r.status === 'removed')) return t('admin.audit.diff.summaryRemovedAll', { n }, n);
  const changed = rows.filter((r) => r.status === 'changed').length;
  const added = rows.filter((r) => r.status === 'added').length;
  const removed = rows.filter((r) => r.status === 'removed').length;
  const parts: string[] = [];
  if (changed) parts.push(t('admin.audit.diff.summaryChanged', { n: changed }));
  if (added) parts.push(t('admin.audit.diff.summaryAdded', { n: added }));
  if (removed) parts.push(t('admin.audit.diff.summaryRemoved', { n: removed }));
  return parts.join(t('admin.audit.diff.summaryJoin')) || t('admin.audit.diff.summaryNone');
}
