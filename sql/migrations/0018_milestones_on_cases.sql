-- 0018: a case's milestones move onto its row.
--
-- The first accept, dispatch and claim of a case and whether a limit ever passed (an automatic
-- escalation: an escalate event without a user) were kept in case_milestones, one row per case,
-- and every KPI query joined it to the cases of its period: a quarter of the query's time. They
-- are columns of the case row now, still kept from the events by the trigger on case_events, so
-- they stay a projection of the events like the rest of the row.
--
-- The trigger also wrote a row of nothing (every milestone NULL) for each case filed: a submit
-- event marks no milestone, so it now touches only the cases of events that do.
ALTER TABLE cases
  ADD COLUMN accepted_at timestamptz,
  ADD COLUMN dispatched_at timestamptz,
  ADD COLUMN claimed_at timestamptz,
  ADD COLUMN auto_escalated boolean NOT NULL DEFAULT false;

UPDATE cases c
   SET accepted_at = m.accepted_at, dispatched_at = m.dispatched_at, claimed_at = m.claimed_at,
       auto_escalated = m.auto_escalated
  FROM case_milestones m
 WHERE m.case_id = c.id
   AND (m.accepted_at IS NOT NULL OR m.dispatched_at IS NOT NULL OR m.claimed_at IS NOT NULL OR m.auto_escalated);

DROP TABLE case_milestones;

-- One statement-level trigger (a transition table, so a bulk insert of 100,000 events costs
-- one update and one notification) that
-- 1. folds the new events' milestones into their cases' rows, and
-- 2. NOTIFYs channel case_events with the highest new id. NOTIFY is delivered at commit, to
--    every process LISTENing (server/src/live/hub.ts); it carries only the id, the table
--    stays the source of truth.
CREATE OR REPLACE FUNCTION case_events_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases c SET
    accepted_at = coalesce(c.accepted_at, x.accepted_at),
    dispatched_at = coalesce(c.dispatched_at, x.dispatched_at),
    claimed_at = coalesce(c.claimed_at, x.claimed_at),
    auto_escalated = c.auto_escalated OR x.auto_escalated
    FROM (SELECT n.case_id,
                 min(n.at) FILTER (WHERE n.action = 'accept') AS accepted_at,
                 min(n.at) FILTER (WHERE n.action = 'dispatch') AS dispatched_at,
                 min(n.at) FILTER (WHERE n.action = 'claim') AS claimed_at,
                 bool_or(n.action = 'escalate') AS auto_escalated
            FROM new_rows n
           WHERE n.action IN ('accept', 'dispatch', 'claim') OR (n.action = 'escalate' AND n.actor_user_id IS NULL)
           GROUP BY n.case_id) x
   WHERE c.id = x.case_id
     AND (c.accepted_at IS NULL AND x.accepted_at IS NOT NULL OR c.dispatched_at IS NULL AND x.dispatched_at IS NOT NULL
          OR c.claimed_at IS NULL AND x.claimed_at IS NOT NULL OR NOT c.auto_escalated AND x.auto_escalated);
  PERFORM pg_notify('case_events', (SELECT max(id) FROM new_rows)::text);
  RETURN NULL;
END;
$$;
