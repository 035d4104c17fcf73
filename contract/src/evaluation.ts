// 三级考评 of people and units (GET /api/evaluation, PUT /api/evaluation/weights): 包保单位,
// 驻区单位, 尖刀班成员 and 下沉党员, each scored Σ weight × rate ÷ Σ weight over the rates that are
// defined (0–100), with the figures every rate comes from. The weights are table
// evaluation_weights (migration 0035_evaluation_weights.sql lists the same subjects and metrics;
// a test compares them).
import { z } from 'zod';
import { idParam, limitParam } from './api/query.ts';

export const EVALUATION_SUBJECTS = ['partner_unit', 'resident_unit', 'vanguard_member', 'sunk_member'] as const;
export type EvaluationSubject = (typeof EVALUATION_SUBJECTS)[number];
export const EVALUATION_SUBJECT_LABELS: Record<EvaluationSubject, string> = {
  partner_unit: '包保单位', resident_unit: '驻区单位', vanguard_member: '尖刀班成员', sunk_member: '下沉党员',
};

/** Each subject's rates, in the order shown. */
export const EVALUATION_METRICS = {
  partner_unit: ['whistle_rate', 'party_committee_rate', 'community_resolution_rate', 'community_satisfaction_rate'],
  resident_unit: ['response_rate', 'resolution_rate', 'on_time_rate', 'need_rate'],
  vanguard_member: ['team_progress', 'task_coverage'],
  sunk_member: ['branch_resolution_rate', 'branch_satisfaction_rate', 'vanguard_coverage'],
} as const satisfies Record<EvaluationSubject, readonly string[]>;

/** Days of cases, whistles, needs and reports each score counts (the same window as the areas' 近30天). */
export const EVALUATION_DAYS = 30;

const SUBJECT_MESSAGE = `subject 应为 ${EVALUATION_SUBJECTS.join('|')} (subject must be one of ${EVALUATION_SUBJECTS.join(', ')})`;

export const evaluationQuery = z.object({
  subject: z.enum(EVALUATION_SUBJECTS, { message: SUBJECT_MESSAGE }),
  /** people only: the community of the team or area branch */
  community: idParam.optional(),
  limit: limitParam(200).optional(),
  offset: z.string().regex(/^\d{1,7}$/, '应为 0–9999999 的整数 (expected an integer from 0 to 9999999)').transform(Number).optional(),
}).strict();
export type EvaluationQuery = z.input<typeof evaluationQuery>;

export const evaluationWeight = z.object({ metric: z.string(), label: z.string(), weight: z.number() });

export const evaluationRow = z.object({
  id: z.number(),
  /** the unit's name, or the person's for the roles that see staff names (null for the others) */
  name: z.string().nullable(),
  /** where the person serves (the team's or the area branch's community); null for a unit */
  community_name: z.string().nullable(),
  score: z.number().nullable(),
  rank: z.number().nullable(),
  /** each metric's rate, 0–1, null where nothing was there to count */
  rates: z.record(z.string(), z.number().nullable()),
  /** the source figures the rates are computed from */
  figures: z.record(z.string(), z.number()),
});
export type EvaluationRow = z.infer<typeof evaluationRow>;

export const evaluationResponse = z.object({
  subject: z.enum(EVALUATION_SUBJECTS),
  from: z.string(),
  to: z.string(),
  weights: z.array(evaluationWeight),
  total: z.number(),
  rows: z.array(evaluationRow),
});
export type EvaluationResponse = z.infer<typeof evaluationResponse>;

/** Each subject's source figures, in the order shown (beside each score). */
export const EVALUATION_FIGURES = {
  partner_unit: ['communities', 'whistles', 'whistles_reported', 'parts', 'parts_reported', 'community_accepted', 'community_resolved',
    'community_rated', 'community_satisfied'],
  resident_unit: ['dispatched_due', 'responded_on_time', 'accepted', 'resolved', 'resolved_on_time', 'needs_taken', 'needs_fulfilled'],
  vanguard_member: ['team_tasks', 'progress_pct', 'tasks_reported', 'reports'],
  sunk_member: ['households_linked', 'branch_accepted', 'branch_resolved', 'branch_rated', 'branch_satisfied', 'team_tasks', 'tasks_reported'],
} as const satisfies Record<EvaluationSubject, readonly string[]>;

/** Labels of the source figures. */
export const EVALUATION_FIGURE_LABELS: Record<string, string> = {
  communities: '包保社区', whistles: '吹哨', whistles_reported: '已报到',
  parts: '交办部分', parts_reported: '已报告', community_accepted: '社区受理案件', community_resolved: '已办结',
  community_rated: '已评价', community_satisfied: '满意',
  dispatched_due: '应响应', responded_on_time: '按时响应', accepted: '受理案件', resolved: '已办结', resolved_on_time: '按时办结',
  needs_taken: '承接需求', needs_fulfilled: '已办结需求',
  team_tasks: '班组任务', tasks_reported: '参与任务', reports: '进度报告', progress_pct: '平均进度%',
  households_linked: '联系住户', branch_accepted: '片区受理案件', branch_resolved: '已办结', branch_rated: '已评价', branch_satisfied: '满意',
};

const WEIGHT_MESSAGE = '权重应为 0–100 的数 (a weight is a number from 0 to 100)';

/**
 * PUT /api/evaluation/weights: one subject's weights, every metric of it named once; each 0–100,
 * their sum above 0.
 */
export const evaluationWeightsBody = z.object({
  subject: z.enum(EVALUATION_SUBJECTS, { message: SUBJECT_MESSAGE }),
  weights: z.record(z.string(), z.number({ message: WEIGHT_MESSAGE }).finite(WEIGHT_MESSAGE)
    .min(0, '权重不能为负 (a weight must not be negative)').max(100, '权重最多 100 (a weight is at most 100)'),
  { message: '权重应为 指标: 数值 的对象 (weights: an object of metric: number)' }),
}).strict().superRefine((b, ctx) => {
  const metrics: readonly string[] = EVALUATION_METRICS[b.subject];
  const given = Object.keys(b.weights);
  const unknown = given.filter((m) => !metrics.includes(m));
  if (unknown.length) {
    ctx.addIssue({ code: 'custom', path: ['weights'], message: `${EVALUATION_SUBJECT_LABELS[b.subject]}没有指标 ${unknown.join('、')} (unknown metric)` });
    return;
  }
  const missing = metrics.filter((m) => !given.includes(m));
  if (missing.length) {
    ctx.addIssue({ code: 'custom', path: ['weights'], message: `缺少指标 ${missing.join('、')} 的权重 (every metric needs a weight)` });
    return;
  }
  if (!(Object.values(b.weights).reduce((s, w) => s + w, 0) > 0)) {
    ctx.addIssue({ code: 'custom', path: ['weights'], message: '权重之和应大于 0 (the weights must not all be 0)' });
  }
});
export type EvaluationWeightsBody = z.infer<typeof evaluationWeightsBody>;

export const evaluationWeightsResponse = z.object({ subject: z.enum(EVALUATION_SUBJECTS), weights: z.array(evaluationWeight) });
export type EvaluationWeightsResponse = z.infer<typeof evaluationWeightsResponse>;
