-- 0035: 三级考评 of people and units, not only areas. The areas (grids, communities,
-- subdistricts) are scored from their cases with kpi_weights (0007); here the units and people
-- are: 包保单位 (a unit in its 包保 role, over the communities it is linked to), 驻区单位 (a unit
-- handling the cases and needs dispatched to it), 尖刀班成员 and 下沉党员. Each subject's score
-- is Σ weight × rate ÷ Σ weight over its rates that are defined, as 0–100, computed in SQL from
-- the figures (routes/evaluation.ts); the weights are these rows, edited by the administrator
-- through PUT /api/evaluation/weights (audited). The subjects and metrics are also in
-- contract/src/evaluation.ts (a test compares them with these rows).
CREATE TABLE evaluation_weights (
  subject text NOT NULL CHECK (subject IN ('partner_unit', 'resident_unit', 'vanguard_member', 'sunk_member')),
  metric text NOT NULL,
  label text NOT NULL,
  weight numeric NOT NULL CHECK (weight >= 0 AND weight <= 100),
  sort smallint NOT NULL,
  PRIMARY KEY (subject, metric)
);

INSERT INTO evaluation_weights (subject, metric, label, weight, sort) VALUES
  ('partner_unit', 'whistle_rate', '吹哨报到率', 30, 1),
  ('partner_unit', 'party_committee_rate', '大党委交办完成率', 20, 2),
  ('partner_unit', 'community_resolution_rate', '包保社区案件办结率', 30, 3),
  ('partner_unit', 'community_satisfaction_rate', '包保社区群众满意率', 20, 4),
  ('resident_unit', 'response_rate', '按时响应率', 25, 1),
  ('resident_unit', 'resolution_rate', '案件办结率', 25, 2),
  ('resident_unit', 'on_time_rate', '按时办结率', 25, 3),
  ('resident_unit', 'need_rate', '需求办结率', 25, 4),
  ('vanguard_member', 'team_progress', '班组任务进度', 50, 1),
  ('vanguard_member', 'task_coverage', '任务参与率', 50, 2),
  ('sunk_member', 'branch_resolution_rate', '片区案件办结率', 40, 1),
  ('sunk_member', 'branch_satisfaction_rate', '片区群众满意率', 30, 2),
  ('sunk_member', 'vanguard_coverage', '尖刀班任务参与率', 30, 3);
