// 三级考评 of people and units (the areas are scored by GET /kpis):
//   GET /evaluation?subject=partner_unit|resident_unit|vanguard_member|sunk_member[&community=&limit=&offset=]
//       every signed-in role: the subject's rows ranked by score, each with its rates and the
//       source figures they come from, and the weights used. Units are the city's; people are
//       those of the caller's area (the team's or area branch's community), their names only
//       for the roles that see staff names and the administrator.
//   PUT /evaluation/weights   the administrator: one subject's weights (audited)
// Every figure counts the last EVALUATION_DAYS days (cases by their filing, whistles, 大党委 parts,
// needs and progress reports by their time), except what a person or unit holds now (包保
// communities, linked households, the team's tasks and their progress). A score is
// Σ weight × rate ÷ Σ weight over the rates that are defined, as 0–100, computed in SQL.
import { Hono } from 'hono';
import {
  EVALUATION_DAYS, EVALUATION_METRICS, EVALUATION_SUBJECT_LABELS, evaluationQuery, evaluationWeightsBody, seesPersonalData,
  type EvaluationResponse, type EvaluationRow, type EvaluationSubject, type EvaluationWeightsResponse,
} from '@grid-atlas/contract';
import { requireRole } from '../auth/authorize.ts';
import { assertVisible, scopeParams } from '../auth/scope.ts';
import { audit } from '../audit/index.ts';
import type { Db, Queryable } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest } from '../http/errors.ts';
import { requireJson, validJson, validQuery } from '../http/validate.ts';

// Parameters: $1 from, $2 to, $3–$6 the caller's scope, $7 the community filter, $8 names shown.
const COMMUNITY_IN_SCOPE = `($3::boolean OR c.subdistrict_id = $4::int OR c.id = $5::int
  OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $6::int))
  AND ($7::int IS NULL OR c.id = $7::int)`;
/** Every parameter named, so PostgreSQL types the ones a subject does not use. */
const TYPE_ALL = `($3::boolean OR $4::int IS NULL OR $5::int IS NULL OR $6::int IS NULL OR $7::int IS NULL OR $8::boolean)`;
const ratio = (num: string, den: string) => `(${num})::float8 / nullif(${den}, 0)`;

/** Each subject: rows of (id, name, community_name, figures jsonb, rates jsonb). */
const BASE: Record<EvaluationSubject, string> = {
  // a unit in its 包保 role: the communities it is linked to, the whistles blown to it, its parts
  // of the cases handed to the 大党委, and the cases of its communities
  partner_unit: `
    WITH pu AS (SELECT department_id, count(*)::int AS communities FROM community_partner_units GROUP BY department_id),
    w AS (SELECT department_id, count(*)::int AS whistles, count(reported_at)::int AS reported
            FROM case_whistles WHERE whistled_at >= $1 AND whistled_at < $2 GROUP BY department_id),
    p AS (SELECT department_id, count(*)::int AS parts, count(reported_at)::int AS reported
            FROM case_units WHERE mode = 'party_committee' AND assigned_at >= $1 AND assigned_at < $2 GROUP BY department_id),
    cc AS (SELECT u.department_id,
                  count(*) FILTER (WHERE k.accepted_at IS NOT NULL)::int AS accepted,
                  count(*) FILTER (WHERE k.accepted_at IS NOT NULL AND k.resolved_at IS NOT NULL)::int AS resolved,
                  count(*) FILTER (WHERE k.rating IS NOT NULL)::int AS rated,
                  count(*) FILTER (WHERE k.rating >= 4)::int AS satisfied
             FROM community_partner_units u
             JOIN cases k ON k.community_id = u.community_id AND k.created_at >= $1 AND k.created_at < $2
            GROUP BY u.department_id)
    SELECT d.id, d.name, NULL::text AS community_name,
           jsonb_build_object('communities', pu.communities,
             'whistles', coalesce(w.whistles, 0), 'whistles_reported', coalesce(w.reported, 0),
             'parts', coalesce(p.parts, 0), 'parts_reported', coalesce(p.reported, 0),
             'community_accepted', coalesce(cc.accepted, 0), 'community_resolved', coalesce(cc.resolved, 0),
             'community_rated', coalesce(cc.rated, 0), 'community_satisfied', coalesce(cc.satisfied, 0)) AS figures,
           jsonb_build_object('whistle_rate', ${ratio('w.reported', 'w.whistles')},
             'party_committee_rate', ${ratio('p.reported', 'p.parts')},
             'community_resolution_rate', ${ratio('cc.resolved', 'cc.accepted')},
             'community_satisfaction_rate', ${ratio('cc.satisfied', 'cc.rated')}) AS rates
      FROM departments d JOIN pu ON pu.department_id = d.id
      LEFT JOIN w ON w.department_id = d.id LEFT JOIN p ON p.department_id = d.id LEFT JOIN cc ON cc.department_id = d.id
     WHERE ${TYPE_ALL}`,
  // a unit handling what is dispatched to it (部门承办): its cases and the needs its resources took
  resident_unit: `
    WITH k AS (SELECT assigned_department_id AS department_id,
                      count(*) FILTER (WHERE dispatched_at IS NOT NULL AND (claimed_at IS NOT NULL OR claim_deadline < $2))::int AS dispatched_due,
                      count(*) FILTER (WHERE claimed_at IS NOT NULL AND claimed_at <= claim_deadline)::int AS responded_on_time,
                      count(*) FILTER (WHERE accepted_at IS NOT NULL)::int AS accepted,
                      count(*) FILTER (WHERE accepted_at IS NOT NULL AND resolved_at IS NOT NULL)::int AS resolved,
                      count(*) FILTER (WHERE resolved_at IS NOT NULL AND (handling_deadline IS NULL OR resolved_at <= handling_deadline))::int AS resolved_on_time
                 FROM cases WHERE assigned_department_id IS NOT NULL AND created_at >= $1 AND created_at < $2 GROUP BY 1),
    n AS (SELECT department_id, count(*) FILTER (WHERE status IN ('dispatched', 'claimed', 'fulfilled'))::int AS taken,
                 count(*) FILTER (WHERE status = 'fulfilled')::int AS fulfilled
            FROM needs WHERE department_id IS NOT NULL AND created_at >= $1 AND created_at < $2 GROUP BY 1)
    SELECT d.id, d.name, NULL::text AS community_name,
           jsonb_build_object('dispatched_due', coalesce(k.dispatched_due, 0), 'responded_on_time', coalesce(k.responded_on_time, 0),
             'accepted', coalesce(k.accepted, 0), 'resolved', coalesce(k.resolved, 0), 'resolved_on_time', coalesce(k.resolved_on_time, 0),
             'needs_taken', coalesce(n.taken, 0), 'needs_fulfilled', coalesce(n.fulfilled, 0)) AS figures,
           jsonb_build_object('response_rate', ${ratio('k.responded_on_time', 'k.dispatched_due')},
             'resolution_rate', ${ratio('k.resolved', 'k.accepted')},
             'on_time_rate', ${ratio('k.resolved_on_time', 'k.resolved')},
             'need_rate', ${ratio('n.fulfilled', 'n.taken')}) AS rates
      FROM departments d LEFT JOIN k ON k.department_id = d.id LEFT JOIN n ON n.department_id = d.id
     WHERE ${TYPE_ALL}`,
  // a member of a 红色尖刀班: the team's tasks and their progress, the tasks they reported on
  vanguard_member: `
    WITH tt AS (SELECT team_id, count(*)::int AS tasks, avg(done::float8 / target) AS progress FROM vanguard_tasks WHERE withdrawn_at IS NULL GROUP BY team_id),
    r AS (SELECT member_id, count(*)::int AS reports, count(DISTINCT task_id)::int AS tasks
            FROM vanguard_task_updates WHERE at >= $1 AND at < $2 GROUP BY member_id)
    SELECT m.id, CASE WHEN $8::boolean THEN coalesce(cd.name, w.name) END AS name, c.name AS community_name,
           jsonb_build_object('team_tasks', coalesce(tt.tasks, 0), 'progress_pct', coalesce(round((100 * tt.progress)::numeric, 1)::float8, 0),
             'tasks_reported', coalesce(r.tasks, 0), 'reports', coalesce(r.reports, 0)) AS figures,
           jsonb_build_object('team_progress', tt.progress, 'task_coverage', ${ratio('coalesce(r.tasks, 0)', 'tt.tasks')}) AS rates
      FROM vanguard_members m JOIN vanguard_teams t ON t.id = m.team_id JOIN communities c ON c.id = t.community_id
      LEFT JOIN cadres cd ON cd.id = m.cadre_id LEFT JOIN community_workers w ON w.id = m.worker_id
      LEFT JOIN tt ON tt.team_id = t.id LEFT JOIN r ON r.member_id = m.id
     WHERE m.left_at IS NULL AND ${COMMUNITY_IN_SCOPE} AND ${TYPE_ALL}`,
  // a sunk member (下沉党员): the households linked through their area branch, the cases of the
  // branch's grids, and their part in a 红色尖刀班 when they are on one
  sunk_member: `
    WITH bc AS (SELECT ab.branch_id,
                       count(*) FILTER (WHERE k.accepted_at IS NOT NULL)::int AS accepted,
                       count(*) FILTER (WHERE k.accepted_at IS NOT NULL AND k.resolved_at IS NOT NULL)::int AS resolved,
                       count(*) FILTER (WHERE k.rating IS NOT NULL)::int AS rated,
                       count(*) FILTER (WHERE k.rating >= 4)::int AS satisfied
                  FROM area_branch_grids ab JOIN cases k ON k.grid_id = ab.grid_id AND k.created_at >= $1 AND k.created_at < $2
                 GROUP BY ab.branch_id),
    hl AS (SELECT cadre_id, count(*)::int AS households FROM cadre_household_links WHERE kind = 'branch' GROUP BY cadre_id),
    tt AS (SELECT team_id, count(*)::int AS tasks FROM vanguard_tasks WHERE withdrawn_at IS NULL GROUP BY team_id),
    vm AS (SELECT m.cadre_id, tt.tasks AS team_tasks,
                  (SELECT count(DISTINCT u.task_id)::int FROM vanguard_task_updates u
                    WHERE u.member_id = m.id AND u.at >= $1 AND u.at < $2) AS tasks_reported
             FROM vanguard_members m LEFT JOIN tt ON tt.team_id = m.team_id WHERE m.cadre_id IS NOT NULL AND m.left_at IS NULL)
    SELECT cd.id, CASE WHEN $8::boolean THEN cd.name END AS name, c.name AS community_name,
           jsonb_build_object('households_linked', coalesce(hl.households, 0),
             'branch_accepted', coalesce(bc.accepted, 0), 'branch_resolved', coalesce(bc.resolved, 0),
             'branch_rated', coalesce(bc.rated, 0), 'branch_satisfied', coalesce(bc.satisfied, 0),
             'team_tasks', coalesce(vm.team_tasks, 0), 'tasks_reported', coalesce(vm.tasks_reported, 0)) AS figures,
           jsonb_build_object('branch_resolution_rate', ${ratio('bc.resolved', 'bc.accepted')},
             'branch_satisfaction_rate', ${ratio('bc.satisfied', 'bc.rated')},
             'vanguard_coverage', ${ratio('vm.tasks_reported', 'vm.team_tasks')}) AS rates
      FROM cadres cd JOIN area_branches b ON b.id = cd.branch_id JOIN communities c ON c.id = b.community_id
      LEFT JOIN bc ON bc.branch_id = b.id LEFT JOIN hl ON hl.cadre_id = cd.id LEFT JOIN vm ON vm.cadre_id = cd.id
     WHERE cd.kind = 'sunk' AND ${COMMUNITY_IN_SCOPE} AND ${TYPE_ALL}`,
};

/**
 * The subject's rows scored with its weights ($9 the subject), ranked (equal scores share a
 * rank; no score, no rank), one page ($10 limit, $11 offset); the total rides on every row, and
 * an empty page is one row with a NULL id that carries it.
 */
const scoredSql = (subject: EvaluationSubject) => `
  WITH base AS (${BASE[subject]}),
  scored AS (
    SELECT b.*, (SELECT round((100 * sum(w.weight::float8 * (b.rates->>w.metric)::float8) / nullif(sum(w.weight::float8), 0))::numeric, 2)::float8
                   FROM evaluation_weights w
                  WHERE w.subject = $9 AND w.weight > 0 AND jsonb_typeof(b.rates->w.metric) = 'number') AS score
      FROM base b),
  ranked AS (
    SELECT s.*, CASE WHEN s.score IS NOT NULL THEN rank() OVER (ORDER BY s.score DESC NULLS LAST)::int END AS rank FROM scored s),
  page AS (SELECT * FROM ranked ORDER BY score DESC NULLS LAST, id LIMIT $10 OFFSET $11)
  SELECT n.total, page.id, page.name, page.community_name, page.score, page.rank, page.rates, page.figures
    FROM (SELECT count(*)::int AS total FROM scored) n LEFT JOIN page ON true
   ORDER BY page.score DESC NULLS LAST, page.id`;

async function readWeights(db: Queryable, subject: EvaluationSubject) {
  return (await db.query<{ metric: string; label: string; weight: number }>(
    'SELECT metric, label, weight::float8 AS weight FROM evaluation_weights WHERE subject = $1 ORDER BY sort, metric', [subject])).rows;
}

export function evaluationRoutes(db: Db) {
  return new Hono<AppEnv>()
    .get('/evaluation', validQuery(evaluationQuery), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      const people = q.subject === 'vanguard_member' || q.subject === 'sunk_member';
      if (q.community !== undefined) {
        if (!people) throw badRequest(`${EVALUATION_SUBJECT_LABELS[q.subject]}不按社区筛选 (community filters people only)`);
        await assertVisible(db, u, 'community', q.community);
      }
      const to = new Date();
      const from = new Date(to.getTime() - EVALUATION_DAYS * 86_400_000);
      const names = u.role === 'admin' || seesPersonalData(u.role);
      const [rows, weights] = await Promise.all([
        db.query<EvaluationRow & { total: number }>(scoredSql(q.subject), [
          from, to, ...scopeParams(u), q.community ?? null, names, q.subject, q.limit ?? 50, q.offset ?? 0,
        ]),
        readWeights(db, q.subject),
      ]);
      const body: EvaluationResponse = {
        subject: q.subject, from: from.toISOString(), to: to.toISOString(), weights,
        total: rows.rows[0]?.total ?? 0,
        rows: rows.rows.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r),
      };
      return c.json(body);
    })
    .put('/evaluation/weights', requireRole('admin'), requireJson, validJson(evaluationWeightsBody), async (c) => {
      const u = c.get('user');
      const b = c.req.valid('json');
      const metrics: readonly string[] = EVALUATION_METRICS[b.subject];
      const weights = await db.withTransaction(async (client) => {
        const before = await client.query<{ metric: string; weight: number }>(
          'SELECT metric, weight::float8 AS weight FROM evaluation_weights WHERE subject = $1 ORDER BY metric FOR UPDATE', [b.subject]);
        await client.query(
          `UPDATE evaluation_weights w SET weight = t.weight FROM unnest($2::text[], $3::numeric[]) AS t (metric, weight)
            WHERE w.subject = $1 AND w.metric = t.metric`,
          [b.subject, metrics, metrics.map((m) => b.weights[m])]);
        await audit(client, {
          userId: u.id, actor: u.username, action: 'update', entity: 'evaluation_weights', entityId: b.subject,
          before: Object.fromEntries(before.rows.map((r) => [r.metric, r.weight])), after: b.weights,
        });
        return readWeights(client, b.subject);
      });
      const body: EvaluationWeightsResponse = { subject: b.subject, weights };
      return c.json(body);
    });
}
