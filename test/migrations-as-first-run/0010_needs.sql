-- 0010: the needs list (居民需求清单). A need is gathered in a grid and passes a chain of
-- decisions (building → area branch → community → subdistrict), then is dispatched to a unit's
-- resource, claimed and fulfilled; every step is a row of need_steps with who took it.
-- The statuses, actions and bodies are the same lists as contract/src/needs.ts.
CREATE TABLE needs (
  id serial PRIMARY KEY,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  category_code text NOT NULL REFERENCES case_categories (code),
  building text NOT NULL DEFAULT '' CHECK (char_length(building) <= 60),
  households integer NOT NULL DEFAULT 1 CHECK (households BETWEEN 1 AND 10000),
  geom geometry(Point, 4326) NOT NULL,
  -- Where it lies: the grid follows redrawn boundaries (plans move needs as they move cases).
  grid_id integer NOT NULL REFERENCES grids (id),
  community_id integer NOT NULL REFERENCES communities (id),
  subdistrict_id integer NOT NULL REFERENCES subdistricts (id),
  status text NOT NULL DEFAULT 'gathered' CHECK (status IN
    ('gathered', 'judged', 'screened', 'compiled', 'reported', 'dispatched', 'claimed', 'fulfilled', 'declined')),
  -- 研判: which body of the building judged it.
  body text CHECK (body IN ('two_heads_four_members', 'building_party_group')),
  -- 筛选: the area branch that screened it.
  branch_id integer REFERENCES area_branches (id) ON DELETE SET NULL,
  -- 派单: the unit and the entry of its resources list it went to.
  department_id integer REFERENCES departments (id),
  resource_id integer REFERENCES department_resources (id),
  -- 领单: the account that claimed it (a unit's staff member or a party member).
  claimed_by integer REFERENCES users (id),
  created_by integer NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- the time of the last step: a need with none for days is stalled
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((status IN ('dispatched', 'claimed', 'fulfilled')) <= (department_id IS NOT NULL AND resource_id IS NOT NULL)),
  CHECK ((status IN ('claimed', 'fulfilled')) <= (claimed_by IS NOT NULL))
);
CREATE INDEX needs_community_idx ON needs (community_id, status);
CREATE INDEX needs_subdistrict_idx ON needs (subdistrict_id);
CREATE INDEX needs_grid_idx ON needs (grid_id);
CREATE INDEX needs_department_idx ON needs (department_id) WHERE department_id IS NOT NULL;

CREATE TABLE need_steps (
  id bigserial PRIMARY KEY,
  need_id integer NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('gather', 'judge', 'screen', 'compile', 'report', 'dispatch', 'claim', 'fulfil', 'decline', 'urge')),
  from_status text,
  to_status text NOT NULL,
  user_id integer REFERENCES users (id),
  actor text NOT NULL,
  role text NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX need_steps_need_idx ON need_steps (need_id, id);
