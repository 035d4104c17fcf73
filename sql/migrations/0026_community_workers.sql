-- 0026: 社区工作者队伍 — the community workers (社区书记、主任、委员、网格员、专职社工) of every
-- community, with the three figures Enshi's reform of the community workforce is measured by:
-- the share under 40 years old, with a college degree (大专及以上) and certified as social
-- workers (持证社工). The education and post lists are also in contract/src/workforce.ts (a test
-- compares the CHECK values with the contract).
--
-- Synthetic and deterministic: twelve workers per community (slot 1 the secretary, 2 the
-- director, 3–5 committee members, 6–9 grid workers, 10–12 full-time social workers). Across
-- the city, exactly round(n × 64.9 %) are under 40, round(n × 76 %) hold a college degree and
-- round(n × 49.2 %) are certified — for 33 communities (396 workers): 257, 301 and 195, that
-- is 64.9 %, 76.0 % and 49.2 % to one decimal, the reform's reported results. Which workers
-- they are is chosen by md5 ranks of the community code and slot. Ages are counted on a fixed
-- reference year, 2024 (the year the results were reported): under 40 means born after 1984.
CREATE TABLE community_workers (
  id serial PRIMARY KEY,
  community_id integer NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name <> ''),
  birth_year integer NOT NULL CHECK (birth_year BETWEEN 1940 AND 2010),
  education text NOT NULL CHECK (education IN ('secondary', 'junior_college', 'bachelor', 'postgraduate')),
  certified boolean NOT NULL,
  post text NOT NULL CHECK (post IN ('secretary', 'director', 'committee_member', 'grid_worker', 'social_worker')),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_workers_community_idx ON community_workers (community_id, id);

-- Fills the table once, for every community there is, when it holds no worker yet (the
-- dataset seeding calls it after writing the boundaries; on a database already seeded it runs
-- here). Returns the number of workers written.
CREATE FUNCTION seed_community_workers() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  IF EXISTS (SELECT 1 FROM community_workers) THEN
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

SELECT seed_community_workers();
