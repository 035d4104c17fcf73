-- 0012: the block layout of each community that last passed a plan validation's block checks
-- (valid, inside the community, no overlap, no gap). Those checks cost more than the rest of
-- an apply and their answer depends only on the blocks' and the community's exact geometry, so
-- plans/validate.ts runs them again only when that geometry's fingerprint (an md5 over every
-- block's id and EWKB and the community's EWKB) differs from the one stored here.
CREATE TABLE community_block_checks (
  community_id integer PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
  fingerprint text NOT NULL,
  checked_at timestamptz NOT NULL DEFAULT now()
);
