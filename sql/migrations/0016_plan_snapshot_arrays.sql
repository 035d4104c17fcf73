-- 0016: what an apply replaced, kept as ONE row per plan (and kind) holding arrays instead of a row per
-- block or per reference. A snapshot is written once and read whole by a revert, so the rows
-- bought nothing, and each of them paid the foreign key to plans on insert: a city-wide redraw
-- snapshots all 4,908 blocks and a few thousand references, and those per-row checks were a
-- quarter of its time. The arrays run in step (block_ids[i] lay in grid_ids[i]).
CREATE TABLE plan_prior_block_sets (
  plan_id integer PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  block_ids integer[] NOT NULL,
  grid_ids integer[] NOT NULL,
  CHECK (cardinality(block_ids) = cardinality(grid_ids))
);
INSERT INTO plan_prior_block_sets (plan_id, block_ids, grid_ids)
SELECT plan_id, array_agg(block_id ORDER BY block_id), array_agg(grid_id ORDER BY block_id)
  FROM plan_prior_blocks GROUP BY plan_id;
DROP TABLE plan_prior_blocks;
ALTER TABLE plan_prior_block_sets RENAME TO plan_prior_blocks;
ALTER TABLE plan_prior_blocks RENAME CONSTRAINT plan_prior_block_sets_pkey TO plan_prior_blocks_pkey;

-- kind 'cadre': cadres.id → grid_id; 'user': users.id → grid_id; 'branch': area_branch_grids row
-- (ref_id = branch_id, grid_id). The tables that hold a grid_id are listed in
-- server/src/plans/apply.ts; a new one must be added there and here.
CREATE TABLE plan_prior_ref_sets (
  plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('cadre', 'user', 'branch')),
  ref_ids integer[] NOT NULL,
  grid_ids integer[] NOT NULL,
  PRIMARY KEY (plan_id, kind),
  CHECK (cardinality(ref_ids) = cardinality(grid_ids))
);
INSERT INTO plan_prior_ref_sets (plan_id, kind, ref_ids, grid_ids)
SELECT plan_id, kind, array_agg(ref_id ORDER BY ref_id, grid_id), array_agg(grid_id ORDER BY ref_id, grid_id)
  FROM plan_prior_refs GROUP BY plan_id, kind;
DROP TABLE plan_prior_refs;
ALTER TABLE plan_prior_ref_sets RENAME TO plan_prior_refs;
ALTER TABLE plan_prior_refs RENAME CONSTRAINT plan_prior_ref_sets_pkey TO plan_prior_refs_pkey;
