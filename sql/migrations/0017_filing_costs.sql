-- 0017: two costs every filed case paid. (1) The duplicate check on filing looks for OPEN cases of
-- the category within 250 m; through the index of every case it visited all cases in the box,
-- closed ones included (most of them, once there is history), and filtered them one by one.
-- An index of open cases alone holds what it looks for; the statuses are those of
-- OPEN_STATUSES in the contract, as in cases_open_deadline_idx. (2) Marking the simulator's
-- events called a PL/pgSQL function for every event inserted; the trigger's WHEN clause now
-- lets only the simulator's rows (actor label 模拟…) call it.
CREATE INDEX cases_open_geom_idx ON cases USING gist (geom)
  WHERE status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress');

DROP TRIGGER case_events_mark_simulated ON case_events;
CREATE TRIGGER case_events_mark_simulated BEFORE INSERT ON case_events
  FOR EACH ROW WHEN (NEW.actor_label LIKE '模拟%') EXECUTE FUNCTION case_events_mark_simulated();
