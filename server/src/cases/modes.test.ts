// 四级联办 routes a case: each handling mode, end to end through the real app, on whichever
// backend the run uses. 协商议办 opens a 四方共议 deliberation whose steps go in one order and
// whose decision comes before the case is resolved. Every refusal is a 4xx with a Chinese
// message and leaves the case, its events and its deliberation exactly as they were.
import { describe, expect, it } from 'vitest';
import { signIn, type Signed } from '../../../test/auth.ts';
import { act, call, caseIn, DELIBERATION, deliberate, fileCase, withCast } from '../../../test/cases.ts';

const t = withCast('10.81.0');

/** What a refusal must leave as it was: the case row's version and status, its events, its deliberation steps. */
async function snapshot(id: number) {
  const one = async (sql: string) => (await t.db.query<any>(sql, [id])).rows[0];
  return {
    case: await one('SELECT status, version, mode, assigned_department_id, assigned_grid_id, assigned_cadre_id FROM cases WHERE id = $1'),
    events: (await one('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1')).n,
    steps: (await t.db.query('SELECT step_no, step, by_name, note FROM case_deliberation_steps WHERE case_id = $1 ORDER BY step_no', [id])).rows,
    opened: (await one('SELECT count(*)::int AS n FROM case_deliberations WHERE case_id = $1')).n,
    units: (await t.db.query('SELECT department_id, mode, role, claimed_at, reported_at, report_note FROM case_units WHERE case_id = $1 ORDER BY department_id', [id])).rows,
    leader: (await t.db.query('SELECT leader_name FROM case_leaders WHERE case_id = $1', [id])).rows,
  };
}

const step = (who: Parameters<typeof call>[1], id: number, body: unknown) => call(t.app, who, 'POST', `/api/cases/${id}/deliberation`, body);

describe('协商议办: a 四方共议 deliberation', () => {
  it('opens on a consultation dispatch, takes its steps in order, and lets the case be resolved only after the decision', async () => {
    const { app, cast } = t;
    const id = await caseIn(app, cast, 'accepted');
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'consultation', grid_worker: true });
    let detail = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`)).body;
    expect(detail.deliberation).toMatchObject({ steps: [], next_step: 'propose', decided: false, may_record: false });

    // Not before the case is claimed.
    let before = await snapshot(id);
    const early = await step(cast.signed.grid, id, { step: 'propose', by: '两长四员', note: '提议' });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/领单/);
    expect(await snapshot(id)).toEqual(before);

    await act(app, cast, 'grid', id, { action: 'claim' });
    detail = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`)).body;
    expect(detail.deliberation.may_record).toBe(true);

    // Out of order: 商议 before 提议 is a 409 naming the step that comes next.
    before = await snapshot(id);
    const skip = await step(cast.signed.grid, id, { step: 'discuss', by: '业主委员会', note: '商议' });
    expect(skip.status).toBe(409);
    expect(skip.body.error).toMatch(/须按顺序.*两长四员提议/);
    expect(await snapshot(id)).toEqual(before);

    // Resolving before the decision is refused with a clear message.
    await act(app, cast, 'grid', id, { action: 'start' });
    before = await snapshot(id);
    const soon = await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'resolve', note: '已处理' });
    expect(soon.status).toBe(409);
    expect(soon.body.error).toMatch(/决议/);
    expect(await snapshot(id)).toEqual(before);

    // The first two steps by the grid worker, the third by the community secretary.
    await deliberate(app, cast, 'grid', id, DELIBERATION.slice(0, 2));
    await deliberate(app, cast, 'secretary', id, DELIBERATION.slice(2, 3));
    // A step already taken is out of order too.
    const again = await step(cast.signed.grid, id, { step: 'propose', by: '两长四员', note: '再次提议' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/已记录/);
    // Still not resolvable with the decision missing.
    expect((await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'resolve', note: '已处理' })).status).toBe(409);
    await deliberate(app, cast, 'grid', id, DELIBERATION.slice(3));

    detail = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`)).body;
    expect(detail.deliberation.decided).toBe(true);
    expect(detail.deliberation.next_step).toBeNull();
    expect(detail.deliberation.steps.map((s: any) => [s.step, s.by_name, s.note])).toEqual(DELIBERATION);
    expect(detail.deliberation.steps[2].recorded_label).toMatch(/社区书记/);
    expect(detail.deliberation.steps.every((s: any) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
    const over = await step(cast.signed.grid, id, { step: 'decide', by: '四方共议', note: '再议' });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatch(/决议已记录/);

    await act(app, cast, 'grid', id, { action: 'resolve', note: '已按决议加装照明' });
    expect((await snapshot(id)).case.status).toBe('resolved');
  });

  it('refuses steps from those who do not handle the consultation, and on cases without one', async () => {
    const { app, cast } = t;
    const id = await caseIn(app, cast, 'accepted');
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'consultation', cadre_id: cast.memberCadre });
    await act(app, cast, 'member', id, { action: 'claim' });
    const before = await snapshot(id);
    const body = { step: 'propose', by: '两长四员', note: '提议' };
    // The grid worker sees the case but does not handle this consultation; the leader reads only.
    for (const who of ['grid', 'leader', 'taskforce'] as const) {
      const r = await step(cast.signed[who], id, body);
      expect(r.status, who).toBe(403);
      expect(r.body.error).toMatch(/四方共议/);
    }
    // Outside their scope: not found.
    for (const who of ['deptOther', 'otherSecretary'] as const) expect((await step(cast.signed[who], id, body)).status, who).toBe(404);
    expect(await snapshot(id)).toEqual(before);
    await deliberate(app, cast, 'member', id, DELIBERATION.slice(0, 1));

    // A department case has no deliberation.
    const dept = await caseIn(app, cast, 'in_progress');
    const before2 = await snapshot(dept);
    const r = await step(cast.signed.deptAssigned, dept, body);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/不是以协商议办派出/);
    expect(await snapshot(dept)).toEqual(before2);
  });

  it('answers bad input with a 4xx and a human message, and changes nothing', async () => {
    const { app, cast } = t;
    const id = await caseIn(app, cast, 'accepted');
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'consultation', grid_worker: true });
    await act(app, cast, 'grid', id, { action: 'claim' });
    const before = await snapshot(id);
    for (const body of [
      {}, { step: 'propose', by: '两长四员' }, { step: 'propose', note: '提议' }, { step: 'vote', by: 'x', note: 'y' },
      { step: 'propose', by: '', note: '提议' }, { step: 'propose', by: '  ', note: '提议' }, { step: 'propose', by: 'x'.repeat(51), note: 'y' },
      { step: 'propose', by: 'x', note: 'y'.repeat(1001) }, { step: 'propose', by: 'x', note: 'y', extra: 1 },
      { step: 1, by: 'x', note: 'y' }, { step: 'propose', by: ['x'], note: 'y' }, null, [],
    ]) {
      const r = await step(cast.signed.grid, id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(/[\u4e00-\u9fff]/);
    }
    const text = await t.app.request(`/api/cases/${id}/deliberation`, {
      method: 'POST', headers: { ...cast.signed.grid.write, 'Content-Type': 'text/plain' }, body: 'propose',
    });
    // A body that is not JSON: refused before it is read (a form post is a CSRF risk, 403; else 415).
    expect([403, 415]).toContain(text.status);
    const broken = await t.app.request(`/api/cases/${id}/deliberation`, { method: 'POST', headers: cast.signed.grid.write, body: '{"step":' });
    expect(broken.status).toBe(400);
    for (const path of ['/api/cases/abc/deliberation', '/api/cases/0/deliberation', '/api/cases/01/deliberation']) {
      expect((await call(app, cast.signed.grid, 'POST', path, { step: 'propose', by: 'x', note: 'y' })).status, path).toBe(400);
    }
    expect((await call(app, cast.signed.grid, 'POST', '/api/cases/999999999/deliberation', { step: 'propose', by: 'x', note: 'y' })).status).toBe(404);
    expect(await snapshot(id)).toEqual(before);
  });
});

describe('部门认责承办: the department by the 权力清单', () => {
  const deptId = async (code: string) => (await t.db.query<{ id: number }>('SELECT id FROM departments WHERE code = $1', [code])).rows[0].id;
  const accepted = async (category: string) => {
    const { id } = await fileCase(t.app, t.cast, { category });
    await act(t.app, t.cast, 'grid', id, { action: 'accept' });
    return id;
  };

  it('dispatches to the unit that held the power the category falls under, and says why', async () => {
    const { app, cast, db } = t;
    // 占道停车: the category's default unit is D01, but the 权力清单's item QL-067 (道路交通设施, item 67) is D10's.
    const id = await accepted('parking');
    const detail = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`)).body;
    const d10 = await deptId('D10');
    expect(d10).not.toBe(await deptId('D01'));
    expect(detail.department_routing).toMatchObject({ department_id: d10, basis: 'power_list', item: { number: 67, code: 'QL-067' } });
    expect(detail.department_routing.reason).toMatch(/^依据权力清单第67项（QL-067 /);
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'department' });
    const row = (await db.query('SELECT status, mode, assigned_department_id FROM cases WHERE id = $1', [id])).rows[0];
    expect(row).toEqual({ status: 'dispatched', mode: 'department', assigned_department_id: d10 });
    const ev = (await db.query<any>(`SELECT payload FROM case_events WHERE case_id = $1 AND action = 'dispatch'`, [id])).rows[0].payload;
    expect(ev).toMatchObject({ department_id: d10, routing: { basis: 'power_list', power_item: 'QL-067' } });
    expect(ev.routing.reason).toMatch(/第67项/);
  });

  it('falls back to the category default unit outside the list, and names a department chosen by hand as it is', async () => {
    const { app, cast, db } = t;
    const id = await accepted('neighbour_dispute');
    const d14 = await deptId('D14');
    const detail = (await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`)).body;
    expect(detail.department_routing).toMatchObject({ department_id: d14, basis: 'category_default', item: null });
    expect(detail.department_routing.reason).toMatch(/不在权力下放清单内/);
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'department' });
    expect((await db.query('SELECT assigned_department_id FROM cases WHERE id = $1', [id])).rows[0].assigned_department_id).toBe(d14);
    // A department named by the dispatcher is taken as named.
    const other = await accepted('parking');
    await act(app, cast, 'grid', other, { action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment });
    expect((await db.query('SELECT assigned_department_id FROM cases WHERE id = $1', [other])).rows[0].assigned_department_id).toBe(cast.assignedDepartment);
  });

  it('refuses a category that names no department with 400, changing nothing', async () => {
    const { app, cast } = t;
    // 代办服务 has neither a power item nor a default unit.
    const id = await accepted('errand');
    expect((await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`)).body.department_routing).toBeNull();
    const before = await snapshot(id);
    const r = await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'dispatch', mode: 'department' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/请指定承办部门/);
    expect(await snapshot(id)).toEqual(before);
  });
});

/** The community's 大党委 units (lead first) with a signed-in staff member of each. */
async function unitStaff() {
  const units = (await t.db.query<{ department_id: number; code: string; role: string }>(
    `SELECT u.department_id, d.code, u.role FROM community_partner_units u JOIN departments d ON d.id = u.department_id
      WHERE u.community_id = $1 ORDER BY u.role = 'lead' DESC, d.code`, [t.cast.grid.community_id])).rows;
  const staff: Signed[] = [];
  for (const [i, u] of units.entries()) staff.push(await signIn(t.app, `dept-${Number(u.code.slice(1))}`, undefined, `10.81.1.${i + 1}`));
  return { units, staff };
}

describe("领导领办: the community's linked city leader leads, its units coordinate", () => {
  it('records the leader and the coordinating units; the lead unit handles the case', async () => {
    const { app, cast, db } = t;
    const { units, staff } = await unitStaff();
    const leader = (await db.query<{ city_leader: string }>('SELECT city_leader FROM community_partners WHERE community_id = $1', [cast.grid.community_id])).rows[0].city_leader;
    const id = await caseIn(app, cast, 'accepted');
    // Named assignees are refused: the mode decides who.
    const before = await snapshot(id);
    for (const extra of [{ department_id: cast.assignedDepartment }, { grid_worker: true }, { cadre_id: cast.memberCadre }]) {
      const r = await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'dispatch', mode: 'leader_led', ...extra });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/联系市领导牵头/);
    }
    expect(await snapshot(id)).toEqual(before);
    // A responsible unit does not see the case before it is routed to it.
    expect((await call(app, staff[1], 'GET', `/api/cases/${id}`)).status).toBe(404);

    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'leader_led' });
    const after = await snapshot(id);
    expect(after.case).toMatchObject({ status: 'dispatched', mode: 'leader_led', assigned_department_id: units[0].department_id });
    expect(after.leader).toEqual([{ leader_name: leader }]);
    expect(after.units.map((u: any) => u.department_id).sort()).toEqual(units.map((u) => u.department_id).sort());
    expect(after.units.every((u: any) => u.mode === 'leader_led')).toBe(true);
    const detail = (await call(app, staff[1], 'GET', `/api/cases/${id}`)).body;
    expect(detail.leader.name).toBe(leader);
    expect(detail.leader.name).toMatch(/^联系市领导（虚构）/);
    expect(detail.units.map((u: any) => [u.department_id, u.role])).toEqual(units.map((u) => [u.department_id, u.role]));
    expect(detail.part_actions).toEqual([]);
    const ev = (await db.query<any>(`SELECT payload FROM case_events WHERE case_id = $1 AND action = 'dispatch'`, [id])).rows[0].payload;
    expect(ev).toMatchObject({ mode: 'leader_led', leader, department_id: units[0].department_id });
    expect(ev.unit_ids).toHaveLength(units.length);
    // The units coordinate; they claim no parts under a leader.
    const part = await call(app, staff[1], 'POST', `/api/cases/${id}/parts`, { action: 'claim' });
    expect(part.status).toBe(403);
    // The department staff's list holds the case for every coordinating unit.
    const listed = await call(app, staff[units.length - 1], 'GET', '/api/cases?status=dispatched&limit=200');
    expect(listed.body.cases.some((c: any) => c.id === id)).toBe(true);

    // The lead unit returns it: the leader and units go with the assignment.
    const r = await call(app, staff[0], 'POST', `/api/cases/${id}/actions`, { action: 'return', reason: '需重新研判' });
    expect(r.status).toBe(200);
    const back = await snapshot(id);
    expect(back.units).toEqual([]);
    expect(back.leader).toEqual([]);
    expect((await call(app, staff[1], 'GET', `/api/cases/${id}`)).status).toBe(404);
  });
});

describe("大党委联动交办: all the community's member units together, each with its part", () => {
  it('routes to every unit; each claims and reports its part; the case is resolved after the last report', async () => {
    const { app, cast } = t;
    const { units, staff } = await unitStaff();
    const id = await caseIn(app, cast, 'accepted');
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'party_committee' });
    const routed = await snapshot(id);
    expect(routed.case).toMatchObject({ mode: 'party_committee', assigned_department_id: units[0].department_id });
    expect(routed.units).toHaveLength(units.length);
    expect(routed.units.every((u: any) => u.mode === 'party_committee' && u.claimed_at === null)).toBe(true);
    expect(routed.leader).toEqual([]);
    for (const s of staff) expect((await call(app, s, 'GET', `/api/cases/${id}`)).body.part_actions).toEqual(['claim']);

    const parts = (s: Signed, body: unknown) => call(app, s, 'POST', `/api/cases/${id}/parts`, body);
    // Refusals change nothing.
    let before = await snapshot(id);
    expect((await parts(staff[1], { action: 'report', note: '已完成' })).status).toBe(409); // before the claim
    for (const who of ['grid', 'secretary', 'leader'] as const) {
      const r = await parts(cast.signed[who], { action: 'claim' });
      expect(r.status, who).toBe(403);
      expect(r.body.error).toMatch(/大党委成员单位/);
    }
    expect((await parts(cast.signed.deptOther, { action: 'claim' })).status).toBe(404);
    for (const body of [{}, { action: 'take' }, { action: 'claim', note: 'x' }, { action: 'report' }, { action: 'report', note: ' ' },
      { action: 'report', note: 'x'.repeat(1001) }, null, 'claim']) {
      const r = await parts(staff[1], body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await call(app, staff[1], 'POST', '/api/cases/abc/parts', { action: 'claim' })).status).toBe(400);
    expect(await snapshot(id)).toEqual(before);

    // The lead unit claims the case itself and starts it; resolving waits for every part.
    await act(app, cast, 'deptPartner', id, { action: 'claim' });
    await act(app, cast, 'deptPartner', id, { action: 'start' });
    for (const [i, s] of staff.entries()) {
      expect((await parts(s, { action: 'claim' })).status).toBe(200);
      if (i === 0) expect((await parts(s, { action: 'claim' })).status).toBe(409);
      if (i < staff.length - 1) {
        const r = await parts(s, { action: 'report', note: `第${i + 1}单位已完成本单位部分` });
        expect(r.status).toBe(200);
        expect(r.body.units[i].reported_at).toBeTruthy();
      }
    }
    before = await snapshot(id);
    const early = await call(app, cast.signed.deptPartner, 'POST', `/api/cases/${id}/actions`, { action: 'resolve', note: '已办结' });
    expect(early.status).toBe(409);
    expect(early.body.error).toContain(`尚未报告：${(await t.db.query('SELECT name FROM departments WHERE id = $1', [units[units.length - 1].department_id])).rows[0].name}`);
    expect(await snapshot(id)).toEqual(before);
    expect((await parts(staff[staff.length - 1], { action: 'report', note: '最后一个单位已完成' })).status).toBe(200);
    expect((await parts(staff[staff.length - 1], { action: 'report', note: '再报一次' })).status).toBe(409);
    await act(app, cast, 'deptPartner', id, { action: 'resolve', note: '各单位均已完成' });
    const detail = (await call(app, staff[1], 'GET', `/api/cases/${id}`)).body;
    expect(detail.case.status).toBe('resolved');
    expect(detail.units.every((u: any) => u.reported_at && u.report_note)).toBe(true);
    expect(detail.part_actions).toEqual([]);
    // Resolved: no more parts.
    expect((await parts(staff[1], { action: 'claim' })).status).toBe(409);
  });

  it("refuses named assignees, and the database refuses a unit that is not the community's", async () => {
    const { app, cast, db } = t;
    const id = await caseIn(app, cast, 'accepted');
    const before = await snapshot(id);
    const r = await call(app, cast.signed.grid, 'POST', `/api/cases/${id}/actions`, { action: 'dispatch', mode: 'party_committee', department_id: cast.partners[1] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/全部大党委成员单位/);
    expect(await snapshot(id)).toEqual(before);
    await expect(db.query(`INSERT INTO case_units (case_id, department_id, mode, role, assigned_at) VALUES ($1, $2, 'party_committee', 'responsible', now())`,
      [id, cast.otherDepartment])).rejects.toThrow(/不是本社区的包保单位/);
  });
});
