-- 0013: a link's kind names the kind of cadre who holds it. The households of 双定三联 (the family
-- in difficulty and the neighbours) are linked to in-service party members, an area branch's
-- households to sunk members; a composite foreign key on a generated column makes every row keep
-- that rule. The register's "unlinked" filter (no in-service member linked yet) then reads the
-- links alone, through a partial index, instead of joining each of a subdistrict's ~30k households'
-- links to their cadres (131 ms on PostgreSQL for a deep page; ~45 ms without the join).
ALTER TABLE cadres ADD CONSTRAINT cadres_id_kind_key UNIQUE (id, kind);
ALTER TABLE cadre_household_links
  ADD COLUMN cadre_kind text NOT NULL
    GENERATED ALWAYS AS (CASE kind WHEN 'branch' THEN 'sunk' ELSE 'in_service' END) STORED;
ALTER TABLE cadre_household_links
  ADD CONSTRAINT cadre_household_links_cadre_kind_fkey
    FOREIGN KEY (cadre_id, cadre_kind) REFERENCES cadres (id, kind) ON DELETE CASCADE;
CREATE INDEX cadre_household_links_in_service_idx ON cadre_household_links (household_id) WHERE kind <> 'branch';
-- The composite key covers what the single-column one checked (the cadre exists).
ALTER TABLE cadre_household_links DROP CONSTRAINT cadre_household_links_cadre_id_fkey;
