-- 0033: the 五社联动 seed of 0031, the same organisations at the same households, found by a join.
-- 0031 placed each of the 483 organisations with a subquery over every household of the city
-- (numbered in a window), run once per organisation: 11 s of a 17.8 s seed on the embedded
-- database and 6.6 s on PostgreSQL, measured on 2 idle cores. Here each organisation's household
-- number is computed first and the numbered households are joined once.
CREATE OR REPLACE FUNCTION seed_social_organisations() RETURNS integer LANGUAGE plpgsql AS $$
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
  ), counts AS (
    SELECT g.community_id, count(*) AS cnt FROM households h JOIN grids g ON g.id = h.grid_id GROUP BY g.community_id
  ), picks AS (
    -- the household each organisation is placed at: its number in the community, by the code's hash
    SELECT r.*, 1 + ('x' || substr(md5('org:' || r.code), 1, 7))::bit(28)::int % ct.cnt AS pick
      FROM rows r LEFT JOIN counts ct ON ct.community_id = r.community_id
  ), homes AS (
    -- every household of each community, numbered as 0031 numbers them
    SELECT g.community_id, h.geom, row_number() OVER (PARTITION BY g.community_id ORDER BY h.id) AS rn
      FROM households h JOIN grids g ON g.id = h.grid_id
  )
  INSERT INTO social_organisations (kind, code, name, description, community_id, city_wide, synthetic, geom)
  SELECT p.kind, p.code, p.name, p.description, p.community_id, p.city_wide, p.synthetic,
         coalesce(hm.geom, (SELECT ST_PointOnSurface(c.geom) FROM communities c WHERE c.id = p.community_id))
    FROM picks p LEFT JOIN homes hm ON hm.community_id = p.community_id AND hm.rn = p.pick
   ORDER BY p.kind, p.code;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END $$;
