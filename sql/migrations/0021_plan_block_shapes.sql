-- 0021: an apply's snapshot records the shape of every block, not only its id.
--
-- A revert puts the community's grids back as they were and each block back in its old grid. An
-- edge redrawn after the apply (POST /api/blocks/edge) keeps the two blocks' ids but moves ground
-- between them, so a snapshot of ids alone let a revert restore grid polygons that no longer fit
-- their blocks (households of a block lay outside the polygon of its grid). shapes[i] is the md5
-- of block_ids[i]'s geometry as EWKB at the apply; a revert refuses when any differs. NULL for a
-- snapshot written before this migration (the revert then looks for edge redraws in the audit log).
ALTER TABLE plan_prior_blocks
  ADD COLUMN shapes text[],
  ADD CONSTRAINT plan_prior_blocks_shapes_check CHECK (shapes IS NULL OR cardinality(shapes) = cardinality(block_ids));
