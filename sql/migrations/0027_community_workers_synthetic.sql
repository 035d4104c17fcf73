-- 0027: the community workers of 0026 are demo data, invented for the synthetic Enshi dataset:
-- only that dataset gets them, and each row says it is synthetic. A city that imported its own
-- boundaries keeps its own roster, so workers 0026 invented for an imported dataset are removed,
-- and the seeding function writes none unless the dataset is the synthetic one (the dataset
-- seeding calls it after recording the dataset's name).
ALTER TABLE community_workers ADD COLUMN synthetic boolean NOT NULL DEFAULT true;

DELETE FROM community_workers
 WHERE NOT EXISTS (SELECT 1 FROM dataset_info WHERE key = 'name' AND value = 'enshi-synthetic');

CREATE OR REPLACE FUNCTION seed_community_workers() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  IF EXISTS (SELECT 1 FROM community_workers)
     OR NOT EXISTS (SELECT 1 FROM dataset_info WHERE key = 'name' AND value = 'enshi-synthetic') THEN
    RETURN 0;
  END IF;
  WITH slots AS (
    SELECT c.id AS community_id, c.code, s AS slot, count(*) OVER () AS total
      FROM communities c CROSS JOIN generate_series(1, 12) AS s
  ), ranked AS (
    SELECT sl.*,
           row_number() OVER (ORDER BY md5('age:' || sl.code || ':' || sl.slot)) AS r_age,
           row_number() OVER (ORDER BY md5('edu:' || sl.code || ':' || sl.slot)) AS r_edu,
           row_number() OVER (ORDER BY md5('cert:' || sl.code || ':' || sl.slot)) AS r_cert,
           ('x' || substr(md5('h:' || sl.code || ':' || sl.slot), 1, 7))::bit(28)::int AS h
      FROM slots sl
  )
  INSERT INTO community_workers (community_id, name, birth_year, education, certified, post)
  SELECT r.community_id,
         (ARRAY['张','王','李','刘','陈','杨','黄','向','谭','田','覃','冉','龙','邓','彭','吴','肖','唐','滕','牟'])[1 + r.h % 20]
           || (ARRAY['晓','春','红','海','志','丽','建','玉','德','秀','明','文','小','俊','雪','国'])[1 + (r.h / 20) % 16]
           || (ARRAY['敏','杰','华','军','芳','勇','燕','静','磊','婷','波','琳','霞','峰','娟','涛','梅','鹏'])[1 + (r.h / 320) % 18],
         -- under 40 in 2024: born 1985–1999; otherwise 1965–1984
         CASE WHEN r.r_age <= round(r.total * 0.649) THEN 1985 + (r.h / 5760) % 15 ELSE 1965 + (r.h / 5760) % 20 END,
         CASE WHEN r.r_edu <= round(r.total * 0.76)
              THEN (ARRAY['junior_college','junior_college','bachelor','bachelor','bachelor','postgraduate'])[1 + (r.h / 115200) % 6]
              ELSE 'secondary' END,
         r.r_cert <= round(r.total * 0.492),
         CASE WHEN r.slot = 1 THEN 'secretary' WHEN r.slot = 2 THEN 'director' WHEN r.slot <= 5 THEN 'committee_member'
              WHEN r.slot <= 9 THEN 'grid_worker' ELSE 'social_worker' END
    FROM ranked r
   ORDER BY r.code, r.slot;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END $$;

