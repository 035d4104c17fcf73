// 四级联办: the four handling modes route a case, not only label it.
// - 协商议办 (consultation): the case's grid worker or a party member handles it through a
//   四方共议 deliberation whose steps follow in one fixed order; the decision comes before the
//   case may be resolved.
// - 部门认责承办 (department): see departmentRouting below.
import { z } from 'zod';

/** The deliberation's steps, in their one order. */
export const DELIBERATION_STEPS = ['propose', 'discuss', 'review', 'concur', 'decide'] as const;
export type DeliberationStep = (typeof DELIBERATION_STEPS)[number];
export const DELIBERATION_STEP_LABELS: Record<DeliberationStep, string> = {
  propose: '提议', discuss: '商议', review: '审议', concur: '合议', decide: '决议',
};
/** Who takes each step (the body; the user recording it names the person or body). */
export const DELIBERATION_STEP_BODIES: Record<DeliberationStep, string> = {
  propose: '两长四员',
  discuss: '业主委员会',
  review: '楼栋党小组/网格党支部',
  concur: '物业',
  decide: '四方共议',
};

/** The step that comes next after `done` steps, or null once the decision is recorded. */
export function nextDeliberationStep(done: number): DeliberationStep | null {
  return DELIBERATION_STEPS[done] ?? null;
}

export const DELIBERATION_LIMITS = { by: 50, note: 1000 } as const;

/** POST /api/cases/:id/deliberation: records the next step. */
export const deliberationStepBody = z.object({
  step: z.enum(DELIBERATION_STEPS, { message: '步骤应为 propose、discuss、review、concur 或 decide (step: propose, discuss, review, concur or decide)' }),
  by: z.string().trim().min(1, '请填写提出人或议事主体 (name who took the step)')
    .max(DELIBERATION_LIMITS.by, `提出人最多 ${DELIBERATION_LIMITS.by} 个字符 (by: at most ${DELIBERATION_LIMITS.by} characters)`),
  note: z.string().trim().min(1, '请填写议事内容 (a note is required)')
    .max(DELIBERATION_LIMITS.note, `议事内容最多 ${DELIBERATION_LIMITS.note} 个字符 (note: at most ${DELIBERATION_LIMITS.note} characters)`),
}).strict();
export type DeliberationStepBody = z.infer<typeof deliberationStepBody>;

export const deliberationStepRow = z.object({
  step_no: z.number(),
  step: z.enum(DELIBERATION_STEPS),
  by_name: z.string(),
  note: z.string(),
  at: z.string(),
  recorded_label: z.string(),
});
export type DeliberationStepRow = z.infer<typeof deliberationStepRow>;

/** A case's deliberation, on its detail and as the step route's answer. */
export const caseDeliberation = z.object({
  opened_at: z.string(),
  steps: z.array(deliberationStepRow),
  /** the step that may be recorded next; null once decided */
  next_step: z.enum(DELIBERATION_STEPS).nullable(),
  decided: z.boolean(),
  /** whether the caller may record the next step now */
  may_record: z.boolean(),
});
export type CaseDeliberation = z.infer<typeof caseDeliberation>;

// - 部门认责承办 (department): the department comes from the 权力下放清单 — the unit that held the
//   power the case's category falls under — else the category's default unit.
export const ROUTING_BASES = ['power_list', 'category_default'] as const;
export type RoutingBasis = (typeof ROUTING_BASES)[number];

/** Which department a department-mode dispatch goes to when none is named, and why. */
export const departmentRouting = z.object({
  department_id: z.number(),
  department_name: z.string(),
  basis: z.enum(ROUTING_BASES),
  /** the power item (its place in the list, 1-based, its code and name) when the list decides */
  item: z.object({ number: z.number(), code: z.string(), name: z.string() }).nullable(),
  /** the reason in words, e.g. 依据权力清单第1项（QL-001 …），由市城市管理执法局承办 */
  reason: z.string(),
});
export type DepartmentRouting = z.infer<typeof departmentRouting>;

/** The reason a department was picked, in words (the server and the dispatch form say the same). */
export function routingReason(r: Omit<DepartmentRouting, 'reason'>, categoryName: string): string {
  return r.item
    ? `依据权力清单第${r.item.number}项（${r.item.code} ${r.item.name}），由原职能单位${r.department_name}承办`
    : `“${categoryName}”不在权力下放清单内，依据类别主责单位，由${r.department_name}承办`;
}

// - 联系社区领导牵头领办 (leader_led): the community's linked city leader (包保) leads; the
//   community's 大党委 units coordinate under the leader; the lead unit handles the case.
// - 大党委联动交办 (party_committee): all the community's 大党委 units together; each claims and
//   reports its own part, and the case is resolved once every part is reported.
export const CASE_UNIT_MODES = ['leader_led', 'party_committee'] as const;
export type CaseUnitMode = (typeof CASE_UNIT_MODES)[number];

/** A unit a case was routed to under a leader or the party committee. */
export const caseUnit = z.object({
  department_id: z.number(),
  name: z.string(),
  role: z.enum(['lead', 'responsible']),
  mode: z.enum(CASE_UNIT_MODES),
  claimed_at: z.string().nullable(),
  reported_at: z.string().nullable(),
  report_note: z.string().nullable(),
});
export type CaseUnit = z.infer<typeof caseUnit>;

export const caseLeader = z.object({ name: z.string(), assigned_at: z.string() });
export type CaseLeader = z.infer<typeof caseLeader>;

export const CASE_PART_ACTIONS = ['claim', 'report'] as const;
export type CasePartAction = (typeof CASE_PART_ACTIONS)[number];
export const CASE_PART_ACTION_LABELS: Record<CasePartAction, string> = { claim: '领办本单位部分', report: '报告本单位办理情况' };

/** POST /api/cases/:id/parts: a 大党委 unit's staff claim or report their unit's part. */
export const casePartBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('claim') }).strict(),
  z.object({
    action: z.literal('report'),
    note: z.string().trim().min(1, '请填写本单位的办理情况 (a note is required)')
      .max(1000, '办理情况最多 1000 个字符 (note: at most 1000 characters)'),
  }).strict(),
], { error: () => '操作应为 claim 或 report (action: claim or report)' });
export type CasePartBody = z.infer<typeof casePartBody>;
