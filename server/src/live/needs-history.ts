// 90 days of the needs list for the embedded demo, deterministic from a seed, so a leader or a
// secretary opening /needs sees a list that has been worked: needs gathered at households'
// doors, most passed up the chain and fulfilled by a unit, some declined on the way (with the
// reason), recent ones still climbing, and some stalled for more than a week (the task force's
// work). Each need's steps follow the chain of the contract's NEED_STEPS, by the role that holds
// each one; steps that would happen after `now` have not happened yet. Written only when the
// needs table is empty.
import { NEED_STEPS, ROLE_LABELS, type NeedAction, type NeedBody, type NeedStatus, type Role } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import { prng } from './prng.ts';

const DAY = 86_400_000;

/** What residents ask for, and the case category each is filed under (it decides the matching units). */
export const NEED_IDEAS: readonly [title: string, category: string][] = [
  ['楼道加装扶手', 'public_facility'], ['老旧小区加装电梯', 'elevator'], ['增设社区老年助餐点', 'elderly_care'],
  ['独居老人定期探访', 'elderly_care'], ['残疾人上门康复服务', 'elderly_care'], ['小区路灯增补', 'streetlight'],
  ['背街小巷路面硬化', 'road_damage'], ['增设垃圾分类投放点', 'garbage'], ['化粪池定期清掏', 'sewage'],
  ['雨污管网改造', 'sewage'], ['增设停车泊位', 'parking'], ['小区出入口施划标线', 'traffic_facility'],
  ['健身器材更新', 'public_facility'], ['增设电动车集中充电桩', 'fire_hazard'], ['楼栋消防器材配置', 'fire_hazard'],
  ['二次供水水箱清洗', 'water_supply'], ['老旧线路改造', 'power_supply'], ['燃气管道入户安全检查', 'gas_safety'],
  ['小区绿化补植', 'greenery'], ['困难家庭子女课后托管', 'hardship'], ['代缴水电气费', 'errand'],
  ['防汛沙袋储备点', 'flooding'], ['小区出入口安装监控', 'public_order'], ['物业服务质量评议', 'property_dispute'],
  ['流浪犬收容', 'pets'], ['便民菜摊规范设点', 'street_vending'],
];

/** Days each step takes after the one before (min, max); a stalled need waits 4–8 times longer once. */
const STEP_DAYS: Partial<Record<NeedAction, [number, number]>> = {
  judge: [0.5, 3], screen: [1, 4], compile: [2, 6], report: [2, 7], dispatch: [1, 5], claim: [0.5, 3], fulfil: [3, 20],
};
const DECLINE_SHARE: Partial<Record<NeedStatus, number>> = { gathered: 0.06, judged: 0.05, screened: 0.05, compiled: 0.04 };
const DECLINE_REASONS = ['已纳入老旧小区改造计划统筹解决', '属于业主自治事项，已引导业委会协商', '与已有需求重复，已合并办理', '不属于公共服务范围，已向居民解释'];

export interface NeedPlace { grid_id: number; community_id: number; subdistrict_id: number; lon: number; lat: number }
export interface NeedResource { id: number; department_id: number; categories: string[]; community_ids: number[] | null; default_for: string[] }

export interface PlannedStep { action: NeedAction; from: NeedStatus | null; to: NeedStatus; at: number; role: Role; note: string }
export interface PlannedNeed {
  title: string; category: string; building: string; households: number; place: NeedPlace;
  status: NeedStatus; body: NeedBody | null; resource: NeedResource | null; created: number; updated: number; steps: PlannedStep[];
}

/**
 * Plays out each need's chain in memory. `places` are households' points (so dense grids get
 * more needs); `resources` the units' active entries. Pure: the same inputs give the same needs.
 */
export function planNeedsHistory(places: NeedPlace[], resources: NeedResource[], o: { now: number; days?: number; count?: number; seed?: number }): PlannedNeed[] {
  const rnd = prng(o.seed ?? 20261128);
  const days = o.days ?? 90;
  const count = o.count ?? 330;
  const between = ([lo, hi]: [number, number]) => lo + (hi - lo) * rnd();
  const out: PlannedNeed[] = [];
  for (let i = 0; i < count; i++) {
    const place = places[Math.floor(rnd() * places.length)];
    const [title, category] = NEED_IDEAS[Math.floor(rnd() * NEED_IDEAS.length)];
    const created = o.now - days * DAY * rnd() ** 0.8; // somewhat more of them recent
    const need: PlannedNeed = {
      title, category, building: `${1 + Math.floor(rnd() * 12)}栋`, households: 1 + Math.floor(rnd() ** 2 * 40), place,
      status: 'gathered', body: null, resource: null, created, updated: created,
      steps: [{ action: 'gather', from: null, to: 'gathered', at: created, role: rnd() < 0.5 ? 'grid_worker' : 'party_member', note: '' }],
    };
    // Units whose entries serve the category here: the category's own unit first, then local ones.
    const fits = resources.filter((r) => r.categories.includes(category) && (r.community_ids === null || r.community_ids.includes(place.community_id)))
      .sort((a, b) => Number(b.default_for.includes(category)) - Number(a.default_for.includes(category))
        || Number(b.community_ids !== null) - Number(a.community_ids !== null) || a.id - b.id);
    const stallAt = rnd() < 0.15 ? Math.floor(rnd() * 6) : -1;
    let t = created;
    for (let k = 0; ; k++) {
      const step = NEED_STEPS[need.status];
      if (!step) break;
      const at = t + between(STEP_DAYS[step.action] ?? [1, 3]) * DAY * (k === stallAt ? 4 + 4 * rnd() : 1);
      if (at >= o.now) break; // not yet
      const decline = rnd() < (DECLINE_SHARE[need.status] ?? 0);
      if (step.action === 'dispatch') {
        if (!fits.length) break; // no unit offers it: it waits at the subdistrict's report
        need.resource = rnd() < 0.75 ? fits[0] : fits[Math.floor(rnd() * fits.length)];
      }
      if (step.action === 'judge') need.body = rnd() < 0.6 ? 'two_heads_four_members' : 'building_party_group';
      const to: NeedStatus = decline ? 'declined' : step.to;
      const role: Role = step.action === 'claim' || step.action === 'fulfil' ? 'department_staff' : step.by[0];
      const note = decline ? DECLINE_REASONS[Math.floor(rnd() * DECLINE_REASONS.length)] : step.action === 'fulfil' ? '已办结，居民满意' : '';
      need.steps.push({ action: decline ? 'decline' : step.action, from: need.status, to, at, role, note });
      need.status = to;
      need.updated = at;
      t = at;
      if (decline) break;
    }
    out.push(need);
  }
  return out;
}

/** Writes the planned needs when there are none yet; returns how many it wrote. */
export async function seedNeedsHistory(db: Db, o: { now?: Date; seed?: number } = {}): Promise<number> {
  const now = (o.now ?? new Date()).getTime();
  return db.withTransaction(async (client) => {
    await client.query('LOCK TABLE needs IN EXCLUSIVE MODE');
    if ((await client.query('SELECT 1 FROM needs LIMIT 1')).rowCount) return 0;
    const places = (await client.query<NeedPlace>(
      `SELECT h.grid_id, g.community_id, cm.subdistrict_id, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat
         FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id ORDER BY h.id`)).rows;
    if (!places.length) return 0;
    const resources = (await client.query<NeedResource>(
      `SELECT r.id, r.department_id, r.categories, r.community_ids,
              ARRAY(SELECT c.code FROM case_categories c WHERE c.default_department_code = d.code) AS default_for
         FROM department_resources r JOIN departments d ON d.id = r.department_id
        WHERE r.active AND r.capacity > 0 ORDER BY r.id`)).rows;
    // Demo accounts name the people where the demo has them; the steps keep their role either way.
    const users = (await client.query<{ id: number; role: Role; grid_id: number | null; community_id: number | null; subdistrict_id: number | null; department_id: number | null; display_name: string }>(
      'SELECT id, role, grid_id, community_id, subdistrict_id, department_id, display_name FROM users WHERE active ORDER BY id')).rows;
    const who = (role: Role, n: PlannedNeed): { id: number | null; name: string } => {
      const u = users.find((x) => x.role === role && (
        role === 'grid_worker' || role === 'party_member' ? x.grid_id === n.place.grid_id
          : role === 'community_secretary' ? x.community_id === n.place.community_id
            : role === 'subdistrict_admin' ? x.subdistrict_id === n.place.subdistrict_id
              : role === 'department_staff' ? x.department_id === n.resource?.department_id : false));
      return { id: u?.id ?? null, name: u?.display_name ?? `${ROLE_LABELS[role]}（模拟）` };
    };
    const planned = planNeedsHistory(places, resources, { now, seed: o.seed });
    const branches = new Map((await client.query<{ grid_id: number; branch_id: number }>(
      'SELECT DISTINCT ON (grid_id) grid_id, branch_id FROM area_branch_grids ORDER BY grid_id, branch_id')).rows.map((r) => [r.grid_id, r.branch_id]));
    const iso = (t: number) => new Date(t).toISOString();
    for (const n of planned) {
      const claimer = n.steps.find((s) => s.action === 'claim') ? who('department_staff', n) : null;
      // A claim needs an account (claimed_by); without the unit's demo account it waits at dispatched.
      if (claimer && claimer.id === null) {
        const k = n.steps.findIndex((s) => s.action === 'claim');
        n.steps = n.steps.slice(0, k);
        n.status = 'dispatched';
        n.updated = n.steps[k - 1].at;
      }
      const screened = n.steps.some((s) => s.action === 'screen');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO needs (title, description, category_code, building, households, geom, grid_id, community_id, subdistrict_id,
                            status, body, branch_id, department_id, resource_id, claimed_by, created_by, created_at, updated_at, version)
         VALUES ($1, '（模拟历史）', $2, $3, $4, ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326), $7, $8, $9,
                 $10, $11, $12, $13, $14, $15, NULL, $16, $17, $18) RETURNING id`,
        [n.title, n.category, n.building, n.households, n.place.lon, n.place.lat, n.place.grid_id, n.place.community_id, n.place.subdistrict_id,
         n.status, n.body, screened ? (branches.get(n.place.grid_id) ?? null) : null,
         n.resource && n.steps.some((s) => s.action === 'dispatch') ? n.resource.department_id : null,
         n.resource && n.steps.some((s) => s.action === 'dispatch') ? n.resource.id : null,
         ['claimed', 'fulfilled'].includes(n.status) ? claimer?.id ?? null : null,
         iso(n.created), iso(n.updated), n.steps.length]);
      const people = n.steps.map((s) => who(s.role, n));
      await client.query(
        `INSERT INTO need_steps (need_id, action, from_status, to_status, user_id, actor, role, note, at)
         SELECT $1, t.action, t.from_status, t.to_status, t.user_id, t.actor, t.role, t.note, t.at
           FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
                AS t (action, from_status, to_status, user_id, actor, role, note, at)`,
        [rows[0].id, n.steps.map((s) => s.action), n.steps.map((s) => s.from), n.steps.map((s) => s.to), people.map((p) => p.id),
         people.map((p) => p.name), n.steps.map((s) => s.role), n.steps.map((s) => s.note), n.steps.map((s) => iso(s.at))]);
    }
    return planned.length;
  });
}
