-- 0003: a counter bumped by every statement that changes the map's data, so the API can
-- cache encoded responses (GeoJSON, the household binary) and serve ETags without
-- recomputing per-feature statistics on each request. Triggers catch every writer,
-- including the import CLI and psql sessions.
CREATE TABLE data_version (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version DEFAULT VALUES;

CREATE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1, changed_at = now();
  RETURN NULL;
END
$$;

CREATE TRIGGER subdistricts_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON subdistricts
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER communities_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON communities
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER grids_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER households_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON households
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER cadres_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cadres
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER cadre_household_links_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cadre_household_links
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- Which dataset this database holds ('enshi-synthetic' for the generated one, 'imported'
-- once a city loads its own boundaries), so the UI can label synthetic data as such.
CREATE TABLE dataset_info (
  key text PRIMARY KEY,
  value text NOT NULL
);
