-- 0007: blocks (街区), the atomic units grids are drawn from, and grid plans (网格调整方案).
-- A grid is a set of blocks and its polygon is their dissolve; redrawing a grid means painting
-- blocks from one grid into another, so "no gap, no overlap, every household in exactly one grid"
-- holds by construction. A plan is a draft assignment of every block of one community to a grid;
-- applying it rewrites the community's grids in one transaction and keeps a snapshot of what was
-- there before, so the latest apply can be reverted exactly.

-- Bumped by every apply and revert (and by a boundary import): a plan drafted against an older
-- layout is stale and may not be applied.
ALTER TABLE communities ADD COLUMN layout_version integer NOT NULL DEFAULT 1;

CREATE TABLE blocks (
  id serial PRIMARY KEY,
  -- community code + 'K' + 4 digits; stable while the block exists, whichever grid holds it
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{12}K[0-9]{4}$'),
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  -- a boundary import deletes grids and derives the blocks again
  grid_id integer NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  geom geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))
);
CREATE INDEX blocks_community_idx ON blocks (community_id);
CREATE INDEX blocks_grid_idx ON blocks (grid_id);
CREATE INDEX blocks_geom_idx ON blocks USING gist (geom);

-- NULL only while a household lies outside every grid (possible after a boundary import), like
-- grid_id. The seed, the import and every apply keep grid_id = the block's grid_id; household
-- counts per block are derived from this column, never cached.
ALTER TABLE households ADD COLUMN block_id integer REFERENCES blocks (id) ON DELETE SET NULL;
CREATE INDEX households_block_idx ON households (block_id);

CREATE TABLE plans (
  id serial PRIMARY KEY,
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'applied', 'reverted', 'superseded')),
  title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
  author_id integer REFERENCES users (id) ON DELETE SET NULL,
  -- the username (or "cli:<os user>"), kept when the account is deleted
  author text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- the community's layout_version the draft was made against
  base_version integer NOT NULL,
  applied_at timestamptz,
  -- the layout_version the apply produced (a revert needs the community still at it)
  applied_version integer,
  reverted_at timestamptz,
  CHECK ((status IN ('applied', 'reverted')) = (applied_at IS NOT NULL AND applied_version IS NOT NULL))
);
CREATE INDEX plans_community_idx ON plans (community_id, id);

-- Every block of the plan's community exactly once (the primary key), to an existing grid of the
-- community or to a new grid numbered new_number: a plan adds grids by using new numbers and
-- removes the existing grids it assigns no block to. grid_id has no foreign key on purpose: an
-- applied or reverted plan keeps naming grids that a later apply removed.
CREATE TABLE plan_assignments (
  plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  block_id integer NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
  grid_id integer,
  new_number integer CHECK (new_number BETWEEN 1 AND 999),
  PRIMARY KEY (plan_id, block_id),
  CHECK ((grid_id IS NULL) <> (new_number IS NULL))
);

-- What an apply replaced, so a revert restores it exactly: the community's grids as they were
-- (ids, codes, names, geometry), each block's grid, and every other row that named one of the
-- community's grids (cadres, accounts, area branches).
CREATE TABLE plan_prior_grids (
  plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  grid_id integer NOT NULL,
  code text NOT NULL,
  number integer NOT NULL,
  name text NOT NULL,
  synthetic boolean NOT NULL,
  geom geometry(Geometry, 4326) NOT NULL,
  PRIMARY KEY (plan_id, grid_id)
);

CREATE TABLE plan_prior_blocks (
  plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  block_id integer NOT NULL,
  grid_id integer NOT NULL,
  PRIMARY KEY (plan_id, block_id)
);

-- kind 'cadre': cadres.id → grid_id; 'user': users.id → grid_id; 'branch': area_branch_grids row
-- (ref_id = branch_id, grid_id). The tables that hold a grid_id are listed in
-- server/src/plans/apply.ts; a new one must be added there and here.
CREATE TABLE plan_prior_refs (
  plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('cadre', 'user', 'branch')),
  ref_id integer NOT NULL,
  grid_id integer NOT NULL,
  PRIMARY KEY (plan_id, kind, ref_id, grid_id)
);

CREATE TRIGGER blocks_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON blocks
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER plans_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER plan_assignments_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- Derives the blocks of one community from its grids and household points: the Voronoi cells of
-- its buildings (the centroid of each building's households), clipped to the grid, each part of a
-- clipped cell its own block; a grid with fewer than two buildings is one block. Then puts every
-- household of the community into the block that contains it (ties: the lowest id; a point off
-- every block, which only rounding can cause, into the nearest block of its grid).
-- Used by the seed, by a boundary import and below for a database seeded before this migration.
-- jit off: PostGIS functions are costed so high that PostgreSQL JIT-compiles these small queries,
-- which takes ~4 s per community instead of ~0.1 s.
CREATE FUNCTION derive_blocks(p_community integer) RETURNS integer
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  n integer;
  community_code text;
BEGIN
  SELECT code INTO STRICT community_code FROM communities WHERE id = p_community;
  UPDATE households h SET block_id = NULL
    FROM blocks b WHERE b.id = h.block_id AND b.community_id = p_community;
  DELETE FROM blocks WHERE community_id = p_community;

  -- MATERIALIZED: inlined, the planner re-runs the Voronoi step per row (seconds per community)
  WITH seeds AS MATERIALIZED (
    SELECT h.grid_id, ST_Centroid(ST_Collect(h.geom)) AS pt
      FROM households h JOIN grids g ON g.id = h.grid_id
     WHERE g.community_id = p_community
     GROUP BY h.grid_id, h.building
  ), seed_sets AS MATERIALIZED (
    SELECT grid_id, ST_Collect(pt) AS pts, count(*) AS n FROM seeds GROUP BY grid_id
  ), cells AS MATERIALIZED (
    -- the diagram is extended to the grid's envelope, so its cells cover the whole grid
    SELECT s.grid_id, d.geom AS cell
      FROM seed_sets s JOIN grids g ON g.id = s.grid_id
      CROSS JOIN LATERAL ST_Dump(ST_VoronoiPolygons(s.pts, 0, ST_Envelope(g.geom))) d
     WHERE s.n >= 2
  ), parts AS MATERIALIZED (
    SELECT c.grid_id, d.geom
      FROM cells c JOIN grids g ON g.id = c.grid_id
      CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(ST_Intersection(c.cell, g.geom), 3)) d
    UNION ALL
    SELECT g.id, d.geom
      FROM grids g CROSS JOIN LATERAL ST_Dump(g.geom) d
     WHERE g.community_id = p_community
       AND NOT EXISTS (SELECT 1 FROM seed_sets s WHERE s.grid_id = g.id AND s.n >= 2)
  ), numbered AS (
    SELECT p.grid_id, p.geom,
           row_number() OVER (ORDER BY g.number, ST_Y(ST_PointOnSurface(p.geom)) DESC, ST_X(ST_PointOnSurface(p.geom)),
                                       ST_AsBinary(p.geom)) AS k
      FROM parts p JOIN grids g ON g.id = p.grid_id
     WHERE ST_Area(p.geom) > 0
  )
  INSERT INTO blocks (code, community_id, grid_id, geom)
  SELECT community_code || 'K' || lpad(k::text, 4, '0'), p_community, grid_id, geom FROM numbered;
  GET DIAGNOSTICS n = ROW_COUNT;

  UPDATE households h
     SET block_id = (SELECT b.id FROM blocks b
                      WHERE b.grid_id = h.grid_id AND ST_Intersects(b.geom, h.geom) ORDER BY b.id LIMIT 1)
    FROM grids g
   WHERE g.id = h.grid_id AND g.community_id = p_community;
  UPDATE households h
     SET block_id = (SELECT b.id FROM blocks b WHERE b.grid_id = h.grid_id
                      ORDER BY ST_Distance(b.geom, h.geom), b.id LIMIT 1)
    FROM grids g
   WHERE g.id = h.grid_id AND g.community_id = p_community AND h.block_id IS NULL;
  RETURN n;
END
$$;

SELECT derive_blocks(id) FROM communities ORDER BY id;
