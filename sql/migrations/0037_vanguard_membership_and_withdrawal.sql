-- 0037: the community secretary keeps the 红色尖刀班's membership and may withdraw a task, and
-- neither loses history. A member who leaves keeps their row (their progress reports name it)
-- with the time they left and why; added again later, the same row is taken back in. A task
-- withdrawn keeps its row and its progress reports, with the time and the reason; it leaves the
-- team's active list, its figures and the map layer.
ALTER TABLE vanguard_members
  ADD COLUMN left_at timestamptz,
  ADD COLUMN left_reason text CHECK (char_length(left_reason) <= 200),
  ADD CONSTRAINT vanguard_members_left_check CHECK ((left_at IS NULL) = (left_reason IS NULL));

ALTER TABLE vanguard_tasks
  ADD COLUMN withdrawn_at timestamptz,
  ADD COLUMN withdrawn_reason text CHECK (char_length(withdrawn_reason) BETWEEN 1 AND 200),
  ADD CONSTRAINT vanguard_tasks_withdrawn_check CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL));
