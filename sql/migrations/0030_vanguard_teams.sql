-- 0030: 红色尖刀班 — every community's vanguard team. Its members are drawn from the community's
-- sunk cadres (下沉干部: cadres of kind 'sunk', whose area branch lies in the community) and its
-- full-time community workers (the 专职社工 of community_workers); its tasks are of four kinds
-- (党建, 人居环境, 企业服务, 进楼入户攻坚), each placed in a grid of the community at a point, with
-- progress counted in steps (a target of N steps, N done) or in percent (a target of 100). The
-- members report progress; each report is a row of vanguard_task_updates naming the member.
-- The kinds and units are also in contract/src/vanguard.ts (a test compares the CHECK values).
--
-- Synthetic and deterministic, for the synthetic dataset only (as the community workers of
-- 0026–0027): one team per community, eight members (the three 专职社工 and five sunk cadres,
-- chosen by md5 ranks; the first cadre leads the team as 班长) and eight tasks (two of each
-- kind), each row marked synthetic. For the 33 communities: 33 teams, 264 members, 264 tasks.
CREATE TABLE vanguard_teams (
  id serial PRIMARY KEY,
  community_id integer NOT NULL UNIQUE REFERENCES communities (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name <> ''),
  synthetic boolean NOT NULL DEFAULT true
);

CREATE TABLE vanguard_members (
  id serial PRIMARY KEY,
  team_id integer NOT NULL REFERENCES vanguard_teams (id) ON DELETE CASCADE,
  -- exactly one of: a sunk cadre, a community worker
  cadre_id integer REFERENCES cadres (id) ON DELETE CASCADE,
  worker_id integer REFERENCES community_workers (id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('captain', 'member')),
  synthetic boolean NOT NULL DEFAULT true,
  CHECK ((cadre_id IS NULL) <> (worker_id IS NULL)),
  UNIQUE (team_id, cadre_id),
  UNIQUE (team_id, worker_id)
);
CREATE INDEX vanguard_members_team_idx ON vanguard_members (team_id, id);
CREATE UNIQUE INDEX vanguard_members_one_captain_idx ON vanguard_members (team_id) WHERE role = 'captain';

CREATE TABLE vanguard_tasks (
  id serial PRIMARY KEY,
  team_id integer NOT NULL REFERENCES vanguard_teams (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('party_building', 'living_environment', 'enterprise_service', 'door_to_door')),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
  grid_id integer NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  geom geometry(Point, 4326) NOT NULL,
  unit text NOT NULL CHECK (unit IN ('steps', 'percent')),
  target integer NOT NULL CHECK (target BETWEEN 1 AND 1000),
  done integer NOT NULL DEFAULT 0,
  synthetic boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (unit = 'steps' OR target = 100),
  CHECK (done BETWEEN 0 AND target)
);
CREATE INDEX vanguard_tasks_team_idx ON vanguard_tasks (team_id, id);
CREATE INDEX vanguard_tasks_grid_idx ON vanguard_tasks (grid_id);

CREATE TABLE vanguard_task_updates (
  id serial PRIMARY KEY,
  task_id integer NOT NULL REFERENCES vanguard_tasks (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES vanguard_members (id) ON DELETE CASCADE,
  done_before integer NOT NULL,
  done_after integer NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 200),
  user_id integer REFERENCES users (id),
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vanguard_task_updates_task_idx ON vanguard_task_updates (task_id, id);

-- Fills the tables once, for every community there is, when no team exists yet and the dataset
-- is the synthetic one (the dataset seeding calls it after the community workers; on a database
-- already seeded it runs here). Returns the number of teams written.
CREATE FUNCTION seed_vanguard_teams() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  IF EXISTS (SELECT 1 FROM vanguard_teams)
     OR NOT EXISTS (SELECT 1 FROM dataset_info WHERE key = 'name' AND value = 'enshi-synthetic') THEN
    RETURN 0;
  END IF;
  INSERT INTO vanguard_teams (community_id, name)
  SELECT c.id, c.name || '红色尖刀班' FROM communities c ORDER BY c.code;
  GET DIAGNOSTICS written = ROW_COUNT;

  -- five sunk cadres of each community, by md5 rank; the first is the captain
  INSERT INTO vanguard_members (team_id, cadre_id, role)
  SELECT r.team_id, r.cadre_id, CASE WHEN r.rank = 1 THEN 'captain' ELSE 'member' END
    FROM (SELECT t.id AS team_id, cd.id AS cadre_id,
                 row_number() OVER (PARTITION BY t.id ORDER BY md5('vg:' || cd.id)) AS rank
            FROM vanguard_teams t
            JOIN area_branches b ON b.community_id = t.community_id
            JOIN cadres cd ON cd.branch_id = b.id AND cd.kind = 'sunk') r
   WHERE r.rank <= 5
   ORDER BY r.team_id, r.rank;

  -- the community's full-time social workers (专职社工)
  INSERT INTO vanguard_members (team_id, worker_id, role)
  SELECT t.id, w.id, 'member'
    FROM vanguard_teams t JOIN community_workers w ON w.community_id = t.community_id AND w.post = 'social_worker'
   ORDER BY t.id, w.id;

  -- two tasks of each kind per team, each in a grid of the community (by md5 rank), at a
  -- household of that grid (its point on surface when it has none)
  WITH kinds (kind, k, unit, titles) AS (
    VALUES ('party_building', 1, 'steps', ARRAY['主题党日进小区', '楼栋党小组规范化建设']),
           ('living_environment', 2, 'percent', ARRAY['背街小巷环境整治', '老旧小区楼道清理']),
           ('enterprise_service', 3, 'steps', ARRAY['走访辖区企业解难题', '个体工商户政策宣传']),
           ('door_to_door', 4, 'steps', ARRAY['进楼入户大走访', '重点人员入户攻坚'])
  ), slots AS (
    SELECT t.id AS team_id, t.community_id, c.code, k.kind, k.k, k.unit, k.titles, s.n,
           ('x' || substr(md5('vt:' || c.code || ':' || k.k || ':' || s.n), 1, 7))::bit(28)::int AS h
      FROM vanguard_teams t JOIN communities c ON c.id = t.community_id
      CROSS JOIN kinds k CROSS JOIN generate_series(1, 2) AS s (n)
  ), placed AS (
    SELECT sl.*, g.id AS grid_id, g.name AS grid_name, g.geom AS grid_geom
      FROM slots sl
      JOIN LATERAL (SELECT g.id, g.name, g.geom FROM grids g WHERE g.community_id = sl.community_id
                     ORDER BY md5(g.code || ':' || sl.k || ':' || sl.n) LIMIT 1) g ON true
  )
  INSERT INTO vanguard_tasks (team_id, kind, title, grid_id, geom, unit, target, done)
  SELECT p.team_id, p.kind, p.titles[p.n] || '（' || p.grid_name || '）', p.grid_id,
         coalesce((SELECT h.geom FROM households h WHERE h.grid_id = p.grid_id ORDER BY md5('vt:' || h.id || ':' || p.k || ':' || p.n) LIMIT 1),
                  ST_PointOnSurface(p.grid_geom)),
         p.unit, x.target,
         -- done: a share of the target between 0 and all of it
         (x.target * ((p.h / 16) % 101)) / 100
    FROM placed p
    CROSS JOIN LATERAL (SELECT CASE WHEN p.unit = 'percent' THEN 100 ELSE 3 + p.h % 10 END AS target) x
   ORDER BY p.team_id, p.k, p.n;
  RETURN written;
END $$;

SELECT seed_vanguard_teams();
