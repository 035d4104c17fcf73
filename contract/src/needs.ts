// The needs list (居民需求清单): residents' needs gathered in the grids, passed up a chain of
// decisions, each recorded by the role that holds it, and then matched with a unit's resources
// (清单点菜、部门端菜):
//
//   gathered  收集   a grid worker or a party member, in their own grid
//   judged    研判   the building's two heads and four members (两长四员) or its party group; the
//                    grid worker convenes them and records their verdict and which body gave it
//   screened  筛选   the area party branch (片区党支部): a party member of the branch records it
//   compiled  汇编   the community's big party committee (大党委): the community secretary
//   reported  上报   the subdistrict: its administrator
//   dispatched 派单  the community dispatches it to a unit's resource (社区派单)
//   claimed   领单   that unit's staff claim it, or a party member of the branch takes it on
//   fulfilled 办结   whoever claimed it reports it done
//   declined  不予采纳 any deciding step up to the subdistrict may decline it, with a reason
// The task force (专班) urges stalled needs (督单); an urge changes no status.
// The SQL CHECKs in migration 0010_needs.sql list the same statuses, actions and bodies.
import { z } from 'zod';
import type { Role } from './roles.ts';
import { categoryCode } from './cases.ts';
import { idNumber, idParam, limitParam } from './api/query.ts';

export const NEED_STATUSES = [
  'gathered', 'judged', 'screened', 'compiled', 'reported', 'dispatched', 'claimed', 'fulfilled', 'declined',
] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  gathered: '已收集',
  judged: '已研判',
  screened: '已筛选',
  compiled: '已汇编',
  reported: '已上报',
  dispatched: '已派单',
  claimed: '已领单',
  fulfilled: '已办结',
  declined: '不予采纳',
};

export const OPEN_NEED_STATUSES: readonly NeedStatus[] = ['gathered', 'judged', 'screened', 'compiled', 'reported', 'dispatched', 'claimed'];

/** A need with no step for this many days shows as stalled to the task force. */
export const NEED_STALL_DAYS = 7;

/** Who judged it at the building (研判). */
export const NEED_BODIES = ['two_heads_four_members', 'building_party_group'] as const;
export type NeedBody = (typeof NEED_BODIES)[number];
export const NEED_BODY_LABELS: Record<NeedBody, string> = {
  two_heads_four_members: '两长四员',
  building_party_group: '楼栋党小组',
};

export const NEED_ACTIONS = ['gather', 'judge', 'screen', 'compile', 'report', 'dispatch', 'claim', 'fulfil', 'decline', 'urge'] as const;
export type NeedAction = (typeof NEED_ACTIONS)[number];

export const NEED_ACTION_LABELS: Record<NeedAction, string> = {
  gather: '收集',
  judge: '楼栋研判',
  screen: '支部筛选',
  compile: '大党委汇编',
  report: '街道上报',
  dispatch: '派单',
  claim: '领单',
  fulfil: '办结',
  decline: '不予采纳',
  urge: '督办',
};

/** THE chain: the step each status waits for, and the roles that hold it. */
export const NEED_STEPS: Partial<Record<NeedStatus, { action: NeedAction; to: NeedStatus; by: readonly Role[] }>> = {
  gathered: { action: 'judge', to: 'judged', by: ['grid_worker'] },
  judged: { action: 'screen', to: 'screened', by: ['party_member'] },
  screened: { action: 'compile', to: 'compiled', by: ['community_secretary'] },
  compiled: { action: 'report', to: 'reported', by: ['subdistrict_admin'] },
  reported: { action: 'dispatch', to: 'dispatched', by: ['community_secretary'] },
  // A need dispatched to a 五社联动 organisation (which has no account) is claimed and reported
  // done by the community's secretary on its behalf; the server checks which taker the need has.
  dispatched: { action: 'claim', to: 'claimed', by: ['department_staff', 'party_member', 'community_secretary'] },
  claimed: { action: 'fulfil', to: 'fulfilled', by: ['department_staff', 'party_member', 'community_secretary'] },
};

/** Statuses at which the holder of the step may decline the need instead. */
export const NEED_DECLINABLE: readonly NeedStatus[] = ['gathered', 'judged', 'screened', 'compiled'];

/** Roles that gather needs (in their own grid). */
export const NEED_GATHERERS: readonly Role[] = ['grid_worker', 'party_member'];

/**
 * The actions the chain offers `role` on a need in `status` (scope and, for claim and fulfil,
 * the unit or the claimer are the server's to check). The client shows buttons from it.
 */
export function needActionsFor(role: Role, status: NeedStatus): NeedAction[] {
  const step = NEED_STEPS[status];
  const out: NeedAction[] = [];
  if (step?.by.includes(role)) out.push(step.action);
  if (step && NEED_DECLINABLE.includes(status) && step.by.includes(role)) out.push('decline');
  if (role === 'task_force' && OPEN_NEED_STATUSES.includes(status)) out.push('urge');
  return out;
}

const LIMITS = { title: 60, description: 2000, building: 60, note: 500 } as const;
export const NEED_TEXT_LIMITS = LIMITS;

const id = idNumber;
const note = z.string().trim().max(LIMITS.note, `说明最多 ${LIMITS.note} 个字符 (note: at most ${LIMITS.note} characters)`).optional();
const reason = z.string().trim().min(1, '请填写原因 (a reason is required)').max(LIMITS.note, `原因最多 ${LIMITS.note} 个字符 (reason: at most ${LIMITS.note} characters)`);
const version = id.optional();

/** POST /api/needs: a need gathered in the caller's own grid. */
export const newNeedBody = z.object({
  title: z.string().trim().min(1, '请填写需求标题 (a title is required)').max(LIMITS.title, `标题最多 ${LIMITS.title} 个字符 (title: at most ${LIMITS.title} characters)`),
  description: z.string().trim().max(LIMITS.description, `说明最多 ${LIMITS.description} 个字符 (description: at most ${LIMITS.description} characters)`).default(''),
  category: categoryCode,
  lon: z.number({ message: '经度应为数字 (lon must be a number)' }).min(-180).max(180),
  lat: z.number({ message: '纬度应为数字 (lat must be a number)' }).min(-90).max(90),
  /** the building (楼栋) it came from, as the residents name it */
  building: z.string().trim().max(LIMITS.building, `楼栋最多 ${LIMITS.building} 个字符 (building: at most ${LIMITS.building} characters)`).default(''),
  /** how many households asked for it */
  households: z.number({ message: '户数应为数字 (households must be a number)' }).int().min(1, '户数至少为 1 (at least one household)').max(10_000).default(1),
}).strict();
export type NewNeedBody = z.infer<typeof newNeedBody>;
/** What a client sends (the fields with defaults may be left out). */
export type NewNeedInput = z.input<typeof newNeedBody>;

/** POST /api/needs/:id/actions: one object per action; `version` (optional) must match the need's. */
export const needActionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('judge'), version, body: z.enum(NEED_BODIES, { message: '请选择研判组织：两长四员或楼栋党小组 (body must be two_heads_four_members or building_party_group)' }), note }).strict(),
  z.object({ action: z.literal('screen'), version, note }).strict(),
  z.object({ action: z.literal('compile'), version, note }).strict(),
  z.object({ action: z.literal('report'), version, note }).strict(),
  // to a unit's resource, or to a 五社联动 organisation: exactly one of the two
  z.object({ action: z.literal('dispatch'), version, resource_id: id.optional(), organisation_id: id.optional(), note }).strict()
    .refine((b) => (b.resource_id === undefined) !== (b.organisation_id === undefined), {
      message: '请选择一项资源或一个社会组织（二选一） (give either resource_id or organisation_id)',
    }),
  z.object({ action: z.literal('claim'), version, note }).strict(),
  z.object({ action: z.literal('fulfil'), version, note: z.string().trim().min(1, '请填写办理结果 (say what was done)').max(LIMITS.note) }).strict(),
  z.object({ action: z.literal('decline'), version, reason }).strict(),
  z.object({ action: z.literal('urge'), version, note: z.string().trim().min(1, '请填写督办意见 (say what is urged)').max(LIMITS.note) }).strict(),
]);
export type NeedActionBody = z.infer<typeof needActionBody>;

/** GET /api/needs */
export const needListQuery = z.object({
  status: z.string().max(200).optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s.split(',');
      const bad = list.filter((x) => !(NEED_STATUSES as readonly string[]).includes(x));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `未知的状态 (unknown status): ${bad.join(', ')}` });
        return z.NEVER;
      }
      return list as NeedStatus[];
    }),
  community: idParam.optional(),
  /** only open needs with no step for NEED_STALL_DAYS days */
  stalled: z.enum(['1', '0']).optional(),
  limit: limitParam(200).optional(),
  offset: z.string().regex(/^\d{1,6}$/, '应为 0–999999 的整数 (expected an integer from 0 to 999999)').transform(Number).optional(),
}).strict();

export const needRow = z.object({
  id: z.number(),
  title: z.string(),
  description: z.string(),
  category_code: z.string(),
  category_name: z.string(),
  building: z.string(),
  households: z.number(),
  lon: z.number(),
  lat: z.number(),
  status: z.enum(NEED_STATUSES),
  body: z.enum(NEED_BODIES).nullable(),
  grid_id: z.number(),
  grid_name: z.string(),
  community_id: z.number(),
  community_name: z.string(),
  subdistrict_id: z.number(),
  branch_name: z.string().nullable(),
  department_id: z.number().nullable(),
  department_name: z.string().nullable(),
  resource_id: z.number().nullable(),
  resource_name: z.string().nullable(),
  /** the 五社联动 organisation it was dispatched to, instead of a unit's resource */
  organisation_id: z.number().nullable(),
  organisation_name: z.string().nullable(),
  claimed_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  stalled: z.boolean(),
  urges: z.number(),
  version: z.number(),
});
export type NeedRow = z.infer<typeof needRow>;

export const needStep = z.object({
  id: z.number(),
  action: z.enum(NEED_ACTIONS),
  from_status: z.enum(NEED_STATUSES).nullable(),
  to_status: z.enum(NEED_STATUSES),
  actor: z.string(),
  role: z.string(),
  note: z.string(),
  created_at: z.string(),
});
export type NeedStep = z.infer<typeof needStep>;

/** GET /api/needs/summary: per community in scope. */
export const needSummaryRow = z.object({
  community_id: z.number(),
  community_name: z.string(),
  total: z.number(),
  open: z.number(),
  fulfilled: z.number(),
  declined: z.number(),
  stalled: z.number(),
});
export type NeedSummaryRow = z.infer<typeof needSummaryRow>;

/** GET /api/needs: one page of the caller's needs, and how many match in all. */
export const needPage = z.object({ needs: z.array(needRow), total: z.number() });
export type NeedPage = z.infer<typeof needPage>;

/** GET /api/needs/summary */
export const needSummary = z.object({ communities: z.array(needSummaryRow) });
export type NeedSummary = z.infer<typeof needSummary>;

/** GET /api/needs/:id, and the answer of POST /api/needs and of each step: the need with its whole chain. */
export const needDetail = z.object({ need: needRow, steps: z.array(needStep) });
export type NeedDetail = z.infer<typeof needDetail>;
