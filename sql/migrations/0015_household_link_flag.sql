-- 0015: households.in_service_linked — whether an in-service party member (双定三联) is linked to
-- the household, kept by triggers on cadre_household_links (a link of any kind but 'branch' is an
-- in-service member's, see 0013). The register's "unlinked" filter reads this column instead of
-- probing the links of every household in scope, which cost ~45 ms of a subdistrict's page on the
-- embedded database (the route's p99 was above 100 ms). Links change rarely (the seed, a cadre or
-- household deleted), so keeping the flag costs nothing that users wait on.
ALTER TABLE households ADD COLUMN in_service_linked boolean NOT NULL DEFAULT false;
UPDATE households h SET in_service_linked = true
 WHERE EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND l.kind <> 'branch');

-- Recomputes the flag of the households whose links a statement changed; writes only the rows
-- whose flag differs (the seed inserts households with the flag already right).
CREATE FUNCTION households_sync_in_service_linked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE households SET in_service_linked = false WHERE in_service_linked;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE households h SET in_service_linked = f.linked
      FROM (SELECT x.household_id,
                   EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = x.household_id AND l.kind <> 'branch') AS linked
              FROM (SELECT household_id FROM changed UNION SELECT household_id FROM changed_before) x) f
     WHERE h.id = f.household_id AND h.in_service_linked <> f.linked;
  ELSE
    UPDATE households h SET in_service_linked = f.linked
      FROM (SELECT x.household_id,
                   EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = x.household_id AND l.kind <> 'branch') AS linked
              FROM (SELECT DISTINCT household_id FROM changed) x) f
     WHERE h.id = f.household_id AND h.in_service_linked <> f.linked;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER cadre_household_links_flag_insert AFTER INSERT ON cadre_household_links
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION households_sync_in_service_linked();
CREATE TRIGGER cadre_household_links_flag_delete AFTER DELETE ON cadre_household_links
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION households_sync_in_service_linked();
CREATE TRIGGER cadre_household_links_flag_update AFTER UPDATE ON cadre_household_links
  REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION households_sync_in_service_linked();
CREATE TRIGGER cadre_household_links_flag_truncate AFTER TRUNCATE ON cadre_household_links
  FOR EACH STATEMENT EXECUTE FUNCTION households_sync_in_service_linked();
