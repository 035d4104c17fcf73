-- 0028: 协商议办 routes a case through a 四方共议 deliberation instead of only labelling it.
--
-- Dispatching a case in consultation mode opens its deliberation (one row per case). The steps
-- follow in one fixed order: 两长四员 propose (提议) → the owners' committee discusses (商议) →
-- the building party group or grid party branch reviews (审议) → the property management
-- concurs (合议) → the decision (决议). Each step names who took it (a person or body, as typed
-- by the user recording it), when, and a note. The order is held here as well as in the route:
-- step N exists only after step N − 1 (a foreign key onto the case's own previous step), each
-- number carries exactly its step, and each step is recorded once. A consultation case whose
-- deliberation is open is resolved only after its decision.
CREATE TABLE case_deliberations (
  case_id integer PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  opened_at timestamptz NOT NULL,
  opened_by integer REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE case_deliberation_steps (
  case_id integer NOT NULL REFERENCES case_deliberations (case_id) ON DELETE CASCADE,
  step_no smallint NOT NULL CHECK (step_no BETWEEN 1 AND 5),
  step text NOT NULL,
  prev_no smallint GENERATED ALWAYS AS (nullif(step_no - 1, 0)) STORED,
  -- the person or body who took the step, as typed by the user recording it
  by_name text NOT NULL CHECK (char_length(by_name) BETWEEN 1 AND 50),
  note text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 1000),
  at timestamptz NOT NULL,
  recorded_by integer REFERENCES users (id) ON DELETE SET NULL,
  recorded_label text NOT NULL,
  PRIMARY KEY (case_id, step_no),
  CONSTRAINT case_deliberation_steps_order CHECK (step = (ARRAY['propose', 'discuss', 'review', 'concur', 'decide'])[step_no]),
  CONSTRAINT case_deliberation_steps_previous FOREIGN KEY (case_id, prev_no) REFERENCES case_deliberation_steps (case_id, step_no)
);
