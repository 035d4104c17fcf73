// The resources list through the real app: everyone reads it, a unit's staff add and change
// their own unit's entries only, bad input changes nothing, and a case's dispatcher is offered
// the units whose resources serve the case's category and place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { act, call, castAround, fileCase, type Cast } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;
let ownUnit: number;
let otherUnit: number;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.73.0');
  ownUnit = cast.users.deptAssigned.department_id!;
  otherUnit = cast.users.deptOther.department_id!;
});
afterAll(() => db?.close());

const entry = (extra: Record<string, unknown> = {}) => ({
  name: '上门清运大件垃圾', kind: 'service', capacity: 20, categories: ['garbage'], community_ids: [cast.grid.community_id], ...extra,
});
const rowsOf = async () => Number((await db.query('SELECT count(*) AS n FROM department_resources')).rows[0].n);

describe('the resources list', () => {
  it('is read by every signed-in role, each unit serving its default categories', async () => {
    const r = await call(app, cast.signed.leader, 'GET', '/api/resources');
    expect(r.status).toBe(200);
    const units = new Set(r.body.resources.map((x: any) => x.department_id));
    expect(units.size).toBe(24);
    const d05 = r.body.resources.filter((x: any) => x.department_code === 'D05');
    expect(d05.length).toBeGreaterThan(0);
    expect(d05.every((x: any) => x.categories.includes('garbage'))).toBe(true);
    const own = await call(app, cast.signed.secretary, 'GET', `/api/resources?department=${ownUnit}`);
    expect(own.body.resources.every((x: any) => x.department_id === ownUnit)).toBe(true);
    expect((await call(app, cast.signed.secretary, 'GET', '/api/resources?department=abc')).status).toBe(400);
  });

  it('takes a new entry from a unit\'s staff for their own unit only', async () => {
    const r = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', { ...entry(), department_id: otherUnit });
    expect(r.status).toBe(400); // the unit is the caller's, never a field
    const ok = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', entry());
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ department_id: ownUnit, name: '上门清运大件垃圾', capacity: 20, active: true, description: '' });
    const audit = (await db.query<any>(`SELECT actor, action FROM audit_log WHERE entity = 'resource' AND entity_id = $1`, [String(ok.body.id)])).rows;
    expect(audit).toEqual([{ actor: expect.stringMatching(/^dept-/), action: 'create' }]);
    for (const who of ['secretary', 'grid', 'leader'] as const) {
      expect((await call(app, cast.signed[who], 'POST', '/api/resources', entry())).status, who).toBe(403);
    }
  });

  it('refuses bad entries with the reason, storing nothing', async () => {
    const before = await rowsOf();
    for (const [body, message] of [
      [entry({ name: ' ' }), /名称不能为空/],
      [entry({ kind: 'gift' }), /service 或 project/],
      [entry({ capacity: -1 }), /容量不能为负/],
      [entry({ capacity: '10' }), /容量应为数字/],
      [entry({ categories: ['no_such_category'] }), /未知的案件类别/],
      [entry({ community_ids: [999999] }), /没有这些社区/],
      [entry({ owner: 'me' }), /owner/],
    ] as const) {
      const r = await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    expect(await rowsOf()).toBe(before);
  });

  it('changes only the fields sent, and only in the caller\'s own unit', async () => {
    const made = (await call(app, cast.signed.deptAssigned, 'POST', '/api/resources', entry({ description: '每周二、五' }))).body;
    const r = await call(app, cast.signed.deptAssigned, 'PATCH', `/api/resources/${made.id}`, { capacity: 5 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ capacity: 5, description: '每周二、五', name: '上门清运大件垃圾', active: true });
    const theirs = (await db.query<{ id: number; capacity: number }>('SELECT id, capacity FROM department_resources WHERE department_id = $1 ORDER BY id LIMIT 1', [otherUnit])).rows[0];
    const foreign = await call(app, cast.signed.deptAssigned, 'PATCH', `/api/resources/${theirs.id}`, { capacity: 0 });
    expect(foreign.status).toBe(404);
    expect((await db.query('SELECT capacity FROM department_resources WHERE id = $1', [theirs.id])).rows[0].capacity).toBe(theirs.capacity);
    expect((await call(app, cast.signed.deptAssigned, 'PATCH', `/api/resources/${made.id}`, {})).status).toBe(400);
    expect((await call(app, cast.signed.deptAssigned, 'PATCH', '/api/resources/abc', { capacity: 1 })).status).toBe(400);
    expect((await call(app, cast.signed.secretary, 'PATCH', `/api/resources/${made.id}`, { capacity: 1 })).status).toBe(403);
  });
});

describe('units suggested for a case (部门端菜)', () => {
  it('offers the category\'s unit first, local entries with why; not to those who cannot dispatch', async () => {
    const { id } = await fileCase(app, cast, { category: 'garbage', description: '垃圾桶满溢，无人清运' });
    // Not yet accepted: nobody may dispatch it, so nobody is offered units.
    expect((await call(app, cast.signed.grid, 'GET', `/api/cases/${id}/suggestions`)).status).toBe(403);
    await act(app, cast, 'grid', id, { action: 'accept' });
    const r = await call(app, cast.signed.grid, 'GET', `/api/cases/${id}/suggestions`);
    expect(r.status).toBe(200);
    const s = r.body.suggestions as any[];
    expect(s.length).toBeGreaterThan(0);
    // The sanitation unit: its entry says 垃圾 (the case's words) and it is the category's own.
    expect(s[0]).toMatchObject({ default_unit: true, serves_category: true, matched_terms: expect.arrayContaining(['垃圾']) });
    expect(new Set(s.map((x) => x.department_id)).size).toBe(s.length); // one row per unit
    // Best first; every answer is of use: it says some of the case's words, or serves its category.
    expect(s.map((x) => x.score)).toEqual([...s.map((x) => x.score)].sort((a, b) => b - a));
    expect(s.every((x) => x.matched_terms.length > 0 || x.serves_category)).toBe(true);
    // Another unit adds a local entry serving this community: it is offered, marked local, above
    // every city-wide entry that says no more of what is asked and is not the category's own.
    const local = await call(app, cast.signed.deptOther, 'POST', '/api/resources', entry({ name: '社区保洁志愿队', categories: ['garbage'] }));
    expect(local.status).toBe(201);
    const again = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}/suggestions`)).body.suggestions as any[];
    const at = again.findIndex((x) => x.department_id === otherUnit);
    expect(again[at]).toMatchObject({ local: true, serves_category: true });
    expect(again.slice(at + 1).some((x) => !x.local && !x.default_unit && x.serves_category && x.text_score >= again[at].text_score)).toBe(false);
    // Switched off, or with no capacity left, it is not offered.
    await call(app, cast.signed.deptOther, 'PATCH', `/api/resources/${local.body.id}`, { active: false });
    const off = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}/suggestions`)).body.suggestions as any[];
    expect(off.some((x) => x.resource_id === local.body.id)).toBe(false);
    expect((await call(app, cast.signed.leader, 'GET', `/api/cases/${id}/suggestions`)).status).toBe(403);
    expect((await call(app, cast.signed.otherSecretary, 'GET', `/api/cases/${id}/suggestions`)).status).toBe(404);
  });
});
