-- 0031: 五社联动 — the organisations that work with the communities: the 24 social-work
-- organisations (社会工作服务机构), the 287 volunteer teams (志愿服务队), the 169 self-governance
-- organisations (居民自治组织) and the named service teams (司机之家, 硒都蜂巢, 红管家). Each is
-- based in a community, at a point there; the social-work organisations and the service teams
-- serve every community, the others their own. An organisation can take a resident's need as a
-- unit's resource does: the community dispatches the need to it (needs.organisation_id), and,
-- as the organisation has no account here, the community's secretary records its claim and its
-- result. The kinds are also in contract/src/organisations.ts (a test compares the CHECK values).
--
-- Real names where they are reported (the social-work organisations 毕兹卡 and 小棉袄, the three
-- service teams), every other name invented and marked synthetic; where each is based is
-- synthetic for all of them. Deterministic (md5 ranks of the community codes), for the synthetic
-- dataset only, as the community workers of 0026–0027.
CREATE TABLE social_organisations (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('social_work', 'volunteer_team', 'self_governance', 'service_team')),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  -- serves every community (else only its own)
  city_wide boolean NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  -- the name is invented (the real ones: 毕兹卡, 小棉袄, 司机之家, 硒都蜂巢, 红管家)
  synthetic boolean NOT NULL DEFAULT true,
  active boolean NOT NULL DEFAULT true,
  UNIQUE (kind, name)
);
CREATE INDEX social_organisations_community_idx ON social_organisations (community_id, kind);

-- A need dispatched to an organisation instead of a unit's resource.
ALTER TABLE needs ADD COLUMN organisation_id integer REFERENCES social_organisations (id);
CREATE INDEX needs_organisation_idx ON needs (organisation_id) WHERE organisation_id IS NOT NULL;
ALTER TABLE needs DROP CONSTRAINT needs_check;
ALTER TABLE needs ADD CONSTRAINT needs_dispatched_has_taker CHECK (
  (status IN ('dispatched', 'claimed', 'fulfilled'))
    <= ((department_id IS NOT NULL AND resource_id IS NOT NULL) OR organisation_id IS NOT NULL));
ALTER TABLE needs ADD CONSTRAINT needs_one_taker CHECK (organisation_id IS NULL OR (department_id IS NULL AND resource_id IS NULL));

-- Fills the registry once, when it is empty and the dataset is the synthetic one (the dataset
-- seeding calls it; on a database already seeded it runs here). Returns the organisations written.
CREATE FUNCTION seed_social_organisations() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  IF EXISTS (SELECT 1 FROM social_organisations)
     OR NOT EXISTS (SELECT 1 FROM dataset_info WHERE key = 'name' AND value = 'enshi-synthetic') THEN
    RETURN 0;
  END IF;
  WITH ranked AS (
    SELECT c.id, c.code, c.name, row_number() OVER (ORDER BY md5('org:' || c.code)) AS r, count(*) OVER () AS n
      FROM communities c
  ), rows (kind, code, name, description, community_id, city_wide, synthetic, k) AS (
    -- 24 social-work organisations, based in the communities in md5 order
    SELECT 'social_work', 'SW' || lpad(s::text, 3, '0'),
           (ARRAY['毕兹卡', '小棉袄', '清江', '武陵', '硒乡', '龙凤', '舞阳', '连珠', '土家', '金桂', '向阳', '同心',
                  '春晖', '暖心', '和美', '善行', '邻里', '守望', '彩虹', '益众', '惠民', '启航', '馨苑', '映山红'])[s]
             || '社会工作服务中心',
           '专业社工服务：困难群众帮扶、“一老一小”关爱、社区营造', rk.id, true, s > 2, s
      FROM generate_series(1, 24) AS s JOIN ranked rk ON rk.r = 1 + (s - 1) % rk.n
    UNION ALL
    -- 287 volunteer teams: eight in every community, a ninth in the first 23 by md5 rank
    SELECT 'volunteer_team', 'VT' || rk.code || t, rk.name || (ARRAY['党员先锋', '巾帼', '青年', '银龄', '邻里互助', '文明劝导',
             '应急救援', '关爱儿童', '平安巡逻'])[t] || '志愿服务队',
           '社区志愿服务', rk.id, false, true, t
      FROM ranked rk CROSS JOIN generate_series(1, 9) AS t
     WHERE t <= 8 OR rk.r <= 287 - 8 * rk.n
    UNION ALL
    -- 169 self-governance organisations: five in every community, a sixth in the first 4
    SELECT 'self_governance', 'SG' || rk.code || t, rk.name || (ARRAY['居民议事会', '红白理事会', '楼栋自管小组', '老年协会',
             '文体协会', '业主委员会联席会'])[t],
           '居民自我管理、自我服务', rk.id, false, true, t
      FROM ranked rk CROSS JOIN generate_series(1, 6) AS t
     WHERE t <= 5 OR rk.r <= 169 - 5 * rk.n
    UNION ALL
    -- the named service teams
    SELECT 'service_team', 'ST' || s, (ARRAY['司机之家', '硒都蜂巢', '红管家'])[s],
           (ARRAY['货车司机、网约车司机、快递小哥等新就业群体的歇脚服务站',
                  '新就业群体党建与服务阵地',
                  '党建引领的物业服务队，服务无物业老旧小区'])[s],
           rk.id, true, false, s
      FROM generate_series(1, 3) AS s JOIN ranked rk ON rk.r = 1 + (s * 7) % rk.n
  ), homes AS (
    -- every household of each community, numbered, so each organisation takes one by its hash
    SELECT g.community_id, h.geom, row_number() OVER (PARTITION BY g.community_id ORDER BY h.id) AS rn,
           count(*) OVER (PARTITION BY g.community_id) AS cnt
      FROM households h JOIN grids g ON g.id = h.grid_id
  )
  INSERT INTO social_organisations (kind, code, name, description, community_id, city_wide, synthetic, geom)
  SELECT r.kind, r.code, r.name, r.description, r.community_id, r.city_wide, r.synthetic,
         coalesce((SELECT hm.geom FROM homes hm WHERE hm.community_id = r.community_id
                      AND hm.rn = 1 + ('x' || substr(md5('org:' || r.code), 1, 7))::bit(28)::int % hm.cnt),
                  (SELECT ST_PointOnSurface(c.geom) FROM communities c WHERE c.id = r.community_id))
    FROM rows r
   ORDER BY r.kind, r.code;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END $$;

SELECT seed_social_organisations();
