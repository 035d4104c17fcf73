-- 0024: 社区吹哨、部门报到 only to the community's own 大党委 units (包保).
--
-- Each community has a lead unit and 3–5 responsible units (the community_partner_units view of
-- 0005). A community whistles those units to a case, and no other: the route checks it first to
-- answer with the units' names, and this trigger holds the rule for every writer. A whistle is
-- checked when it is made; a case that later moves to another community (a redrawn grid) keeps
-- the whistles it had. The refusal names the unit, never its id.
CREATE FUNCTION case_whistles_partner_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM cases c
                   JOIN community_partner_units u ON u.community_id = c.community_id AND u.department_id = NEW.department_id
                  WHERE c.id = NEW.case_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'case_whistles_partner_only',
      MESSAGE = format('%s不是本社区的包保单位 (not a unit linked to the case''s community)',
                       coalesce((SELECT d.name FROM departments d WHERE d.id = NEW.department_id), '该单位'));
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER case_whistles_partner_only BEFORE INSERT ON case_whistles
  FOR EACH ROW EXECUTE FUNCTION case_whistles_partner_only();
