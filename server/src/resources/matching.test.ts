// Matching by what is asked: the request's terms, then category, default unit and area, each
// answer saying why. The ranking alone (rank) on made-up entries, and suggestUnits on the seeded
// resources lists of the 24 units.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';
import { keywords, rank, suggestUnits } from './matching.ts';

describe('keywords', () => {
  it('cuts words into two-character terms, without stopwords, numbers or single characters', () => {
    expect(keywords('垃圾桶满溢')).toEqual(expect.arrayContaining(['垃圾', '圾桶']));
    expect(keywords('小区增设充电桩')).toContain('充电');
    expect(keywords('小区增设充电桩')).not.toContain('小区');
    expect(keywords('2024 年 电 车')).toEqual([]);
  });
});

type Entry = Parameters<typeof rank>[0][number];
const entry = (id: number, name: string, description: string, extra: Partial<Entry> = {}): Entry => ({
  department_id: id, department_name: `单位${id}`, resource_id: id * 10, resource_name: name, description, kind: 'service',
  capacity: 10, local: false, serves_category: false, default_unit: false, open_cases: 0, open_needs: 0, ...extra,
});

describe('rank', () => {
  const drill = entry(1, '应急演练', '指导社区开展消防、地震、防汛应急演练', { serves_category: true, default_unit: true });
  const charging = entry(2, '充电设施报装', '为小区电动车集中充电桩办理报装');
  const police = entry(3, '社区民警驻点', '定期到网格走访');

  it('puts the entry that says what is asked before the category\'s own unit, and says why', () => {
    const out = rank([drill, charging, police], '增设电动车集中充电桩', 10);
    expect(out.map((s) => s.resource_name)).toEqual(['充电设施报装', '应急演练']);
    expect(out[0]).toMatchObject({ matched_terms: expect.arrayContaining(['充电', '集中']), serves_category: false });
    expect(out[0].text_score).toBeGreaterThan(0.5);
    expect(out[1]).toMatchObject({ matched_terms: [], text_score: 0, serves_category: true, default_unit: true });
    expect(out[0].score).toBeGreaterThan(out[1].score);
  });

  it('falls back to category, default unit and area when no entry says what is asked', () => {
    const local = entry(4, '网格消防巡查', '楼道杂物清理', { serves_category: true, local: true });
    const out = rank([local, drill, charging, police], '无关的事情', 10);
    // The default unit, then the local entry; entries of no use (no words, other category) left out.
    expect(out.map((s) => s.resource_name)).toEqual(['应急演练', '网格消防巡查']);
  });

  it('weighs rare terms over common ones, offers one entry per unit, and stops at the limit', () => {
    const a = entry(5, '消防器材配置', '配发灭火器');
    const b = entry(5, '消防宣传', '消防知识进楼栋');
    const c = entry(6, '消防通道巡查', '清理楼道杂物');
    const d = entry(7, '消防演练', '组织居民疏散演练');
    // "消防" is in all four entries, "器材" and "配置" in one: that unit first, once.
    const out = rank([c, d, b, a], '楼栋消防器材配置', 2);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ department_id: 5, resource_name: '消防器材配置' });
    expect(new Set(out.map((s) => s.department_id)).size).toBe(2);
  });
});

describe('suggestUnits on the seeded resources lists', () => {
  let db: Db;
  let community: number;
  beforeAll(async () => {
    db = await openTestDb();
    community = Number((await db.query(`SELECT min(id) AS id FROM communities`)).rows[0].id);
  });
  afterAll(() => db?.close());

  it('offers the power company\'s charging entry for an EV charging need filed as a fire hazard', async () => {
    const out = await suggestUnits(db, { category: 'fire_hazard', community, text: '增设电动车集中充电桩' });
    expect(out[0]).toMatchObject({ department_name: '国网恩施供电公司', resource_name: '充电设施报装', serves_category: false });
    expect(out[0].matched_terms).toContain('充电');
    // The category's own unit is still offered, below it, as the category's.
    const own = out.find((s) => s.default_unit);
    expect(own).toMatchObject({ department_name: '恩施市应急管理局', serves_category: true });
  });

  it('offers the emergency bureau first for fire equipment, by the words and the category alike', async () => {
    const out = await suggestUnits(db, { category: 'fire_hazard', community, text: '楼栋消防器材配置' });
    expect(out[0]).toMatchObject({ department_name: '恩施市应急管理局', default_unit: true, serves_category: true });
    expect(out[0].matched_terms.length).toBeGreaterThan(0);
  });
});
