import { describe, expect, it } from 'vitest';
import { byGroup } from './categoryGroups';

describe('byGroup', () => {
  it('keeps the groups in first-seen order and each group in list order', () => {
    const c = (code: string, group: string) => ({ code, name: code, group });
    expect(byGroup([c('a', '城市管理'), c('b', '民生服务'), c('c', '城市管理')])).toEqual([
      ['城市管理', [c('a', '城市管理'), c('c', '城市管理')]],
      ['民生服务', [c('b', '民生服务')]],
    ]);
    expect(byGroup([])).toEqual([]);
  });
});
