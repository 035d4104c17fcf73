-- 0029: 领导领办 and 大党委交办 route a case to the community's 包保 organisation.
--
-- 联系社区领导牵头领办 (leader_led): the community's linked city leader (community_partners)
-- leads the case, recorded in case_leaders, and the community's 大党委 member units (包保: its
-- lead unit and responsible units) coordinate under the leader; the lead unit handles the case.
-- 大党委联动交办 (party_committee): the case goes to all of the community's member units
-- together; each claims and reports its own part, and the case is resolved once every part is
-- reported. Both modes list their units in case_units; a unit's staff see the cases listed for
-- their unit. The rows are replaced when the case is dispatched again, and removed when it is
-- returned or escalated. As for whistles (0024), only the case community's own units: the
-- trigger holds the rule for every writer and names the unit, never its id.
CREATE TABLE case_leaders (
  case_id integer PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  leader_name text NOT NULL CHECK (char_length(leader_name) BETWEEN 1 AND 100),
  assigned_at timestamptz NOT NULL,
  assigned_by integer REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE case_units (
  case_id integer NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  department_id integer NOT NULL REFERENCES departments (id),
  mode text NOT NULL CHECK (mode IN ('leader_led', 'party_committee')),
  role text NOT NULL CHECK (role IN ('lead', 'responsible')),
  assigned_at timestamptz NOT NULL,
  claimed_at timestamptz,
  claimed_by integer REFERENCES users (id) ON DELETE SET NULL,
  reported_at timestamptz,
  reported_by integer REFERENCES users (id) ON DELETE SET NULL,
  report_note text CHECK (char_length(report_note) BETWEEN 1 AND 1000),
  PRIMARY KEY (case_id, department_id),
  -- a part is reported only after it was claimed, and a report carries its note
  CHECK (reported_at IS NULL OR claimed_at IS NOT NULL),
  CHECK ((reported_at IS NULL) = (report_note IS NULL)),
  -- under a leader the units coordinate; parts are claimed and reported under the party committee
  CHECK (mode = 'party_committee' OR (claimed_at IS NULL AND reported_at IS NULL))
);
CREATE INDEX case_units_department_idx ON case_units (department_id, case_id);

CREATE FUNCTION case_units_partner_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM cases c
                   JOIN community_partner_units u ON u.community_id = c.community_id AND u.department_id = NEW.department_id
                  WHERE c.id = NEW.case_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'case_units_partner_only',
      MESSAGE = format('%s不是本社区的包保单位 (not a unit linked to the case''s community)',
                       coalesce((SELECT d.name FROM departments d WHERE d.id = NEW.department_id), '该单位'));
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER case_units_partner_only BEFORE INSERT ON case_units
  FOR EACH ROW EXECUTE FUNCTION case_units_partner_only();
