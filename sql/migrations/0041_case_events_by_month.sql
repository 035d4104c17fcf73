-- 0041: case_events, the append-only log of every step of every case (the fastest-growing table:
-- several rows per case, for ever), partitioned by month on `at`.
--
-- - One partition per calendar month in the city's time (Asia/Shanghai, where the KPI windows
--   and the registers cut their days), named case_events_month_YYYY_MM. Queries bounded in time
--   (`at >= …`) read only their months; a month that is no longer wanted on line can be
--   detached (ALTER TABLE case_events DETACH PARTITION case_events_month_2026_01) and kept as
--   an archive table, without a DELETE, which the log refuses.
-- - case_events_ensure_months(from, to) creates the months of a span that are missing. The server
--   calls it at start and every few hours for the month before through two months ahead, and
--   the demo history writer for its own 90 days, so a partition is always there before its
--   first row. It is safe to call from several processes at once (an advisory lock).
-- - case_events_other, the default partition, takes a row whose month has no partition (an event
--   dated far back by an import, say). A month whose rows are already there is not created
--   afterwards (PostgreSQL would refuse: those rows would belong to the new partition); they stay
--   in the default partition, read as any other.
-- - The primary key becomes (id, at): a partitioned table's unique keys must hold its partition
--   key. `id` still comes from the one sequence, so it stays unique and ordered in time of
--   writing; no table references case_events.
-- - `cases` is not partitioned: seven tables and cases.duplicate_of reference cases(id); partitioned, it would
--   need (id, created_at) in each of those references and in every lookup by id.
ALTER TABLE case_events RENAME TO case_events_before_0041;
ALTER SEQUENCE case_events_id_seq OWNED BY NONE;

-- The same columns, defaults (id from case_events_id_seq) and CHECK constraints.
CREATE TABLE case_events (LIKE case_events_before_0041 INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (at);
ALTER SEQUENCE case_events_id_seq OWNED BY case_events.id;
CREATE TABLE case_events_other PARTITION OF case_events DEFAULT;

CREATE FUNCTION case_events_ensure_months(from_at timestamptz, to_at timestamptz) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  month date := date_trunc('month', from_at AT TIME ZONE 'Asia/Shanghai')::date;
  last_month date := date_trunc('month', to_at AT TIME ZONE 'Asia/Shanghai')::date;
  name text;
  lower_bound timestamptz;
  upper_bound timestamptz;
BEGIN
  -- One creator at a time (two server processes starting together); released at commit.
  PERFORM pg_advisory_xact_lock(7281360);
  WHILE month <= last_month LOOP
    name := format('case_events_month_%s', to_char(month, 'YYYY_MM'));
    lower_bound := month::timestamp AT TIME ZONE 'Asia/Shanghai';
    upper_bound := (month + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai';
    IF to_regclass(quote_ident(name)) IS NULL THEN
      IF EXISTS (SELECT 1 FROM case_events_other WHERE at >= lower_bound AND at < upper_bound) THEN
        RAISE NOTICE 'case_events: % stays in case_events_other, which already holds rows of that month', name;
      ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF case_events FOR VALUES FROM (%L) TO (%L)',
                       name, lower_bound, upper_bound);
        RETURN NEXT name;
      END IF;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
END;
$$;

-- The months the log already spans, and the month before now through two months ahead.
SELECT count(*) FROM case_events_ensure_months(
  least((SELECT min(at) FROM case_events_before_0041), now() - interval '1 month'),
  now() + interval '2 months');

INSERT INTO case_events SELECT * FROM case_events_before_0041;
DROP TABLE case_events_before_0041;

ALTER TABLE case_events ADD CONSTRAINT case_events_pkey PRIMARY KEY (id, at);
ALTER TABLE case_events ADD CONSTRAINT case_events_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id);
ALTER TABLE case_events ADD CONSTRAINT case_events_actor_user_id_fkey FOREIGN KEY (actor_user_id) REFERENCES users (id);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);
CREATE INDEX case_events_at_idx ON case_events (at);

-- The triggers of 0005, 0007 and 0017 (as 0017 left them) (the functions are unchanged): the log stays
-- append-only in every partition, simulated steps are marked, and each statement's new rows
-- update their cases' milestones and wake the live stream.
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_mark_simulated BEFORE INSERT ON case_events
  FOR EACH ROW WHEN (NEW.actor_label LIKE '模拟%') EXECUTE FUNCTION case_events_mark_simulated();
CREATE TRIGGER case_events_after_insert AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_events_after_insert();

ANALYZE case_events;
