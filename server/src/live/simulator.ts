// The simulator: keeps the embedded demo alive. Files new cases and moves open ones through
// the workflow as the roles would, through the same functions the routes use (submitCase,
// applyAction: the transition table, scope and clocks all apply). Everything it does is
// marked: it acts as the inactive account `simulator` (so audit entries say so), every actor
// label starts with 模拟, and migration 0007_case_kpis.sql adds `simulated: true` to those events' payload.
// On by default in the embedded demo, off in tests and on PostgreSQL:
// GRID_ATLAS_SIMULATOR=0|1, GRID_ATLAS_SIMULATOR_RATE = actions per minute (default 6).
import { CASE_TRANSITIONS, holdersFor, ROLE_LABELS, type CaseAction, type CaseActionBody, type CaseLevel } from '@grid-atlas/contract';
import type { User } from '../auth/scope.ts';
import { hashPassword } from '../auth/password.ts';
import { submitCase } from '../cases/filing.ts';
import { applyAction, loadHolding } from '../cases/lifecycle.ts';
import { actOnPart, deliberationBlocksResolve, loadDeliberation, partsBlockResolve, recordDeliberationStep } from '../cases/modes.ts';
import { DELIBERATION_STEP_BODIES } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';

export const SIMULATED_LABEL = '模拟';

async function simulatorUserId(db: Db): Promise<number> {
  const found = await db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'simulator'`);
  if (found.rows[0]) return found.rows[0].id;
  // Inactive: nobody can sign in as it; it only gives the simulator's writes an author.
  const hash = await hashPassword(crypto.randomUUID());
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, role, password_hash, active) VALUES ('simulator', '模拟器', 'task_force', $1, false)
     ON CONFLICT (username) DO UPDATE SET active = false RETURNING id`, [hash]);
  return rows[0].id;
}

function actor(id: number, role: User['role'], area: Partial<User>): User {
  return {
    id, username: 'simulator', display_name: `${SIMULATED_LABEL}·${ROLE_LABELS[role]}`, role,
    subdistrict_id: null, community_id: null, grid_id: null, department_id: null, cadre_id: null, ...area,
  };
}

/** The user who would take `action` on the case next: its dispatcher, assignee or verifier. */
function actorFor(simId: number, c: any, action: CaseAction): User {
  const by = CASE_TRANSITIONS[action].by;
  if (by.includes('assignee')) {
    if (c.assigned_department_id) return actor(simId, 'department_staff', { department_id: c.assigned_department_id });
    return actor(simId, 'grid_worker', { grid_id: c.assigned_grid_id ?? c.grid_id });
  }
  if (by.includes('verifier')) return actor(simId, 'grid_worker', { grid_id: c.grid_id });
  const level = c.level as CaseLevel;
  if (level === 'grid') return actor(simId, 'grid_worker', { grid_id: c.grid_id });
  if (level === 'community') return actor(simId, 'community_secretary', { community_id: c.community_id });
  if (level === 'subdistrict') return actor(simId, 'subdistrict_admin', { subdistrict_id: c.subdistrict_id });
  return actor(simId, 'task_force', {});
}

const NEXT: Record<string, CaseAction> = {
  submitted: 'accept', accepted: 'dispatch', dispatched: 'claim', claimed: 'start', in_progress: 'resolve', resolved: 'verify', verified: 'close',
};

/** One step: file a case (one time in three) or move a random open case on. Returns what it did. */
export async function simulateStep(db: Db, simId: number, rnd = Math.random): Promise<string> {
  if (rnd() < 0.35) {
    const { rows } = await db.query<{ lon: number; lat: number; grid_id: number; community_id: number }>(
      `SELECT ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, g.id AS grid_id, g.community_id
         FROM households h JOIN grids g ON g.id = h.grid_id
        WHERE h.id = (SELECT (1 + floor($1::float8 * (SELECT max(id) FROM households)))::int)`, [rnd()]);
    if (!rows[0]) return 'none';
    const cats = (await db.query<{ code: string }>('SELECT code FROM case_categories ORDER BY sort')).rows;
    const category = cats[Math.floor(rnd() * cats.length)].code;
    const u = actor(simId, 'community_secretary', { community_id: rows[0].community_id });
    const r = await submitCase(db, u, { category, lon: rows[0].lon, lat: rows[0].lat, description: `${SIMULATED_LABEL}：演示用案件 (simulated case)` }, []);
    return `submit ${r.number}`;
  }
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM cases WHERE status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', 'resolved', 'verified')
      ORDER BY id DESC OFFSET floor($1::float8 * least(200, (SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'rejected', 'duplicate')))) LIMIT 1`, [rnd()]);
  if (!rows[0]) return 'none';
  return advanceCase(db, simId, rows[0].id);
}

/** Moves one case on by the step its status calls for, as its roles would. Returns what it did. */
export async function advanceCase(db: Db, simId: number, id: number): Promise<string> {
  const c = await loadHolding(db, actor(simId, 'admin', {}), id);
  if (!c) return 'none';
  const action = NEXT[c.status];
  if (!action) return 'none';
  const u = actorFor(simId, c, action);
  if (!holdersFor(c, { ...u, cadre_id: null }).size) return 'none';
  let body: CaseActionBody;
  if (action === 'dispatch') {
    const consult = c.mode === 'consultation' && c.level !== 'city';
    const dept = consult ? null : (await db.query<{ id: number }>(
      `SELECT coalesce((SELECT d.id FROM case_categories cat JOIN departments d ON d.code = cat.default_department_code WHERE cat.code = $1),
                       (SELECT min(department_id) FROM community_partner_units WHERE community_id = $2)) AS id`, [c.category_code, c.community_id])).rows[0].id;
    const partners = c.mode === 'leader_led' || c.mode === 'party_committee';
    body = consult ? { action, mode: 'consultation', grid_worker: true }
      : partners ? { action, mode: c.mode } as CaseActionBody
      : { action, mode: c.mode === 'consultation' ? 'department' : c.mode, department_id: dept! } as CaseActionBody;
  } else if (action === 'resolve') {
    // 协商议办: the 四方共议 takes its next step first; the case is resolved after the decision.
    if (await deliberationBlocksResolve(db, id, c.mode)) {
      const step = (await loadDeliberation(db, id, true))!.next_step!;
      await recordDeliberationStep(db, u, id, { step, by: `${SIMULATED_LABEL}·${DELIBERATION_STEP_BODIES[step]}`, note: `${SIMULATED_LABEL}：议事记录 (simulated)` });
      return `deliberate ${step} ${id}`;
    }
    // 大党委交办: the member units claim and report their parts first.
    if (await partsBlockResolve(db, id, c.mode)) {
      const part = (await db.query<{ department_id: number; claimed: boolean }>(
        `SELECT department_id, claimed_at IS NOT NULL AS claimed FROM case_units
          WHERE case_id = $1 AND mode = 'party_committee' AND reported_at IS NULL ORDER BY department_id LIMIT 1`, [id])).rows[0];
      const staff = actor(simId, 'department_staff', { department_id: part.department_id });
      await actOnPart(db, staff, id, part.claimed ? { action: 'report', note: `${SIMULATED_LABEL}：本单位已完成 (simulated)` } : { action: 'claim' });
      return `part ${part.claimed ? 'report' : 'claim'} ${id}`;
    }
    body = { action, note: `${SIMULATED_LABEL}：已处理 (simulated)` };
  } else {
    body = { action } as CaseActionBody;
  }
  await applyAction(db, u, id, body);
  return `${action} ${id}`;
}

/** Runs the simulator at `perMinute` steps a minute; returns a function that stops it. */
export function startSimulator(db: Db, perMinute: number, onStep: () => void = () => {}): () => void {
  let stopped = false;
  let simId: number | undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    (async () => {
      simId ??= await simulatorUserId(db);
      await simulateStep(db, simId);
      onStep();
    })().catch((err) => {
      // A refused step (a case moved meanwhile, a rule the simulator did not foresee) is skipped.
      if (!(err?.status >= 400 && err?.status < 500)) console.error('[simulator]', err?.message ?? err);
    }).finally(() => { running = false; });
  }, Math.max(100, 60_000 / perMinute));
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
