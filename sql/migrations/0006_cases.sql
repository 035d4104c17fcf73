-- 0006: live cases (诉求/事件). Residents order, the community dispatches, departments or party
-- members claim, the task force supervises. A case row is the projection of its events: both are
-- written in one transaction, and the events are append-only (a trigger refuses UPDATE/DELETE),
-- so the event ids can serve as the ids of a live event stream. Every kind/status list below is
-- also in contract/src/cases.ts (a test compares the CHECK values with the contract).

-- ---- two new roles: 专班成员 (task force) and 在职党员 (in-service party member) ----
ALTER TABLE users ADD COLUMN cadre_id integer REFERENCES cadres (id) ON DELETE RESTRICT;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN (
  'admin', 'city_leader', 'planner', 'subdistrict_admin', 'community_secretary', 'grid_worker', 'department_staff',
  'task_force', 'party_member'));
ALTER TABLE users DROP CONSTRAINT users_check;
-- A task-force member works one community, or the whole city when community_id is NULL; a
-- party member works one grid and is one in-service cadre (the kind is checked on creation).
ALTER TABLE users ADD CONSTRAINT users_check CHECK (CASE role
    WHEN 'subdistrict_admin' THEN subdistrict_id IS NOT NULL AND community_id IS NULL AND grid_id IS NULL AND department_id IS NULL AND cadre_id IS NULL
    WHEN 'community_secretary' THEN community_id IS NOT NULL AND subdistrict_id IS NULL AND grid_id IS NULL AND department_id IS NULL AND cadre_id IS NULL
    WHEN 'grid_worker' THEN grid_id IS NOT NULL AND subdistrict_id IS NULL AND community_id IS NULL AND department_id IS NULL AND cadre_id IS NULL
    WHEN 'department_staff' THEN department_id IS NOT NULL AND subdistrict_id IS NULL AND community_id IS NULL AND grid_id IS NULL AND cadre_id IS NULL
    WHEN 'task_force' THEN subdistrict_id IS NULL AND grid_id IS NULL AND department_id IS NULL AND cadre_id IS NULL
    WHEN 'party_member' THEN grid_id IS NOT NULL AND cadre_id IS NOT NULL AND subdistrict_id IS NULL AND community_id IS NULL AND department_id IS NULL
    ELSE subdistrict_id IS NULL AND community_id IS NULL AND grid_id IS NULL AND department_id IS NULL AND cadre_id IS NULL
  END);
CREATE UNIQUE INDEX users_cadre_idx ON users (cadre_id) WHERE cadre_id IS NOT NULL;

-- ---- the catalogue ----
CREATE TABLE case_categories (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name text NOT NULL UNIQUE CHECK (name <> ''),
  -- a heading for pickers: 环境卫生, 矛盾纠纷, …
  group_name text NOT NULL,
  default_mode text NOT NULL CHECK (default_mode IN ('consultation', 'department', 'leader_led', 'party_committee')),
  default_level text NOT NULL CHECK (default_level IN ('grid', 'community', 'subdistrict', 'city')),
  -- the department usually responsible (departments.code); a suggestion for the dispatcher
  default_department_code text,
  -- true: the clocks count only office hours (Mon–Fri 08:30–12:00, 14:30–18:00 Asia/Shanghai)
  working_hours boolean NOT NULL,
  sort integer NOT NULL
);

-- Stage limits in minutes (working minutes where the category says so), per priority.
-- claim is the response time: from dispatch until someone takes the case.
CREATE TABLE case_category_limits (
  category_code text NOT NULL REFERENCES case_categories (code) ON DELETE CASCADE,
  priority text NOT NULL CHECK (priority IN ('normal', 'urgent', 'emergency')),
  dispatch_minutes integer NOT NULL CHECK (dispatch_minutes > 0),
  claim_minutes integer NOT NULL CHECK (claim_minutes > 0),
  handling_minutes integer NOT NULL CHECK (handling_minutes > 0),
  verification_minutes integer NOT NULL CHECK (verification_minutes > 0),
  PRIMARY KEY (category_code, priority)
);

-- A working day is 420 working minutes. Limits are for "normal"; urgent and emergency derive below.
-- Departments: D01 公安 D02 民政 D03 人社 D04 住建 D05 城管 D08 自然资源 D09 生态环境 D10 交通
-- D11 水利 D12 应急 D13 市场监管 D14 司法 D17 农业农村 D19 信访 D20 残联 D23 供电 D24 自来水.
CREATE TEMPORARY TABLE case_catalogue_seed (
  sort integer, code text, name text, group_name text, mode text, level text, dept text, wh boolean,
  dispatch integer, claim integer, handling integer, verification integer
) ON COMMIT DROP;
INSERT INTO case_catalogue_seed VALUES
  ( 1, 'garbage',            '垃圾堆积与清运不及时',         '环境卫生', 'department',      'grid',        'D05', true,   120,  240,  1260,  420),
  ( 2, 'sewage',             '污水外溢与下水道堵塞',         '环境卫生', 'department',      'community',   'D05', false,   60,  120,  1440,  720),
  ( 3, 'pollution',          '油烟、扬尘与异味污染',         '环境卫生', 'department',      'community',   'D09', true,   240,  420,  2100,  420),
  ( 4, 'noise',              '噪声扰民',                     '环境卫生', 'consultation',    'grid',        'D09', false,  120,  240,  1440,  720),
  ( 5, 'greenery',           '绿化毁损与树木倒伏隐患',       '环境卫生', 'department',      'community',   'D05', true,   240,  420,  2100,  420),
  ( 6, 'neighbour_dispute',  '邻里纠纷',                     '矛盾纠纷', 'consultation',    'grid',        'D14', true,   240,  420,  2100,  840),
  ( 7, 'property_dispute',   '物业服务纠纷',                 '矛盾纠纷', 'consultation',    'community',   'D04', true,   240,  420,  4200,  840),
  ( 8, 'family_dispute',     '婚姻家庭纠纷',                 '矛盾纠纷', 'consultation',    'grid',        'D14', true,   240,  420,  2100,  840),
  ( 9, 'wage_dispute',       '欠薪与劳动纠纷',               '矛盾纠纷', 'department',      'subdistrict', 'D03', true,   420,  840,  4200,  840),
  (10, 'road_damage',        '道路破损与井盖缺失',           '设施维修', 'department',      'community',   'D05', false,   60,  120,  1440,  720),
  (11, 'streetlight',        '路灯不亮',                     '设施维修', 'department',      'community',   'D05', true,   240,  420,  2100,  420),
  (12, 'public_facility',    '公共设施损坏（健身器材、座椅、围栏）', '设施维修', 'department', 'grid',    'D05', true,   240,  420,  4200,  420),
  (13, 'elevator',           '电梯故障与困人',               '设施维修', 'department',      'community',   'D13', false,   15,   30,   480,  720),
  (14, 'water_supply',       '停水、爆管与水质问题',         '水电气',   'department',      'community',   'D24', false,   30,   60,   720,  720),
  (15, 'power_supply',       '停电与线路老化隐患',           '水电气',   'department',      'community',   'D23', false,   30,   60,   720,  720),
  (16, 'gas_safety',         '燃气泄漏与管道隐患',           '水电气',   'department',      'community',   'D12', false,   10,   20,   240,  720),
  (17, 'fire_hazard',        '消防通道堵塞与火灾隐患',       '公共安全', 'department',      'community',   'D12', false,   60,  120,  1440,  720),
  (18, 'public_order',       '治安隐患与可疑情况',           '公共安全', 'department',      'community',   'D01', false,   30,   60,  1440,  720),
  (19, 'geohazard',          '滑坡、崩塌等地质灾害隐患',     '公共安全', 'leader_led',      'subdistrict', 'D08', false,   30,   60,  1440, 1440),
  (20, 'flooding',           '内涝积水与防汛',               '公共安全', 'department',      'community',   'D11', false,   30,   60,   720,  720),
  (21, 'building_safety',    '房屋安全隐患（危房、拆改承重墙）', '房屋建筑', 'leader_led',  'subdistrict', 'D04', true,   240,  420,  4200,  840),
  (22, 'illegal_building',   '违法搭建',                     '房屋建筑', 'department',      'subdistrict', 'D05', true,   420,  840,  6300,  840),
  (23, 'parking',            '乱停乱放与占用消防通道',       '交通出行', 'department',      'grid',        'D01', true,   120,  240,  1260,  420),
  (24, 'traffic_facility',   '交通信号与标志标线损坏',       '交通出行', 'department',      'community',   'D10', true,   240,  420,  2100,  420),
  (25, 'street_vending',     '占道经营与流动摊贩',           '市容秩序', 'department',      'grid',        'D05', true,   240,  420,  1260,  420),
  (26, 'pets',               '犬只扰民与流浪动物',           '市容秩序', 'consultation',    'grid',        'D17', true,   240,  420,  2100,  420),
  (27, 'hardship',           '困难群众临时救助',             '民生帮扶', 'consultation',    'community',   'D02', true,   240,  420,  2100,  840),
  (28, 'elderly_care',       '独居老人与残疾人关爱',         '民生帮扶', 'consultation',    'grid',        'D20', true,   240,  420,  2100,  840),
  (29, 'errand',             '代办民生实事',                 '民生帮扶', 'consultation',    'grid',        NULL,  true,   240,  420,  2100,  420),
  (30, 'collective_appeal',  '征迁安置与群体性诉求',         '重大事项', 'party_committee', 'subdistrict', 'D19', true,   240,  420,  8400, 1260);

INSERT INTO case_categories (code, name, group_name, default_mode, default_level, default_department_code, working_hours, sort)
SELECT code, name, group_name, mode, level, dept, wh, sort FROM case_catalogue_seed;

-- urgent: half the time; emergency: a quarter (never under 5 minutes)
INSERT INTO case_category_limits (category_code, priority, dispatch_minutes, claim_minutes, handling_minutes, verification_minutes)
SELECT s.code, p.priority,
       greatest(5, round(s.dispatch * p.f)::int), greatest(5, round(s.claim * p.f)::int),
       greatest(5, round(s.handling * p.f)::int), greatest(5, round(s.verification * p.f)::int)
  FROM case_catalogue_seed s
 CROSS JOIN (VALUES ('normal', 1.0), ('urgent', 0.5), ('emergency', 0.25)) AS p (priority, f);

-- ---- 包保: each community's linked prefecture leader, city leader, lead unit and 3–5 units ----
-- Synthetic and deterministic from the community code (and the department codes), so it follows
-- any boundary import without a seeding step; the names say they are made up.
CREATE VIEW community_partner_units AS
SELECT r.community_id, r.department_id, CASE WHEN r.rank = 1 THEN 'lead' ELSE 'responsible' END AS role
  FROM (SELECT c.id AS community_id, d.id AS department_id, c.code,
               row_number() OVER (PARTITION BY c.id ORDER BY md5(c.code || ':' || d.code), d.code) AS rank
          FROM communities c CROSS JOIN departments d) r
 WHERE r.rank <= 1 + 3 + (('x' || substr(md5(r.code), 1, 4))::bit(16)::integer % 3);

CREATE VIEW community_partners AS
SELECT c.id AS community_id,
       '联系州领导（虚构）' || (ARRAY['王','李','张','刘','陈','杨','黄','赵','周','吴','徐','孙','胡','朱','高','向'])
         [1 + ('x' || substr(md5('prefecture:' || c.code), 1, 4))::bit(16)::integer % 16] || '某' AS prefecture_leader,
       '联系市领导（虚构）' || (ARRAY['谭','田','覃','冉','邓','彭','龚','郑','秦','冯','蒋','沈','韩','唐','曹','许'])
         [1 + ('x' || substr(md5('city:' || c.code), 1, 4))::bit(16)::integer % 16] || '某' AS city_leader,
       (SELECT u.department_id FROM community_partner_units u WHERE u.community_id = c.id AND u.role = 'lead') AS lead_department_id,
       ARRAY(SELECT u.department_id FROM community_partner_units u
              WHERE u.community_id = c.id AND u.role = 'responsible' ORDER BY u.department_id) AS responsible_department_ids,
       true AS synthetic
  FROM communities c;

-- ---- cases ----
-- 'ES' || the Asia/Shanghai date || a per-day sequence: ES20261128-0001
CREATE TABLE case_number_counters (
  day date PRIMARY KEY,
  last integer NOT NULL
);

CREATE TABLE cases (
  id serial PRIMARY KEY,
  number text NOT NULL UNIQUE CHECK (number ~ '^ES[0-9]{8}-[0-9]{4,}$'),
  category_code text NOT NULL REFERENCES case_categories (code),
  priority text NOT NULL CHECK (priority IN ('normal', 'urgent', 'emergency')),
  description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 2000),
  geom geometry(Point, 4326) NOT NULL,
  address text CHECK (char_length(address) <= 200),
  reporter_kind text NOT NULL CHECK (reporter_kind IN ('resident', 'grid_worker', 'party_member', 'department', 'secretary')),
  reporter_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  -- personal: a resident's number taken down by whoever filed the case
  reporter_phone text,
  status text NOT NULL CHECK (status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', 'resolved',
                                         'verified', 'closed', 'rejected', 'duplicate')),
  mode text NOT NULL CHECK (mode IN ('consultation', 'department', 'leader_led', 'party_committee')),
  level text NOT NULL CHECK (level IN ('grid', 'community', 'subdistrict', 'city')),
  max_level text NOT NULL CHECK (max_level IN ('grid', 'community', 'subdistrict', 'city')),
  escalation_count integer NOT NULL DEFAULT 0 CHECK (escalation_count >= 0),
  -- at most one assignee: a department, a party member, or the grid worker(s) of a grid
  assigned_department_id integer REFERENCES departments (id),
  assigned_cadre_id integer REFERENCES cadres (id),
  assigned_grid_id integer REFERENCES grids (id),
  -- each stage's deadline, set when the stage starts; the current one is `deadline`
  dispatch_deadline timestamptz,
  claim_deadline timestamptz,
  handling_deadline timestamptz,
  verification_deadline timestamptz,
  stage_started_at timestamptz,
  stage_limit_minutes integer,
  -- the highest warning (percent of the limit) written in the current stage
  stage_warning smallint NOT NULL DEFAULT 0 CHECK (stage_warning IN (0, 75, 90, 100)),
  -- when the sweeper next has something to do for this case (a warning or the deadline)
  next_check_at timestamptz,
  duplicate_of integer REFERENCES cases (id),
  resolved_at timestamptz,
  closed_at timestamptz,
  rating smallint CHECK (rating BETWEEN 1 AND 5),
  rated_at timestamptz,
  grid_id integer NOT NULL REFERENCES grids (id),
  community_id integer NOT NULL REFERENCES communities (id),
  subdistrict_id integer NOT NULL REFERENCES subdistricts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  -- the running stage's deadline; overdue (deadline < now) is derived at query time, never stored
  deadline timestamptz GENERATED ALWAYS AS (CASE
    WHEN status IN ('submitted', 'accepted') THEN dispatch_deadline
    WHEN status = 'dispatched' THEN claim_deadline
    WHEN status IN ('claimed', 'in_progress') THEN handling_deadline
    WHEN status = 'resolved' THEN verification_deadline
  END) STORED,
  CHECK ((assigned_department_id IS NOT NULL)::int + (assigned_cadre_id IS NOT NULL)::int + (assigned_grid_id IS NOT NULL)::int <= 1),
  CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
  CHECK (duplicate_of IS DISTINCT FROM id)
);
CREATE INDEX cases_geom_idx ON cases USING gist (geom);
CREATE INDEX cases_status_idx ON cases (status);
CREATE INDEX cases_grid_idx ON cases (grid_id);
CREATE INDEX cases_community_idx ON cases (community_id);
CREATE INDEX cases_subdistrict_idx ON cases (subdistrict_id);
CREATE INDEX cases_department_idx ON cases (assigned_department_id) WHERE assigned_department_id IS NOT NULL;
CREATE INDEX cases_created_idx ON cases (created_at DESC);
CREATE INDEX cases_next_check_idx ON cases (next_check_at) WHERE next_check_at IS NOT NULL;

-- Append-only: ids are the ids of the live event stream; the case row is their projection.
CREATE TABLE case_events (
  id bigserial PRIMARY KEY,
  case_id integer NOT NULL REFERENCES cases (id),
  at timestamptz NOT NULL DEFAULT now(),
  -- NULL for the system (the sweeper); actor_label says who then
  actor_user_id integer REFERENCES users (id),
  actor_label text NOT NULL,
  action text NOT NULL CHECK (action IN ('submit', 'accept', 'dispatch', 'claim', 'start', 'resolve', 'verify', 'reopen',
    'close', 'rate', 'return', 'reject', 'mark_duplicate', 'escalate', 'whistle', 'report', 'supervise', 'comment', 'warning')),
  from_status text CHECK (from_status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', 'resolved',
                                          'verified', 'closed', 'rejected', 'duplicate')),
  to_status text NOT NULL CHECK (to_status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', 'resolved',
                                               'verified', 'closed', 'rejected', 'duplicate')),
  payload jsonb NOT NULL DEFAULT '{}',
  -- copied from the case at the time, so a stream can filter by scope without joins
  grid_id integer NOT NULL,
  community_id integer NOT NULL,
  subdistrict_id integer NOT NULL,
  department_id integer
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);
CREATE INDEX case_events_at_idx ON case_events (at);

CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();

-- Photos live in the database on both backends: re-encoded (no EXIF/GPS) with a thumbnail.
CREATE TABLE case_photos (
  id serial PRIMARY KEY,
  case_id integer NOT NULL REFERENCES cases (id),
  mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  image bytea NOT NULL,
  thumbnail bytea NOT NULL,
  size integer NOT NULL CHECK (size BETWEEN 1 AND 5242880),
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  -- of the stored (re-encoded) image
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_photos_case_idx ON case_photos (case_id);

-- 社区吹哨、部门报到: a community whistles its units to a case; each unit's report time is kept.
CREATE TABLE case_whistles (
  id serial PRIMARY KEY,
  case_id integer NOT NULL REFERENCES cases (id),
  department_id integer NOT NULL REFERENCES departments (id),
  whistled_at timestamptz NOT NULL DEFAULT now(),
  whistled_by integer REFERENCES users (id),
  reported_at timestamptz,
  reported_by integer REFERENCES users (id),
  UNIQUE (case_id, department_id)
);
CREATE INDEX case_whistles_department_idx ON case_whistles (department_id);
