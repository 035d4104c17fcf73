-- 0019: a whistle carries its case's filing time and area.
--
-- The KPIs' whistle report times are aggregated over the whistles of the cases filed in the
-- period, per subdistrict, community or grid of the case. Read from `cases`, that joined (and
-- scanned) every case of the period to aggregate a few hundred whistles: ~10 ms of the embedded
-- database's ~45 ms for a cold KPI request over 90 days. So each whistle keeps a copy, taken
-- from its case when the whistle is made, and kept by a trigger when the case's area changes
-- (a planner's new boundaries move cases between grids). A case's filing time never changes.
ALTER TABLE case_whistles
  ADD COLUMN case_created_at timestamptz,
  ADD COLUMN subdistrict_id integer,
  ADD COLUMN community_id integer,
  ADD COLUMN grid_id integer;

UPDATE case_whistles w
   SET case_created_at = c.created_at, subdistrict_id = c.subdistrict_id, community_id = c.community_id, grid_id = c.grid_id
  FROM cases c
 WHERE c.id = w.case_id;

ALTER TABLE case_whistles ALTER COLUMN case_created_at SET NOT NULL;

CREATE FUNCTION case_whistles_copy_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.created_at, c.subdistrict_id, c.community_id, c.grid_id
    INTO NEW.case_created_at, NEW.subdistrict_id, NEW.community_id, NEW.grid_id
    FROM cases c
   WHERE c.id = NEW.case_id;
  RETURN NEW;
END
$$;

-- Whatever the writer sent for the copied columns, they come from the case.
CREATE TRIGGER case_whistles_copy_case BEFORE INSERT OR UPDATE ON case_whistles
  FOR EACH ROW EXECUTE FUNCTION case_whistles_copy_case();

CREATE FUNCTION cases_area_to_whistles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The BEFORE trigger above copies the case's new area into each row touched.
  UPDATE case_whistles SET case_id = case_id WHERE case_id = NEW.id;
  RETURN NULL;
END
$$;

-- Only when the area changes (the WHEN is checked without calling the function): the workflow's
-- own updates of a case never run it.
CREATE TRIGGER cases_area_to_whistles AFTER UPDATE OF subdistrict_id, community_id, grid_id ON cases
  FOR EACH ROW
  WHEN (OLD.subdistrict_id IS DISTINCT FROM NEW.subdistrict_id
        OR OLD.community_id IS DISTINCT FROM NEW.community_id
        OR OLD.grid_id IS DISTINCT FROM NEW.grid_id)
  EXECUTE FUNCTION cases_area_to_whistles();
