// 90 days of plausible case history for the embedded demo, deterministic from a seed.
// Each case's life is played out in JavaScript by the same rules the routes and the sweeper
// follow (the transition table's statuses, each stage's clock from the category's limits via
// startStage, an automatic escalation one level up when a limit passes without action), and
// written in bulk: its events, and the case row as the projection of those events at `now`.
// Anything that would happen after `now` has not happened yet, so recent cases are still
// open — some of them already overdue.
//
// Shape: ~65 cases a day, fewer at weekends, a summer bump (rain: flooding, geohazards),
// placed at random households (so dense grids get more), most settled in the grid or the
// community, a few escalated, rejected or duplicates; 70 % of closed cases rated; a tenth of
// the last three weeks' cases stall unclaimed, climb to the city and stay there overdue (with
// seed 20261128 and 90 days: ~110 of ~5,600 cases open and overdue, ~100 of them whistled).
import type pg from 'pg';
import { nextLevel, type CaseLevel, type CaseStage, type CaseStatus } from '@grid-atlas/contract';
import { startStage } from '../cases/clock.ts';
import { ensureEventMonths } from '../cases/event-months.ts';
import type { Db } from '../db/index.ts';
import { analyzeTables } from '../db/statistics.ts';
import { prng } from './prng.ts';

const MIN = 60_000;
const DAY = 1440 * MIN;

interface Clock {
  working_hours: boolean;
  limits: Record<CaseStage, number>;
}
interface Category extends Clock {
  code: string;
  /** The category's Chinese name: what the simulated description shows (never the code). */
  name: string;
  mode: string;
  level: CaseLevel;
  department_id: number | null;
  group: string;
}

// How often each category is filed, relative to 1.
const FREQUENCY: Record<string, number> = {
  garbage: 6, parking: 5, noise: 4, neighbour_dispute: 3, road_damage: 3, streetlight: 3, sewage: 2.5,
  property_dispute: 2.5, street_vending: 2.5, pets: 2, public_facility: 2, elderly_care: 2, errand: 2.5, hardship: 1.5,
  water_supply: 1.5, power_supply: 1.2, elevator: 1, fire_hazard: 1, greenery: 1, pollution: 1, family_dispute: 1,
};
const SUMMER: Record<string, number> = { flooding: 4, geohazard: 3, water_supply: 1.5, power_supply: 1.5 };

interface Ev {
  at: number;
  case: number;
  actor: number | null;
  label: string;
  action: string;
  from: CaseStatus | null;
  to: CaseStatus;
  payload: Record<string, unknown>;
  department: number | null;
}

export interface HistoryOptions {
  days?: number;
  perDay?: number;
  seed?: number;
  now?: Date;
  onProgress?: (m: string) => void;
}

/** Writes the history when there are no cases yet; returns how many cases it wrote. */
export async function seedCaseHistory(db: Db, o: HistoryOptions = {}): Promise<number> {
  const written = await writeCaseHistory(db, o);
  if (written) await analyzeTables(db, ['cases', 'case_events', 'case_whistles', 'case_number_counters']);
  return written;
}

async function writeCaseHistory(db: Db, o: HistoryOptions): Promise<number> {
  const days = o.days ?? 90;
  const perDay = o.perDay ?? 65;
  const now = (o.now ?? new Date()).getTime();
  const rnd = prng(o.seed ?? 20261128);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];

  // The plan is read and played out before the transaction, so other queries take their turns
  // meanwhile; the transaction then checks again that no case was filed in between.
  if ((await db.query('SELECT 1 FROM cases LIMIT 1')).rowCount) return 0;
  // Untyped rows, as a transaction's pg client gives them: each use below reads the columns its query selects.
  const q = async (sql: string, p: unknown[] = []) => (await db.query<any>(sql, p)).rows;
  const homes = await q(`SELECT h.grid_id, g.community_id, cm.subdistrict_id, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat
                           FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id
                          ORDER BY h.id`);
  if (!homes.length) return 0;
  const cats: Category[] = (await q(
    `SELECT c.code, c.name, c.default_mode AS mode, c.default_level AS level, d.id AS department_id, c.group_name AS "group", c.working_hours,
            l.dispatch_minutes, l.claim_minutes, l.handling_minutes, l.verification_minutes
       FROM case_categories c JOIN case_category_limits l ON l.category_code = c.code AND l.priority = 'normal'
       LEFT JOIN departments d ON d.code = c.default_department_code ORDER BY c.sort`)).map((r) => ({
    code: r.code, name: r.name, mode: r.mode, level: r.level, department_id: r.department_id, group: r.group, working_hours: r.working_hours,
    limits: { dispatch: r.dispatch_minutes, claim: r.claim_minutes, handling: r.handling_minutes, verification: r.verification_minutes },
  }));
  const limits = new Map<string, Record<CaseStage, number>>();
  for (const r of await q('SELECT category_code, priority, dispatch_minutes, claim_minutes, handling_minutes, verification_minutes FROM case_category_limits')) {
    limits.set(`${r.category_code}:${r.priority}`, { dispatch: r.dispatch_minutes, claim: r.claim_minutes, handling: r.handling_minutes, verification: r.verification_minutes });
  }
  const partners = new Map<number, number[]>();
  for (const r of await q('SELECT community_id, department_id FROM community_partner_units ORDER BY community_id, department_id')) {
    partners.set(r.community_id, [...(partners.get(r.community_id) ?? []), r.department_id]);
  }
  const departments = (await q('SELECT id FROM departments ORDER BY id')).map((r) => r.id as number);
  // Real accounts where the demo has them, so events name a user as the routes' would.
  const users = await q(`SELECT id, role, subdistrict_id, community_id, grid_id, department_id, display_name FROM users WHERE active`);
  const byKey = new Map<string, { id: number; name: string }>();
  for (const u of users) {
    const key = u.role === 'grid_worker' ? `g${u.grid_id}` : u.role === 'community_secretary' ? `c${u.community_id}`
      : u.role === 'subdistrict_admin' ? `s${u.subdistrict_id}` : u.role === 'department_staff' ? `d${u.department_id}` : u.role;
    if (!byKey.has(key)) byKey.set(key, { id: u.id, name: u.display_name });
  }
  const fallback = byKey.get('admin') ?? byKey.get('task_force') ?? null;

  const caseRows: any[] = [];
  const events: Ev[] = [];
  const whistles: any[] = [];
  const counters = new Map<string, number>();
  const openByGrid = new Map<number, number[]>();
  const weights = (summer: number) => cats.map((c) => (FREQUENCY[c.code] ?? 0.6) * (1 + summer * (SUMMER[c.code] ?? 0)));

  let id = 0;
  const start = now - days * DAY;
  for (let day = 0; day < days; day++) {
    const dayStart = Math.floor((start + day * DAY + 8 * 60 * MIN) / DAY) * DAY - 8 * 60 * MIN; // Shanghai midnight
    const date = new Date(dayStart + 8 * 60 * MIN);
    const dow = date.getUTCDay();
    const month = date.getUTCMonth();
    const summer = month >= 5 && month <= 8 ? 1 : 0;
    const w = weights(summer);
    const wsum = w.reduce((a, b) => a + b, 0);
    const n = Math.round(perDay * (dow === 0 || dow === 6 ? 0.6 : 1) * (1 + 0.25 * summer) * (0.85 + 0.3 * rnd()));
    for (let k = 0; k < n; k++) {
      // Daytime-heavy: 07:00–22:00 mostly.
      const created = dayStart + Math.floor((7 * 60 + (rnd() + rnd() + rnd()) / 3 * 15 * 60) * MIN);
      if (created >= now) continue;
      let x = rnd() * wsum;
      let cat = cats[0];
      for (let i = 0; i < cats.length; i++) if ((x -= w[i]) <= 0) { cat = cats[i]; break; }
      const priority = (() => { const r = rnd(); return r < 0.03 ? 'emergency' : r < 0.15 ? 'urgent' : 'normal'; })();
      const home = pick(homes);
      const clock: Clock = { working_hours: cat.working_hours, limits: limits.get(`${cat.code}:${priority}`) ?? cat.limits };
      const cid = ++id;
      const day8 = new Date(created + 8 * 60 * MIN).toISOString().slice(0, 10);
      const seq = (counters.get(day8) ?? 0) + 1;
      counters.set(day8, seq);
      const row: any = {
        id: cid, number: `ES${day8.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`, category_code: cat.code, priority,
        description: `（模拟历史）${cat.name}`, lon: home.lon, lat: home.lat, reporter_kind: pick(['resident', 'resident', 'grid_worker', 'grid_worker', 'party_member', 'secretary']),
        status: 'submitted', mode: cat.mode, level: cat.level, max_level: cat.level, escalation_count: 0,
        assigned_department_id: null, assigned_cadre_id: null, assigned_grid_id: null,
        dispatch_deadline: null, claim_deadline: null, handling_deadline: null, verification_deadline: null,
        stage_started_at: null, stage_limit_minutes: null, next_check_at: null, duplicate_of: null,
        resolved_at: null, closed_at: null, rating: null, rated_at: null,
        grid_id: home.grid_id, community_id: home.community_id, subdistrict_id: home.subdistrict_id,
        created_at: new Date(created).toISOString(), updated_at: new Date(created).toISOString(), version: 1,
      };
      caseRows.push(row);
      const dispatcher = (level: CaseLevel) => {
        const key = level === 'grid' ? `g${row.grid_id}` : level === 'community' ? `c${row.community_id}` : level === 'subdistrict' ? `s${row.subdistrict_id}` : 'task_force';
        const u = byKey.get(key) ?? (level === 'grid' ? byKey.get(`c${row.community_id}`) : undefined) ?? fallback;
        const label = { grid: '网格员', community: '社区书记', subdistrict: '街道管理员', city: '市级专班' }[level];
        return { actor: u?.id ?? null, label: `${u?.name ?? label}（${label}）` };
      };
      const assigneeWho = () => row.assigned_department_id
        ? { actor: byKey.get(`d${row.assigned_department_id}`)?.id ?? fallback?.id ?? null, label: '承办部门（部门工作人员）' }
        : dispatcher('grid');
      let t = created;
      let status: CaseStatus = 'submitted';
      const stage = (s: CaseStage | null, at: number) => {
        const c = startStage(clock, s, new Date(at));
        row.stage_started_at = c.stage_started_at?.toISOString() ?? null;
        row.stage_limit_minutes = c.stage_limit_minutes;
        row.next_check_at = c.next_check_at?.toISOString() ?? null;
        if (c.deadline) row[c.deadline[0]] = c.deadline[1].toISOString();
        return c.deadline ? c.deadline[1].getTime() : Infinity;
      };
      /** Appends an event if it has happened by now; false when it lies in the future. */
      const ev = (at: number, who: { actor: number | null; label: string }, action: string, to: CaseStatus | 'same', payload: Record<string, unknown> = {}) => {
        if (at >= now) return false;
        const next = to === 'same' ? status : to;
        events.push({ at, case: cid, actor: who.actor, label: who.label, action, from: action === 'submit' ? null : status, to: next, payload, department: row.assigned_department_id });
        status = next;
        row.status = next;
        row.updated_at = new Date(at).toISOString();
        if (to !== 'same' || action === 'rate') row.version++;
        return true;
      };
      const system = { actor: null, label: '系统 (system)' };
      /** The time an action happens: usually within the limit, sometimes late. */
      const after = (from: number, limitMin: number, lateShare: number) =>
        from + Math.max(2, (rnd() < lateShare ? 1.05 + rnd() : 0.05 + 0.6 * rnd() ** 2) * limitMin) * MIN;
      /** Moves to `at` unless the stage's deadline passed first: then the sweeper escalates. */
      const escalateIfLate = (deadline: number, at: number): boolean => {
        const up = nextLevel(row.level);
        if (at <= deadline || !up || deadline >= now) return false;
        const from = row.level;
        ev(deadline, system, 'escalate', 'accepted', { auto: true, from_level: from, to_level: up, reason: '超过时限未处理，自动上报上一级' });
        Object.assign(row, { level: up, escalation_count: row.escalation_count + 1, assigned_department_id: null, assigned_grid_id: null, handling_deadline: null });
        if (['grid', 'community', 'subdistrict', 'city'].indexOf(up) > ['grid', 'community', 'subdistrict', 'city'].indexOf(row.max_level)) row.max_level = up;
        t = deadline;
        return true;
      };

      row.version = 0;
      ev(t, dispatcher('grid'), 'submit', 'submitted', { category: cat.code, priority, level: row.level, mode: row.mode, photos: 0, snapped: false, synthetic: true });
      let deadline = stage('dispatch', t);
      const fate = rnd();
      if (fate < 0.03) { // not accepted (outside the city's remit)
        const at = after(t, clock.limits.dispatch, 0);
        if (ev(at, dispatcher(row.level), 'reject', 'rejected', { reason: '不属于受理范围' })) stage(null, at);
        continue;
      }
      const open = openByGrid.get(row.grid_id) ?? [];
      if (fate < 0.06 && open.length) {
        const orig = open[open.length - 1];
        const at = after(t, clock.limits.dispatch, 0);
        if (ev(at, dispatcher(row.level), 'mark_duplicate', 'duplicate', { duplicate_of: orig })) {
          row.duplicate_of = orig;
          stage(null, at);
        }
        continue;
      }
      open.push(cid);
      openByGrid.set(row.grid_id, open.slice(-5));
      // A share of the last three weeks' cases stalls: nobody claims them. The clock escalates
      // them level by level (as the sweeper would) until the city, where there is no level
      // above, so they stay open past their deadline: the overdue cases the on-time rate and
      // the command centre's overdue layer need. Most of them the community has whistled.
      const stalled = created > now - 21 * DAY && rnd() < 0.1;
      let done = false;
      for (let round = 0; round < 4 && !done; round++) {
        // accept (only in the first round: an escalation lands as accepted)
        if (status === 'submitted') {
          const at = after(t, clock.limits.dispatch * 0.5, 0.03);
          if (escalateIfLate(deadline, at)) { deadline = stage('dispatch', t); continue; }
          if (!ev(at, dispatcher(row.level), 'accept', 'accepted')) break;
          t = at;
        }
        // a dispatcher sometimes hands a matter up by hand (beyond its powers)
        if (row.level !== 'city' && rnd() < (row.level === 'grid' ? 0.12 : 0.05)) {
          const at = t + (5 + 60 * rnd()) * MIN;
          const up = nextLevel(row.level)!;
          if (!ev(at, dispatcher(row.level), 'escalate', 'accepted', { from_level: row.level, to_level: up, reason: '超出本级处置权限' })) break;
          Object.assign(row, { level: up, escalation_count: row.escalation_count + 1 });
          if (['grid', 'community', 'subdistrict', 'city'].indexOf(up) > ['grid', 'community', 'subdistrict', 'city'].indexOf(row.max_level)) row.max_level = up;
          t = at;
          deadline = stage('dispatch', t);
        }
        // dispatch
        let at = after(t, clock.limits.dispatch * 0.5, 0.02);
        if (escalateIfLate(deadline, at)) { deadline = stage('dispatch', t); continue; }
        const consult = row.mode === 'consultation' && row.level !== 'city';
        const dept = consult ? null : (cat.department_id ?? pick(partners.get(row.community_id) ?? departments));
        row.assigned_department_id = dept;
        row.assigned_grid_id = consult ? row.grid_id : null;
        if (!consult && row.mode === 'consultation') row.mode = 'department';
        if (!ev(at, dispatcher(row.level), 'dispatch', 'dispatched', { mode: row.mode, department_id: dept, cadre_id: null, grid_id: row.assigned_grid_id, deadline: null })) {
          row.assigned_department_id = null;
          row.assigned_grid_id = null;
          break;
        }
        t = at;
        deadline = stage('claim', t);
        // whistle the community's units to some bigger matters
        if (row.level !== 'grid' && rnd() < (stalled ? 0.6 : 0.15)) {
          const units = (partners.get(row.community_id) ?? []).slice(0, 1 + Math.floor(rnd() * 2));
          const wAt = t + (10 + 50 * rnd()) * MIN;
          if (units.length && ev(wAt, dispatcher('community'), 'whistle', 'same', { department_ids: units })) {
            for (const d of units) {
              const rAt = wAt + (15 + 240 * rnd() ** 2) * MIN;
              const reported = rAt < now;
              whistles.push({ case_id: cid, department_id: d, whistled_at: new Date(wAt).toISOString(), reported_at: reported ? new Date(rAt).toISOString() : null,
                              whistled_by: dispatcher('community').actor, reported_by: reported ? (byKey.get(`d${d}`)?.id ?? null) : null });
              if (reported) events.push({ at: rAt, case: cid, actor: byKey.get(`d${d}`)?.id ?? null, label: '包保单位（部门工作人员）', action: 'report', from: status, to: status, payload: { department_id: d }, department: row.assigned_department_id });
            }
          }
        }
        // claim (the response)
        at = stalled ? Infinity : after(t, clock.limits.claim, 0.06);
        if (escalateIfLate(deadline, at)) { deadline = stage('dispatch', t); continue; }
        if (!ev(at, assigneeWho(), 'claim', 'claimed')) break;
        t = at;
        deadline = stage('handling', t);
        at = t + (5 + 120 * rnd()) * MIN;
        if (!ev(at, assigneeWho(), 'start', 'in_progress')) break;
        at = after(t, clock.limits.handling, 0.05);
        if (escalateIfLate(deadline, at)) { deadline = stage('dispatch', t); continue; }
        if (!ev(at, assigneeWho(), 'resolve', 'resolved', { note: '已处理完毕' })) break;
        t = at;
        row.resolved_at = new Date(at).toISOString();
        stage('verification', t);
        at = after(t, clock.limits.verification * 0.6, 0.02);
        if (!ev(at, dispatcher('grid'), 'verify', 'verified')) break;
        t = at;
        stage(null, t);
        row.next_check_at = null;
        at = t + (10 + 240 * rnd()) * MIN;
        if (!ev(at, dispatcher(row.level), 'close', 'closed')) break;
        row.closed_at = new Date(at).toISOString();
        t = at;
        done = true;
      }
      if (done && rnd() < 0.7) {
        const r = rnd();
        const rating = r < 0.55 ? 5 : r < 0.85 ? 4 : r < 0.94 ? 3 : r < 0.98 ? 2 : 1;
        const at = t + (60 + 2880 * rnd()) * MIN;
        if (ev(at, dispatcher('grid'), 'rate', 'same', { rating })) {
          row.rating = rating;
          row.rated_at = new Date(at).toISOString();
        }
      }
    }
  }
  // Event ids follow time, as if written live.
  events.sort((a, b) => a.at - b.at || a.case - b.case);
  o.onProgress?.(`写入 ${caseRows.length} 个历史案件、${events.length} 条事件 (case history)`);
  // The months the history spans get their case_events partitions first, in a short transaction
  // of their own (creating one locks case_events for the moment it takes).
  if (events.length) await ensureEventMonths(db, new Date(events[0].at), new Date(events[events.length - 1].at));
  return db.withTransaction(async (client) => {
    await client.query('LOCK TABLE cases IN EXCLUSIVE MODE');
    if ((await client.query('SELECT 1 FROM cases LIMIT 1')).rowCount) return 0;
    await insertChunks(client, caseRows, 2000, `
      INSERT INTO cases (id, number, category_code, priority, description, geom, reporter_kind, status, mode, level, max_level,
                         escalation_count, assigned_department_id, assigned_cadre_id, assigned_grid_id, dispatch_deadline,
                         claim_deadline, handling_deadline, verification_deadline, stage_started_at, stage_limit_minutes,
                         next_check_at, duplicate_of, resolved_at, closed_at, rating, rated_at, grid_id, community_id,
                         subdistrict_id, created_at, updated_at, version)
      SELECT id, number, category_code, priority, description, ST_SetSRID(ST_MakePoint(lon, lat), 4326), reporter_kind, status, mode,
             level, max_level, escalation_count, assigned_department_id, assigned_cadre_id, assigned_grid_id, dispatch_deadline,
             claim_deadline, handling_deadline, verification_deadline, stage_started_at, stage_limit_minutes, next_check_at,
             duplicate_of, resolved_at, closed_at, rating, rated_at, grid_id, community_id, subdistrict_id, created_at, updated_at, version
        FROM json_to_recordset($1::json) AS x (id int, number text, category_code text, priority text, description text, lon float8,
             lat float8, reporter_kind text, status text, mode text, level text, max_level text, escalation_count int,
             assigned_department_id int, assigned_cadre_id int, assigned_grid_id int, dispatch_deadline timestamptz,
             claim_deadline timestamptz, handling_deadline timestamptz, verification_deadline timestamptz,
             stage_started_at timestamptz, stage_limit_minutes int, next_check_at timestamptz, duplicate_of int,
             resolved_at timestamptz, closed_at timestamptz, rating smallint, rated_at timestamptz, grid_id int,
             community_id int, subdistrict_id int, created_at timestamptz, updated_at timestamptz, version int)
       ORDER BY id`);
    const area = new Map(caseRows.map((r) => [r.id, r]));
    await insertChunks(client, events.map((e, i) => {
      const c = area.get(e.case);
      return { id: i + 1, case_id: e.case, at: new Date(e.at).toISOString(), actor_user_id: e.actor, actor_label: e.label, action: e.action,
               from_status: e.from, to_status: e.to, payload: e.payload, grid_id: c.grid_id, community_id: c.community_id,
               subdistrict_id: c.subdistrict_id, department_id: e.department };
    }), 5000, `
      INSERT INTO case_events (id, case_id, at, actor_user_id, actor_label, action, from_status, to_status, payload, grid_id,
                               community_id, subdistrict_id, department_id)
      SELECT * FROM json_to_recordset($1::json) AS x (id bigint, case_id int, at timestamptz, actor_user_id int, actor_label text,
             action text, from_status text, to_status text, payload jsonb, grid_id int, community_id int, subdistrict_id int,
             department_id int)`);
    await insertChunks(client, whistles, 5000, `
      INSERT INTO case_whistles (case_id, department_id, whistled_at, whistled_by, reported_at, reported_by)
      SELECT * FROM json_to_recordset($1::json) AS x (case_id int, department_id int, whistled_at timestamptz, whistled_by int,
             reported_at timestamptz, reported_by int)
      ON CONFLICT DO NOTHING`);
    await client.query(`SELECT setval('cases_id_seq', $1), setval('case_events_id_seq', $2)`, [Math.max(1, caseRows.length), Math.max(1, events.length)]);
    await client.query(
      `INSERT INTO case_number_counters (day, last) SELECT day::date, last FROM json_each_text($1::json) AS x (day, last_text),
              LATERAL (SELECT last_text::int AS last) l
       ON CONFLICT (day) DO UPDATE SET last = greatest(case_number_counters.last, excluded.last)`,
      [JSON.stringify(Object.fromEntries(counters))]);
    return caseRows.length;
  });
}

async function insertChunks(client: pg.PoolClient, rows: unknown[], size: number, sql: string) {
  for (let i = 0; i < rows.length; i += size) await client.query(sql, [JSON.stringify(rows.slice(i, i + size))]);
}
