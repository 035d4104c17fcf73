// 权力下放清单 through the real app: exactly 72 statutory powers and 217 enforcement items in SQL,
// each linked to case categories and a handling level; the list's filters and bad input; a case
// shows the item it falls under and whether the subdistrict holds the power.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POWER_COUNTS, powerList } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { call, castAround, fileCase, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.72.0');
});
afterAll(() => db?.close());

describe('the delegated powers in SQL', () => {
  it('are exactly 72 statutory powers and 217 enforcement items, numbered without gaps', async () => {
    const { rows } = await db.query<{ kind: string; n: number; codes: string[] }>(
      `SELECT kind, count(*)::int AS n, array_agg(code ORDER BY code) AS codes FROM power_items GROUP BY kind ORDER BY kind`);
    expect(rows.map((r) => [r.kind, r.n])).toEqual([['enforcement', 217], ['statutory_power', 72]]);
    expect(POWER_COUNTS).toEqual({ statutory_power: 72, enforcement: 217 });
    const pad = (i: number) => String(i).padStart(3, '0');
    expect(rows[0].codes).toEqual(Array.from({ length: 217 }, (_, i) => `ZF-${pad(i + 1)}`));
    expect(rows[1].codes).toEqual(Array.from({ length: 72 }, (_, i) => `QL-${pad(i + 1)}`));
  });

  it('each item answers at least one case category, names a unit that exists and a case level', async () => {
    const orphans = await db.query(`SELECT code FROM power_items i WHERE NOT EXISTS (SELECT 1 FROM power_item_categories pc WHERE pc.item_id = i.id)`);
    expect(orphans.rows).toEqual([]);
    const units = await db.query(`SELECT DISTINCT i.department_code FROM power_items i LEFT JOIN departments d ON d.code = i.department_code WHERE d.id IS NULL`);
    expect(units.rows).toEqual([]);
    const levels = (await db.query<{ handling_level: string }>('SELECT DISTINCT handling_level FROM power_items ORDER BY 1')).rows.map((r) => r.handling_level);
    expect(levels).toEqual(['community', 'grid', 'subdistrict']);
    // names are realistic and distinct
    const names = (await db.query<{ name: string }>(`SELECT name FROM power_items WHERE code IN ('QL-001', 'ZF-001')`)).rows.map((r) => r.name);
    expect(names).toContain('市容环境卫生日常监督检查');
    expect(names).toContain('对随意倾倒、抛撒生活垃圾的责令改正');
  });

  it('every case category either falls under an item the subdistrict holds, or is marked as not held', async () => {
    const { rows } = await db.query<{ category_code: string; item_id: number | null; held: boolean }>('SELECT * FROM case_category_powers ORDER BY category_code');
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(r.held, r.category_code).toBe(r.item_id !== null);
    const held = rows.filter((r) => r.held).map((r) => r.category_code);
    expect(held).toContain('garbage');
    expect(held).not.toContain('neighbour_dispute');
    expect(rows.some((r) => !r.held)).toBe(true);
  });
});

describe('GET /api/powers', () => {
  it('lists all 289 items with their counts, categories and handling level', async () => {
    const r = await call(app, cast.signed.grid, 'GET', '/api/powers');
    expect(r.status).toBe(200);
    const body = powerList.parse(r.body);
    expect(body.counts).toEqual({ statutory_power: 72, enforcement: 217 });
    expect(body.total).toBe(289);
    expect(body.items[0]).toMatchObject({ code: 'QL-001', kind: 'statutory_power', name: '市容环境卫生日常监督检查', department_name: '恩施市城市管理执法局' });
    expect(body.items[0].categories.map((c) => c.code)).toEqual(['garbage', 'greenery', 'street_vending']);
    expect(body.items.every((i) => i.categories.length > 0)).toBe(true);
  });

  it('filters by kind, category and text', async () => {
    const enforcement = powerList.parse((await call(app, cast.signed.leader, 'GET', '/api/powers?kind=enforcement')).body);
    expect(enforcement.total).toBe(217);
    expect(enforcement.counts).toEqual({ statutory_power: 72, enforcement: 217 });
    const pets = powerList.parse((await call(app, cast.signed.leader, 'GET', '/api/powers?category=pets')).body);
    expect(pets.items.every((i) => i.categories.some((c) => c.code === 'pets'))).toBe(true);
    expect(pets.total).toBe(6 + 2 * 7);
    const search = powerList.parse((await call(app, cast.signed.leader, 'GET', `/api/powers?q=${encodeURIComponent('犬链')}`)).body);
    expect(search.items.map((i) => i.name)).toEqual(Array.from(['责令改正', '警告', '罚款', '没收违法所得', '责令停止违法行为', '查封、扣押涉案物品', '强制拆除或清除'], (m) => `对携犬出户未束犬链的${m}`));
    const none = powerList.parse((await call(app, cast.signed.leader, 'GET', '/api/powers?q=%25')).body);
    expect(none.total).toBe(0);
  });

  it('refuses bad input with a clear 4xx', async () => {
    for (const [qs, status, msg] of [
      ['kind=all', 400, /类型/], ['category=Garbage!', 400, /类别代码/], ['limit=5', 400, /不支持的参数/],
      [`q=${'长'.repeat(51)}`, 400, /50/], ['category=no_such_thing', 404, /类别/],
    ] as const) {
      const r = await call(app, cast.signed.leader, 'GET', `/api/powers?${qs}`);
      expect(r.status, qs).toBe(status);
      expect(r.body.error, qs).toMatch(msg);
    }
  });
});

describe('a case shows its delegated power', () => {
  it('a garbage case falls under QL-001, held by the subdistrict', async () => {
    const { id } = await fileCase(app, cast);
    const r = await call(app, cast.signed.secretary, 'GET', `/api/cases/${id}`);
    expect(r.body.power).toEqual({
      held: true,
      item: { id: expect.any(Number), code: 'QL-001', kind: 'statutory_power', name: '市容环境卫生日常监督检查', field: '城市管理',
        department_name: '恩施市城市管理执法局', handling_level: 'community' },
    });
  });

  it('a neighbour dispute is in no item: the subdistrict does not hold the power', async () => {
    const { id } = await fileCase(app, cast, { category: 'neighbour_dispute', description: '测试：楼上漏水引发邻里纠纷' });
    const r = await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`);
    expect(r.body.power).toEqual({ held: false, item: null });
  });
});
