-- 0034: 双定三联's third link — each in-service party member (在职党员) is linked to a family in
-- difficulty, to 5–10 neighbouring households (cadre_household_links) and to 1–3 businesses
-- (经营主体) near home: the shops and small firms a member checks in with for 企业服务.
--
-- The businesses are synthetic (every name invented, every place a household's building of the
-- urban core), deterministic (md5 of codes and ids) and written for the synthetic dataset only,
-- as the social organisations of 0031/0033: one business for every 40 households of a community
-- (rounded up), at the building of a household picked by hash; each member is linked to the
-- 1–3 businesses nearest to home (how many by the hash of the member's id, ties by id).
CREATE TABLE businesses (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
  -- 个体工商户 or 企业
  kind text NOT NULL CHECK (kind IN ('individual', 'enterprise')),
  -- the trade, in words (餐饮, 零售, 生活服务, …)
  trade text NOT NULL CHECK (char_length(trade) BETWEEN 1 AND 20),
  address text NOT NULL,
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  geom geometry(Point, 4326) NOT NULL,
  synthetic boolean NOT NULL DEFAULT true
);
CREATE INDEX businesses_community_idx ON businesses (community_id);
CREATE INDEX businesses_geom_idx ON businesses USING gist (geom);

-- Only an in-service member holds this link: the composite key on (cadre, kind) keeps that rule
-- as 0013 does for the household links.
CREATE TABLE cadre_business_links (
  cadre_id integer NOT NULL,
  business_id integer NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  cadre_kind text NOT NULL DEFAULT 'in_service' CHECK (cadre_kind = 'in_service'),
  PRIMARY KEY (cadre_id, business_id),
  FOREIGN KEY (cadre_id, cadre_kind) REFERENCES cadres (id, kind) ON DELETE CASCADE
);
CREATE INDEX cadre_business_links_business_idx ON cadre_business_links (business_id);

CREATE TRIGGER businesses_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON businesses
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER cadre_business_links_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cadre_business_links
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- Fills the businesses and the members' links once, when there are none and the dataset is the
-- synthetic one (the dataset seeding calls it; on a database already seeded it runs here).
-- Returns the businesses written.
CREATE FUNCTION seed_businesses() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  IF EXISTS (SELECT 1 FROM businesses)
     OR NOT EXISTS (SELECT 1 FROM dataset_info WHERE key = 'name' AND value = 'enshi-synthetic') THEN
    RETURN 0;
  END IF;
  WITH homes AS (
    -- every household of each community, numbered by the hash of its id
    SELECT c.id AS community_id, c.code, h.id, h.geom, h.building,
           row_number() OVER (PARTITION BY c.id ORDER BY md5('biz:' || h.id), h.id) AS rn,
           count(*) OVER (PARTITION BY c.id) AS cnt
      FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities c ON c.id = g.community_id
  ), picked AS (
    SELECT hm.*, ('x' || substr(md5('biz:' || hm.code || ':' || hm.rn), 1, 7))::bit(28)::int AS hash
      FROM homes hm
     WHERE hm.rn <= (hm.cnt + 39) / 40
  )
  INSERT INTO businesses (code, name, kind, trade, address, community_id, geom)
  SELECT 'BZ' || p.code || lpad(p.rn::text, 3, '0'),
         (ARRAY['向记', '田家', '覃记', '彭家', '谭记', '张记', '李家', '刘记', '黄家', '杨记', '陈家', '王记',
                '清江', '硒都', '武陵', '土家'])[1 + p.hash % 16]
           || (ARRAY['便利店', '小吃店', '早餐店', '理发店', '五金店', '药店', '茶叶店', '水果店', '洗衣店', '家电维修部',
                     '快递驿站', '服装店', '商贸有限公司', '餐饮管理有限公司', '物流有限公司', '建材有限公司'])[1 + (p.hash / 16) % 16],
         CASE WHEN (p.hash / 16) % 16 >= 12 THEN 'enterprise' ELSE 'individual' END,
         (ARRAY['零售', '餐饮', '餐饮', '生活服务', '零售', '医药', '零售', '零售', '生活服务', '生活服务',
                '物流', '零售', '商贸', '餐饮', '物流', '建材'])[1 + (p.hash / 16) % 16],
         p.building || '底商', p.community_id, p.geom
    FROM picked p
   ORDER BY p.code, p.rn;
  GET DIAGNOSTICS written = ROW_COUNT;

  INSERT INTO cadre_business_links (cadre_id, business_id)
  SELECT c.id, b.id
    FROM cadres c
   CROSS JOIN LATERAL (
     -- the 16 nearest by the spatial index (an ORDER BY with a second key would scan every
     -- business for every member: 17 s on PostgreSQL), then ties broken by id
     SELECT n.id FROM (SELECT b.id, b.geom <-> c.geom AS d FROM businesses b ORDER BY b.geom <-> c.geom LIMIT 16) n
      ORDER BY n.d, n.id
      LIMIT 1 + ('x' || substr(md5('biz-link:' || c.id), 1, 7))::bit(28)::int % 3) b
   WHERE c.kind = 'in_service';
  RETURN written;
END $$;

SELECT seed_businesses();
