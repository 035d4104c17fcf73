// 社区大党委 / 包保 through the real app: each community's leaders, lead unit and 3–5 responsible
// units; the case detail offers exactly those units for a whistle; a whistle to any other unit is
// refused by the route with the units' Chinese names (never ids) and by the database for any writer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityPartners } from '@grid-atlas/contract';
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
  cast = await castAround(app, db, '10.71.0');
});
afterAll(() => db?.close());

const names = async (ids: number[]) =>
  (await db.query<{ name: string }>('SELECT name FROM departments WHERE id = ANY ($1::int[]) ORDER BY code', [ids])).rows.map((r) => r.name);

describe('GET /api/communities/:id/partners', () => {
  it('every community has one lead unit and 3–5 responsible units, and two linked leaders', async () => {
    const { rows } = await db.query<{ community_id: number; lead: number; responsible: number }>(
      `SELECT c.id AS community_id,
              count(*) FILTER (WHERE u.role = 'lead')::int AS lead, count(*) FILTER (WHERE u.role = 'responsible')::int AS responsible
         FROM communities c LEFT JOIN community_partner_units u ON u.community_id = c.id GROUP BY c.id`);
    expect(rows).toHaveLength(33);
    for (const r of rows) {
      expect(r.lead, `community ${r.community_id}`).toBe(1);
      expect(r.responsible, `community ${r.community_id}`).toBeGreaterThanOrEqual(3);
      expect(r.responsible, `community ${r.community_id}`).toBeLessThanOrEqual(5);
    }
    // the sizes vary between communities: the rule is not one fixed list
    expect(new Set(rows.map((r) => r.responsible)).size).toBeGreaterThan(1);
  });

  it('answers the secretary with her community\'s leaders and units, the lead unit first, named in Chinese', async () => {
    const r = await call(app, cast.signed.secretary, 'GET', `/api/communities/${cast.grid.community_id}/partners`);
    expect(r.status).toBe(200);
    const body = communityPartners.parse(r.body);
    expect(body.community_id).toBe(cast.grid.community_id);
    expect(body.community_name).toBe('官坡社区');
    expect(body.prefecture_leader).toMatch(/^联系州领导（虚构）.某$/);
    expect(body.city_leader).toMatch(/^联系市领导（虚构）.某$/);
    expect(body.synthetic).toBe(true);
    const { rows } = await db.query<{ department_id: number; role: string }>(
      'SELECT department_id, role FROM community_partner_units WHERE community_id = $1', [cast.grid.community_id]);
    expect(body.units.map((u) => u.department_id).sort((a, b) => a - b)).toEqual(rows.map((u) => u.department_id).sort((a, b) => a - b));
    expect(body.units[0].role).toBe('lead');
    expect(body.units.slice(1).every((u) => u.role === 'responsible')).toBe(true);
    expect(body.units.map((u) => u.name)).toEqual([
      ...(await names([body.units[0].department_id])), ...(await names(body.units.slice(1).map((u) => u.department_id)))]);
  });

  it('is a 404 for a community outside the caller\'s area, and a 400 for a malformed id', async () => {
    const other = (await db.query<{ id: number }>(`SELECT id FROM communities WHERE code = '422801002001'`)).rows[0].id;
    for (const who of ['secretary', 'grid', 'member', 'taskforceCommunity', 'subdistrict'] as const) {
      const r = await call(app, cast.signed[who], 'GET', `/api/communities/${other}/partners`);
      expect(r.status, who).toBe(404);
      expect(r.body.error).toMatch(/社区/);
      expect(r.text).not.toMatch(/解放路/);
    }
    // city-wide roles and a unit's staff read any community
    for (const who of ['leader', 'deptOther', 'taskforce'] as const) {
      expect((await call(app, cast.signed[who], 'GET', `/api/communities/${other}/partners`)).status, who).toBe(200);
    }
    for (const bad of ['0', '01', '1e0', '-1', '2147483648', 'x']) {
      const r = await call(app, cast.signed.leader, 'GET', `/api/communities/${bad}/partners`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error).toMatch(/正整数/);
    }
    expect((await call(app, cast.signed.leader, 'GET', '/api/communities/2147483647/partners')).status).toBe(404);
  });
});

describe('吹哨 offers and accepts exactly the community\'s units', () => {
  it('the case detail lists the community\'s units as whistle_units', async () => {
    const { id } = await fileCase(app, cast);
    const r = await call(app, cast.signed.secretary, 'GET', `/api/cases/${id}`);
    const p = await call(app, cast.signed.secretary, 'GET', `/api/communities/${cast.grid.community_id}/partners`);
    expect(r.body.whistle_units).toEqual(p.body.units);
    expect(r.body.whistle_units.length).toBeGreaterThanOrEqual(4);
    expect(r.body.whistle_units.length).toBeLessThanOrEqual(6);
  });

  it('refuses other units with their Chinese names and the units it may call, never ids, and stores nothing', async () => {
    const { id } = await fileCase(app, cast);
    const before = (await db.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [id])).rows[0].n;
    const r = await call(app, cast.signed.secretary, 'POST', `/api/cases/${id}/actions`,
      { action: 'whistle', department_ids: [cast.partners[0], cast.otherDepartment, cast.assignedDepartment] });
    expect(r.status).toBe(400);
    const [other, assigned] = await names([cast.otherDepartment, cast.assignedDepartment]);
    expect(r.body.error).toContain(other);
    expect(r.body.error).toContain(assigned);
    expect(r.body.error).toMatch(/不是本社区的包保单位/);
    for (const n of await names(cast.partners)) expect(r.body.error).toContain(n);
    // no id of any unit appears in the message
    expect(r.body.error).not.toMatch(/\d/);
    expect((await db.query('SELECT count(*)::int AS n FROM case_whistles WHERE case_id = $1', [id])).rows[0].n).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [id])).rows[0].n).toBe(before);
  });

  it('names a unit that does not exist without its id', async () => {
    const { id } = await fileCase(app, cast);
    const r = await call(app, cast.signed.secretary, 'POST', `/api/cases/${id}/actions`, { action: 'whistle', department_ids: [987654] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/不存在的单位/);
    expect(r.body.error).not.toMatch(/987654/);
  });

  it('accepts the community\'s units', async () => {
    const { id } = await fileCase(app, cast);
    const r = await call(app, cast.signed.secretary, 'POST', `/api/cases/${id}/actions`, { action: 'whistle', department_ids: [...cast.partners] });
    expect(r.status).toBe(200);
    const w = await db.query<{ department_id: number }>('SELECT department_id FROM case_whistles WHERE case_id = $1 ORDER BY department_id', [id]);
    expect(w.rows.map((x) => x.department_id)).toEqual([...cast.partners].sort((a, b) => a - b));
  });

  it('the database refuses a whistle to another unit from any writer, naming the unit', async () => {
    const { id } = await fileCase(app, cast);
    const [other] = await names([cast.otherDepartment]);
    await expect(db.query('INSERT INTO case_whistles (case_id, department_id) VALUES ($1, $2)', [id, cast.otherDepartment]))
      .rejects.toThrow(`${other}不是本社区的包保单位`);
    await db.query('INSERT INTO case_whistles (case_id, department_id) VALUES ($1, $2)', [id, cast.partners[1]]);
    expect((await db.query('SELECT count(*)::int AS n FROM case_whistles WHERE case_id = $1', [id])).rows[0].n).toBe(1);
  });
});
