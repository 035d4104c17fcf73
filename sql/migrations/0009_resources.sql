-- 0009: the resources list (资源清单): what each of the city's units offers communities, kept by
-- that unit's staff, and what a dispatcher is offered when a case needs a unit (部门端菜).
-- department_resources (0002, seeded with the dataset) gets a kind, a capacity, the case
-- categories it serves and an optional service area (NULL: the whole city).
ALTER TABLE department_resources
  ADD COLUMN kind text NOT NULL DEFAULT 'service' CHECK (kind IN ('service', 'project')),
  ADD COLUMN capacity integer NOT NULL DEFAULT 10 CHECK (capacity BETWEEN 0 AND 100000),
  ADD COLUMN categories text[] NOT NULL DEFAULT '{}',
  ADD COLUMN community_ids integer[],
  ADD COLUMN active boolean NOT NULL DEFAULT true,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX department_resources_categories_idx ON department_resources USING gin (categories);

-- A database seeded before this migration: each unit's resources serve the case categories the
-- unit is the default handler of (the seed does the same for new databases).
UPDATE department_resources r
   SET categories = ARRAY(SELECT c.code FROM case_categories c WHERE c.default_department_code = d.code ORDER BY c.sort)
  FROM departments d
 WHERE d.id = r.department_id;
