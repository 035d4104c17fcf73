// Writes a case and its events straight into the tables, for tests that need cases in a
// given state at given times (KPIs, the live stream) without walking the workflow.
// The case row is whatever the caller says; the events are the caller's history of it.
import type { Db } from '../server/src/db/index.ts';

export interface FixtureEvent {
  action: string;
  at: Date;
  from?: string | null;
  to: string;
  actor?: number | null;
  label?: string;
  payload?: Record<string, unknown>;
  department_id?: number | null;
}

export interface FixtureCase {
  grid_id: number;
  category?: string;
  status: string;
  level?: string;
  max_level?: string;
  created_at: Date;
  assigned_department_id?: number | null;
  claim_deadline?: Date | null;
  handling_deadline?: Date | null;
  verification_deadline?: Date | null;
  dispatch_deadline?: Date | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
  rating?: number | null;
  reporter_phone?: string | null;
  events?: FixtureEvent[];
}

let serial = 0;

/** Inserts the case and its events in one transaction; returns the case id and event ids. */
export async function insertCase(db: Db, c: FixtureCase): Promise<{ id: number; events: number[] }> {
  return db.withTransaction(async (client) => {
    const n = `${process.pid % 10000}${String(++serial).padStart(4, '0')}`;
    const { rows } = await client.query(
      `INSERT INTO cases (number, category_code, priority, description, geom, reporter_kind, reporter_phone, status, mode, level,
                          max_level, assigned_department_id, dispatch_deadline, claim_deadline, handling_deadline,
                          verification_deadline, resolved_at, closed_at, rating, grid_id, community_id, subdistrict_id,
                          created_at, updated_at)
       SELECT 'ES20990101-' || $1, $2, 'normal', '测试事件（fixture）', ST_PointOnSurface(g.geom), 'resident', $3, $4, 'department', $5,
              $6, $7, $8, $9, $10, $11, $12, $13, $14, g.id, g.community_id, cm.subdistrict_id, $15, $15
         FROM grids g JOIN communities cm ON cm.id = g.community_id WHERE g.id = $16
       RETURNING id, grid_id, community_id, subdistrict_id`,
      [n, c.category ?? 'garbage', c.reporter_phone ?? null, c.status, c.level ?? 'grid', c.max_level ?? c.level ?? 'grid',
       c.assigned_department_id ?? null, c.dispatch_deadline ?? null, c.claim_deadline ?? null, c.handling_deadline ?? null,
       c.verification_deadline ?? null, c.resolved_at ?? null, c.closed_at ?? null, c.rating ?? null, c.created_at, c.grid_id]);
    const row = rows[0];
    const ids: number[] = [];
    for (const e of c.events ?? []) {
      const r = await client.query(
        `INSERT INTO case_events (case_id, at, actor_user_id, actor_label, action, from_status, to_status, payload,
                                  grid_id, community_id, subdistrict_id, department_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [row.id, e.at, e.actor ?? null, e.label ?? (e.actor === null ? '系统' : '测试'), e.action, e.from ?? null, e.to,
         JSON.stringify(e.payload ?? {}), row.grid_id, row.community_id, row.subdistrict_id,
         e.department_id === undefined ? (c.assigned_department_id ?? null) : e.department_id]);
      ids.push(Number(r.rows[0].id));
    }
    return { id: row.id, events: ids };
  });
}

/** Appends one event to an existing case (its area copied from the case). */
export async function appendEvent(db: Db, caseId: number, e: Omit<FixtureEvent, 'at'> & { at?: Date }): Promise<number> {
  const { rows } = await db.query(
    `INSERT INTO case_events (case_id, at, actor_user_id, actor_label, action, from_status, to_status, payload,
                              grid_id, community_id, subdistrict_id, department_id)
     SELECT c.id, coalesce($2, now()), $3, $4, $5, $6, $7, $8, c.grid_id, c.community_id, c.subdistrict_id,
            coalesce($9, c.assigned_department_id)
       FROM cases c WHERE c.id = $1 RETURNING id`,
    [caseId, e.at ?? null, e.actor ?? null, e.label ?? '测试', e.action, e.from ?? null, e.to, JSON.stringify(e.payload ?? {}),
     e.department_id ?? null]);
  return Number(rows[0].id);
}
