-- 0039: an edge redraw (POST /api/blocks/edge) can be undone exactly. Each redraw records what it
-- changed before it changes it: the two blocks' shapes and, when the edge is a grid line, the two
-- grids' shapes (edge_redraw_shapes), and the households, cadres, cases, needs and 红色尖刀班
-- tasks it moved with where each was (block and grid ids in parallel arrays, read whole by the
-- revert, as plan snapshots are). The revert puts them back while the community's layout is
-- still the one the redraw left (version_after, or later redraws undone since); a plan, a cut or
-- an import since refuses it (409).
CREATE TABLE edge_redraws (
  id serial PRIMARY KEY,
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  version_after integer NOT NULL,
  blocks integer[] NOT NULL CHECK (cardinality(blocks) = 2),
  household_ids integer[] NOT NULL DEFAULT '{}',
  household_blocks integer[] NOT NULL DEFAULT '{}',
  household_grids integer[] NOT NULL DEFAULT '{}',
  cadre_ids integer[] NOT NULL DEFAULT '{}',
  cadre_grids integer[] NOT NULL DEFAULT '{}',
  case_ids integer[] NOT NULL DEFAULT '{}',
  case_grids integer[] NOT NULL DEFAULT '{}',
  need_ids integer[] NOT NULL DEFAULT '{}',
  need_grids integer[] NOT NULL DEFAULT '{}',
  task_ids integer[] NOT NULL DEFAULT '{}',
  task_grids integer[] NOT NULL DEFAULT '{}',
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  reverted_at timestamptz,
  reverted_by integer REFERENCES users (id) ON DELETE SET NULL,
  CHECK (cardinality(household_ids) = cardinality(household_blocks) AND cardinality(household_ids) = cardinality(household_grids)),
  CHECK (cardinality(cadre_ids) = cardinality(cadre_grids)),
  CHECK (cardinality(case_ids) = cardinality(case_grids)),
  CHECK (cardinality(need_ids) = cardinality(need_grids)),
  CHECK (cardinality(task_ids) = cardinality(task_grids))
);
CREATE INDEX edge_redraws_community ON edge_redraws (community_id, id);

CREATE TABLE edge_redraw_shapes (
  redraw_id integer NOT NULL REFERENCES edge_redraws (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('block', 'grid')),
  ref_id integer NOT NULL,
  geom geometry(Geometry, 4326) NOT NULL,
  PRIMARY KEY (redraw_id, kind, ref_id)
);
