-- 0004: who may sign in, what they may see, and a record of every write.
-- A role's scope is a column, checked here so a secretary can never exist without a community.
CREATE TABLE users (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'city_leader', 'planner', 'subdistrict_admin',
                                     'community_secretary', 'grid_worker', 'department_staff')),
  subdistrict_id integer REFERENCES subdistricts (id) ON DELETE RESTRICT,
  community_id integer REFERENCES communities (id) ON DELETE RESTRICT,
  grid_id integer REFERENCES grids (id) ON DELETE RESTRICT,
  department_id integer REFERENCES departments (id) ON DELETE RESTRICT,
  -- scrypt$N$r$p$salt$hash (node:crypto scrypt, memory-hard)
  password_hash text NOT NULL,
  -- true while the account still has the published demo password; production refuses to start
  demo_password boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (CASE role
    WHEN 'subdistrict_admin' THEN subdistrict_id IS NOT NULL AND community_id IS NULL AND grid_id IS NULL AND department_id IS NULL
    WHEN 'community_secretary' THEN community_id IS NOT NULL AND subdistrict_id IS NULL AND grid_id IS NULL AND department_id IS NULL
    WHEN 'grid_worker' THEN grid_id IS NOT NULL AND subdistrict_id IS NULL AND community_id IS NULL AND department_id IS NULL
    WHEN 'department_staff' THEN department_id IS NOT NULL AND subdistrict_id IS NULL AND community_id IS NULL AND grid_id IS NULL
    ELSE subdistrict_id IS NULL AND community_id IS NULL AND grid_id IS NULL AND department_id IS NULL
  END)
);

CREATE TABLE sessions (
  -- sha256 of the cookie's token: a leaked table does not hand out live sessions
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed sign-ins, per account and per address, for throttling; old rows are pruned.
CREATE TABLE auth_failures (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_failures_username_idx ON auth_failures (username, at);
CREATE INDEX auth_failures_ip_idx ON auth_failures (ip, at);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  -- NULL for writes made outside a signed-in session (the CLI); actor says who then
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  actor text NOT NULL,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  before jsonb,
  after jsonb,
  ip text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
