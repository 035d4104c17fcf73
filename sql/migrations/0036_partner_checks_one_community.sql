-- 0036: the 包保 checks on whistles (0024) and on a case's units (0029) read the
-- community_partner_units view for the case's community only. Joined to the case, the view's
-- window (every community × every department, numbered per community) could not be narrowed by
-- the join: each whistle or unit written computed it for the whole city, 792 rows at the city's
-- 33 communities and 7,920 at 330 (GRID_ATLAS_SCALE=10), so writing whistles grew with the square
-- of the city (the ×10 case history's whistles took minutes). With the community as a value the
-- view's filter on its partition key is pushed into it: 24 rows, whatever the city's size.
-- Same rule, same refusal.
CREATE OR REPLACE FUNCTION case_whistles_partner_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM community_partner_units u
                  WHERE u.community_id = (SELECT c.community_id FROM cases c WHERE c.id = NEW.case_id)
                    AND u.department_id = NEW.department_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'case_whistles_partner_only',
      MESSAGE = format('%s不是本社区的包保单位 (not a unit linked to the case''s community)',
                       coalesce((SELECT d.name FROM departments d WHERE d.id = NEW.department_id), '该单位'));
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION case_units_partner_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM community_partner_units u
                  WHERE u.community_id = (SELECT c.community_id FROM cases c WHERE c.id = NEW.case_id)
                    AND u.department_id = NEW.department_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'case_units_partner_only',
      MESSAGE = format('%s不是本社区的包保单位 (not a unit linked to the case''s community)',
                       coalesce((SELECT d.name FROM departments d WHERE d.id = NEW.department_id), '该单位'));
  END IF;
  RETURN NEW;
END
$$;
