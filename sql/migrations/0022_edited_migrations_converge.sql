-- 0022: two migrations were edited after they had run, so a database migrated with their first
-- texts differs from a fresh one. This brings such a database to the fresh state and changes
-- nothing on a fresh one. 0010 first made needs.created_by NOT NULL; it is nullable (the embedded
-- demo's needs history has no author). 0013 first created the partial index
-- cadre_household_links_in_service_idx, which nothing reads any more.
ALTER TABLE needs ALTER COLUMN created_by DROP NOT NULL;
DROP INDEX IF EXISTS cadre_household_links_in_service_idx;
