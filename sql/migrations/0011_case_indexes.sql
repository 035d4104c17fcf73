-- 0011: every index on cases costs each filing an index insert. Four single-column indexes of
-- 0005 are the leading column of a composite index that 0007 added for the KPIs, which answers
-- the same lookups (an equality on its first column), so they only slowed filings down.
DROP INDEX cases_grid_idx;          -- cases_grid_created_idx (grid_id, created_at)
DROP INDEX cases_community_idx;     -- cases_community_created_idx (community_id, created_at)
DROP INDEX cases_subdistrict_idx;   -- cases_subdistrict_created_idx (subdistrict_id, created_at)
DROP INDEX cases_department_idx;    -- cases_department_created_idx (assigned_department_id, created_at), same predicate
