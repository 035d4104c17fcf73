import { afterEach, describe, expect, it } from 'vitest';
import { applyLocale } from '../../i18n';
import { actionLabel, entityLabel, entrySubject } from '../../api/audit';
import { diffEntry, diffSummary, diffValues, formatValue, hasValues } from './diff';

const leader = {
  id: 2, username: 'leader', display_name: '市领导（演示）', role: 'city_leader',
  subdistrict_id: null, community_id: null, grid_id: null, department_id: null, active: true,
};

describe('audit diff', () => {
  it('marks the changed fields of a role change and keeps the rest as unchanged', () => {
    const rows = diffValues(leader, { ...leader, role: 'community_secretary', community_id: 8 });
    expect(rows.map((r) => r.key)).toEqual([
      'id', 'username', 'display_name', 'role', 'active', 'subdistrict_id', 'community_id', 'grid_id', 'department_id',
    ]);
    expect(rows.filter((r) => r.status === 'changed')).toEqual([
      { key: 'role', label: '角色', before: '市领导（city_leader）', after: '社区书记（community_secretary）', status: 'changed' },
      { key: 'community_id', label: '社区 ID', before: '—', after: '8', status: 'changed' },
    ]);
    expect(rows.filter((r) => r.status === 'same')).toHaveLength(7);
    expect(diffSummary(rows)).toBe('2 项变更');
  });

  it('shows everything a create wrote as added, with readable values', () => {
    const rows = diffEntry({ before: null, after: leader });
    expect(rows.every((r) => r.status === 'added' && r.before === '—')).toBe(true);
    expect(Object.fromEntries(rows.map((r) => [r.label, r.after]))).toMatchObject({
      编号: '2', 用户名: 'leader', 姓名: '市领导（演示）', 角色: '市领导（city_leader）', 状态: '启用', '街道 ID': '—',
    });
    expect(diffSummary(rows)).toBe('写入 9 项');
  });

  it('words disabling as 启用 → 停用', () => {
    const [row] = diffValues(leader, { ...leader, active: false }).filter((r) => r.status !== 'same');
    expect(row).toMatchObject({ label: '状态', before: '启用', after: '停用', status: 'changed' });
  });

  it('compares the counts of a boundary import, unknown fields last', () => {
    const rows = diffEntry({
      before: { subdistricts: 5, communities: 33, grids: 359 },
      after: { subdistricts: 5, communities: 33, grids: 1200, householdsChanged: 95402, householdsOutside: 0, extra: { a: 1 } },
    });
    expect(rows.map((r) => [r.label, r.before, r.after, r.status])).toEqual([
      ['街道数', '5', '5', 'same'],
      ['社区数', '33', '33', 'same'],
      ['网格数', '359', '1,200', 'changed'],
      ['改划网格的住户', '—', '95,402', 'added'],
      ['不在任何网格的住户', '—', '0', 'added'],
      ['extra', '—', '{"a":1}', 'added'],
    ]);
    expect(diffSummary(rows)).toBe('1 项变更，3 项新增');
  });

  it('lists a field that disappeared as removed', () => {
    expect(diffValues({ a: 'x', b: 1 }, { a: 'x' })).toEqual([
      { key: 'a', label: 'a', before: 'x', after: 'x', status: 'same' },
      { key: 'b', label: 'b', before: '1', after: '—', status: 'removed' },
    ]);
    expect(diffSummary(diffValues({ a: 'x', b: 1 }, { a: 'x' }))).toBe('1 项删除');
    expect(diffSummary(diffEntry({ before: { a: 1 }, after: null }))).toBe('删除 1 项');
  });

  it('has nothing to compare for logins and password resets', () => {
    expect(hasValues({ before: null, after: null })).toBe(false);
    expect(diffEntry({ before: null, after: null })).toEqual([]);
    expect(diffSummary([])).toBe('无变更');
    expect(hasValues({ before: null, after: { a: 1 } })).toBe(true);
    expect(diffEntry({ before: null, after: 3 as never })).toEqual([{ key: 'value', label: '值', before: '—', after: '3', status: 'added' }]);
  });

  it('formats single values', () => {
    expect(formatValue('role', 'nobody')).toBe('nobody');
    expect(formatValue('x', false)).toBe('否');
    expect(formatValue('x', '')).toBe('—');
    expect(formatValue('grid_id', 422801)).toBe('422801');
  });
});

describe('audit labels', () => {
  it('names actions and entities in Chinese, and falls back to the raw name', () => {
    expect(['login', 'logout', 'create', 'set_role', 'reset_password', 'disable', 'enable', 'import'].map(actionLabel)).toEqual([
      '登录', '退出', '创建', '修改角色', '重置密码', '停用', '启用', '导入边界',
    ]);
    expect(['session', 'user', 'boundaries', 'other'].map(entityLabel)).toEqual(['登录会话', '用户', '边界', 'other']);
    expect(actionLabel('archive')).toBe('archive');
  });

  it('says what an entry is about', () => {
    expect(entrySubject({ entity: 'user', entity_id: '2', before: null, after: leader })).toBe('用户 #2 · leader');
    expect(entrySubject({ entity: 'user', entity_id: '2', before: null, after: null })).toBe('用户 #2');
    expect(entrySubject({ entity: 'session', entity_id: null, before: null, after: null })).toBe('登录会话');
  });
});

describe('audit texts in English', () => {
  afterEach(() => applyLocale('zh-CN'));

  it('words the fields, values, summaries and labels in English', () => {
    applyLocale('en');
    const rows = diffValues(leader, { ...leader, role: 'community_secretary', active: false });
    expect(rows.filter((r) => r.status === 'changed').map((r) => [r.label, r.before, r.after])).toEqual([
      ['Role', 'City leader (city_leader)', 'Community secretary (community_secretary)'],
      ['Status', 'Active', 'Disabled'],
    ]);
    expect(diffSummary(rows)).toBe('2 changed');
    expect(diffSummary(diffEntry({ before: null, after: leader }))).toBe('Wrote 9 fields');
    expect(diffSummary(diffEntry({ before: { a: 1 }, after: null }))).toBe('Removed 1 field');
    expect(diffSummary(diffValues({ a: 1, b: 2 }, { a: 2, c: 3 }))).toBe('1 changed, 1 added, 1 removed');
    expect(diffSummary([])).toBe('No changes');
    expect(formatValue('x', true)).toBe('Yes');
    expect(entrySubject({ entity: 'user', entity_id: '2', before: null, after: leader })).toBe('User #2 · leader');
    expect(['login', 'import', 'archive'].map(actionLabel)).toEqual(['Sign-in', 'Import boundaries', 'archive']);
  });
});
