-- 0002: households and the cadres linked to them (双定三联), area party branches (片区党支部)
-- and the 24 departments with their resource lists.
CREATE TABLE households (
  id integer PRIMARY KEY,
  -- NULL while the point lies outside every grid (for example after a boundary import)
  grid_id integer REFERENCES grids (id) ON DELETE SET NULL,
  geom geometry(Point, 4326) NOT NULL,
  building text NOT NULL,
  address text NOT NULL,
  size smallint NOT NULL CHECK (size BETWEEN 1 AND 20),
  in_difficulty boolean NOT NULL DEFAULT false,
  -- personal fields: only roles that work a household's own area may read them
  head_name text NOT NULL,
  phone text NOT NULL
);
CREATE INDEX households_grid_idx ON households (grid_id);
CREATE INDEX households_geom_idx ON households USING gist (geom);

CREATE TABLE area_branches (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE
);
CREATE INDEX area_branches_community_idx ON area_branches (community_id);

CREATE TABLE area_branch_grids (
  branch_id integer NOT NULL REFERENCES area_branches (id) ON DELETE CASCADE,
  grid_id integer NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  PRIMARY KEY (branch_id, grid_id)
);
CREATE INDEX area_branch_grids_grid_idx ON area_branch_grids (grid_id);

CREATE TABLE cadres (
  id integer PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('in_service', 'sunk', 'grid_worker', 'task_force')),
  name text NOT NULL,
  phone text NOT NULL,
  work_unit text NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  -- home grid; for a grid worker, the grid they serve
  grid_id integer REFERENCES grids (id) ON DELETE SET NULL,
  branch_id integer REFERENCES area_branches (id) ON DELETE SET NULL
);
CREATE INDEX cadres_kind_idx ON cadres (kind);
CREATE INDEX cadres_grid_idx ON cadres (grid_id);
CREATE INDEX cadres_branch_idx ON cadres (branch_id);

CREATE TABLE cadre_household_links (
  cadre_id integer NOT NULL REFERENCES cadres (id) ON DELETE CASCADE,
  household_id integer NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('difficulty', 'neighbour', 'branch')),
  PRIMARY KEY (cadre_id, household_id)
);
CREATE INDEX cadre_household_links_household_idx ON cadre_household_links (household_id);

CREATE TABLE departments (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL UNIQUE
);

CREATE TABLE department_resources (
  id serial PRIMARY KEY,
  department_id integer NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT ''
);
CREATE INDEX department_resources_department_idx ON department_resources (department_id);
