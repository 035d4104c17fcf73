// Every case and need category of the database, and every group, has an English name; Chinese
// readers get the register's own name, English readers the English one by code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../../../server/src/index.ts';
import { applyLocale, categoryGroupName, categoryName } from './index';
import { CATEGORY_EN, CATEGORY_GROUP_EN } from './messages/categories';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  applyLocale('zh-CN');
  await db?.close();
});

describe('category names', () => {
  it('has English for every category and group the database holds', async () => {
    const { rows } = await db.query<{ code: string; group_name: string }>('SELECT code, group_name FROM case_categories ORDER BY sort');
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => !CATEGORY_EN[r.code]).map((r) => r.code)).toEqual([]);
    expect([...new Set(rows.map((r) => r.group_name))].filter((g) => !CATEGORY_GROUP_EN[g])).toEqual([]);
    expect(Object.values({ ...CATEGORY_EN, ...CATEGORY_GROUP_EN }).filter((v) => /[\u3400-\u9fff\uff01-\uff5e]/.test(v))).toEqual([]);
  });

  it('says the register name in Chinese and the English one in English, and an unknown category as sent', () => {
    applyLocale('zh-CN');
    expect(categoryName('noise', '噪声扰民（改）')).toBe('噪声扰民（改）');
    expect(categoryGroupName('环境卫生')).toBe('环境卫生');
    applyLocale('en');
    expect(categoryName('noise', '噪声扰民')).toBe('Noise nuisance');
    expect(categoryGroupName('环境卫生')).toBe('Environment and sanitation');
    expect(categoryName('new_kind', '新类别')).toBe('新类别');
    applyLocale('zh-CN');
  });
});
