-- 0007: what the live stream and the KPIs need on top of the case tables (0005_cases.sql).

-- ---- milestones per case, for the KPIs ----
-- The first accept, dispatch and claim of a case and whether a limit ever passed
-- (an automatic escalation by the sweeper, i.e. an escalate event without a user). Kept by
-- the trigger below from case_events, so it is a projection of the events like the case row,
-- and a KPI query joins one row per case instead of scanning every event.
CREATE TABLE case_milestones (
  case_id integer PRIMARY KEY REFERENCES cases (id),
  accepted_at timestamptz,
  dispatched_at timestamptz,
  claimed_at timestamptz,
  auto_escalated boolean NOT NULL DEFAULT false
);

-- One statement-level trigger (a transition table, so a bulk insert of 100,000 events costs
-- one upsert and one notification) that
-- 1. folds the new events into case_milestones, and
-- 2. NOTIFYs channel case_events with the highest new id. NOTIFY is delivered at commit, to
--    every process LISTENing (server/src/live/hub.ts); it carries only the id, the table
--    stays the source of truth.
CREATE FUNCTION case_events_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_milestones AS m (case_id, accepted_at, dispatched_at, claimed_at, auto_escalated)
  SELECT n.case_id,
         min(n.at) FILTER (WHERE n.action = 'accept'),
         min(n.at) FILTER (WHERE n.action = 'dispatch'),
         min(n.at) FILTER (WHERE n.action = 'claim'),
         coalesce(bool_or(n.action = 'escalate' AND n.actor_user_id IS NULL), false)
    FROM new_rows n
   GROUP BY n.case_id
  ON CONFLICT (case_id) DO UPDATE SET
    accepted_at = coalesce(m.accepted_at, excluded.accepted_at),
    dispatched_at = coalesce(m.dispatched_at, excluded.dispatched_at),
    claimed_at = coalesce(m.claimed_at, excluded.claimed_at),
    auto_escalated = m.auto_escalated OR excluded.auto_escalated;
  PERFORM pg_notify('case_events', (SELECT max(id) FROM new_rows)::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER case_events_after_insert AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_events_after_insert();

-- ---- the three-level evaluation (网格—社区—街道三级考评) ----
-- Weights of each rate in a unit's score (score = Σ weight × rate ÷ Σ weight, 0–100). A city
-- changes them with UPDATE kpi_weights SET weight = … ; GET /api/kpis reads them per request.
CREATE TABLE kpi_weights (
  kpi text PRIMARY KEY CHECK (kpi IN ('in_grid_rate', 'in_community_rate', 'response_rate', 'resolution_rate',
                                      'satisfaction_rate', 'on_time_rate')),
  weight numeric NOT NULL CHECK (weight >= 0 AND weight <= 100),
  label text NOT NULL
);
INSERT INTO kpi_weights (kpi, weight, label) VALUES
  ('in_grid_rate', 15, '网格内办结率'),
  ('in_community_rate', 10, '社区内办结率'),
  ('response_rate', 20, '按时响应率'),
  ('resolution_rate', 15, '办结率'),
  ('satisfaction_rate', 20, '满意率'),
  ('on_time_rate', 20, '按期办结率');

-- ---- indexes for the KPI queries and the stream ----
CREATE INDEX cases_subdistrict_created_idx ON cases (subdistrict_id, created_at);
CREATE INDEX cases_community_created_idx ON cases (community_id, created_at);
CREATE INDEX cases_grid_created_idx ON cases (grid_id, created_at);
CREATE INDEX cases_department_created_idx ON cases (assigned_department_id, created_at) WHERE assigned_department_id IS NOT NULL;
-- open and overdue counts: only the few open cases
CREATE INDEX cases_open_deadline_idx ON cases (deadline) WHERE status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress');

-- ---- the demo simulator's events say so ----
-- server/src/live/simulator.ts acts under actor labels that start with 模拟; its events carry
-- payload.simulated = true whatever function wrote them (the routes' own writers).
CREATE FUNCTION case_events_mark_simulated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor_label LIKE '模拟%' THEN
    NEW.payload := coalesce(NEW.payload, '{}'::jsonb) || '{"simulated": true}'::jsonb;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER case_events_mark_simulated BEFORE INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_mark_simulated();
