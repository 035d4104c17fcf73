// The case sweeper: warnings as a stage's limit nears and escalations once it passes, written
// when they fall due; run every minute in the server process (startCaseSweeper).
import { nextLevel, OPEN_STATUSES, stageOf, type CaseStatus } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { categoryClock } from './categories.ts';
import { stageMoment, startStage } from './clock.ts';
import { appendEvent, escalationColumns } from './lifecycle.ts';
import { clearPartners } from './modes.ts';

export interface SweepResult {
  warnings: number;
  escalations: number;
}

/**
 * Writes the warnings (75 %, 90 % of a stage's limit) and escalations (the limit passed without
 * action: one level up, back to that level's dispatcher) that have fallen due by `now`. Rows are
 * taken FOR UPDATE SKIP LOCKED, so two server processes sweeping at once share the work
 * instead of writing an event twice. Returns what it wrote.
 */
export async function sweepCases(db: Db, now = new Date(), options: { batch?: number; only?: number[] } = {}): Promise<SweepResult> {
  // `only` confines a sweep to some cases: tests that travel in time must not touch other tests' cases.
  const { batch = 200, only = null } = options;
  return db.withTransaction(async (client) => {
    const { rows } = await client.query(
      `SELECT c.id, c.status, c.level, c.max_level, c.escalation_count, c.category_code, c.priority, c.stage_started_at,
              c.stage_limit_minutes, c.stage_warning, c.deadline, cat.working_hours
         FROM cases c JOIN case_categories cat ON cat.code = c.category_code
        WHERE c.next_check_at <= $1 AND c.deadline IS NOT NULL AND ($3::int[] IS NULL OR c.id = ANY ($3))
        ORDER BY c.next_check_at, c.id
        LIMIT $2
        FOR UPDATE OF c SKIP LOCKED`, [now, batch, only]);
    const result: SweepResult = { warnings: 0, escalations: 0 };
    for (const c of rows) {
      const status = c.status as CaseStatus;
      const stage = stageOf(status)!;
      const started: Date = c.stage_started_at;
      const deadline: Date = c.deadline;
      const at = (share: number) => stageMoment(started, c.stage_limit_minutes, share, c.working_hours);
      const t75 = at(0.75);
      const t90 = at(0.9);
      const up = nextLevel(c.level);
      if (now >= deadline && OPEN_STATUSES.includes(status) && up) {
        const clock = (await categoryClock(client, c.category_code, c.priority))!;
        const s = startStage(clock, 'dispatch', now);
        await clearPartners(client, c.id);
        const esc = escalationColumns(c, up);
        await client.query(
          `UPDATE cases SET status = 'accepted', level = $2, max_level = $3, escalation_count = $4,
                  assigned_department_id = NULL, assigned_cadre_id = NULL, assigned_grid_id = NULL, handling_deadline = NULL,
                  dispatch_deadline = $5, stage_started_at = $6, stage_limit_minutes = $7, stage_warning = 0, next_check_at = $8,
                  version = version + 1, updated_at = $6
            WHERE id = $1`,
          [c.id, esc.level, esc.max_level, esc.escalation_count, s.deadline![1], now, s.stage_limit_minutes, s.next_check_at]);
        await appendEvent(client, c.id, null, {
          action: 'escalate', from: status, to: 'accepted', at: now,
          payload: { auto: true, stage, from_level: c.level, to_level: up, deadline: deadline.toISOString(),
                     reason: '超过时限未处理，自动上报上一级 (the stage limit passed without action; escalated one level up)' },
        });
        await audit(client, { userId: null, actor: 'system:case-sweeper', action: 'transition', entity: 'case', entityId: c.id, before: { status, level: c.level }, after: { status: 'accepted', level: up, action: 'escalate' } });
        result.escalations++;
        continue;
      }
      // The highest threshold passed that has not been announced yet; at the city (or while
      // waiting for verification) a passed limit is announced as a 100 % warning instead.
      const percent = now >= deadline ? 100 : now >= t90 ? 90 : now >= t75 ? 75 : 0;
      const next = percent >= 100 ? null : percent >= 90 ? deadline : t90 < deadline ? t90 : deadline;
      if (percent > c.stage_warning) {
        await appendEvent(client, c.id, null, {
          action: 'warning', from: status, to: status, at: now,
          payload: { stage, percent, deadline: deadline.toISOString() },
        });
        result.warnings++;
      }
      await client.query(`UPDATE cases SET stage_warning = greatest(stage_warning, $2), next_check_at = $3 WHERE id = $1`, [c.id, percent, next]);
    }
    return result;
  });
}

/** Runs the sweeper every `intervalMs` in this process; returns a function that stops it. */
export function startCaseSweeper(db: Db, intervalMs = 60_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepCases(db)
      .then((r) => { if (r.warnings || r.escalations) console.log(`[cases] sweeper: ${r.warnings} warning(s), ${r.escalations} escalation(s)`); })
      .catch((err) => console.error('[cases] sweeper failed:', err))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
