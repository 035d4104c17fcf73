// Live cases (诉求/事件): the statuses, actions and the ONE transition table the server
// enforces and the client reads to show exactly the actions a user may take. The SQL CHECK
// constraints of migration 0005_cases.sql list the same values (a test compares them with
// pg_constraint), so a value added here without a migration fails CI.
//
// The city's account of the work: residents order, the community dispatches, departments or
// party members claim, the task force supervises (居民点单、社区派单、部门/党员领单、专班督单).
import { z } from 'zod';
import type { Role } from './roles.ts';
import { idNumber, idParam } from './api/query.ts';

export const CASE_STATUSES = [
  'submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', 'resolved', 'verified', 'closed',
  'rejected', 'duplicate',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  submitted: '已上报',
  accepted: '已受理',
  dispatched: '已派单',
  claimed: '已领单',
  in_progress: '办理中',
  resolved: '已办结',
  verified: '已核查',
  closed: '已结案',
  rejected: '不予受理',
  duplicate: '重复件',
};

/** Statuses in which a case is still being worked (its stage clock may run; it may be escalated). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['submitted', 'accepted', 'dispatched', 'claimed', 'in_progress'];
/** Statuses after which nothing but comments and the resident's rating happen. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['closed', 'rejected', 'duplicate'];

/** 四级联办: the four handling modes. */
export const CASE_MODES = ['consultation', 'department', 'leader_led', 'party_committee'] as const;
export type CaseMode = (typeof CASE_MODES)[number];
export const CASE_MODE_LABELS: Record<CaseMode, string> = {
  consultation: '协商议办',
  department: '部门认责承办',
  leader_led: '联系社区领导牵头领办',
  party_committee: '大党委联动交办',
};

/** Who dispatches a case: grid → community → subdistrict → city. */
export const CASE_LEVELS = ['grid', 'community', 'subdistrict', 'city'] as const;
export type CaseLevel = (typeof CASE_LEVELS)[number];
export const CASE_LEVEL_LABELS: Record<CaseLevel, string> = {
  grid: '网格',
  community: '社区',
  subdistrict: '街道',
  city: '市级',
};
/** A level as a tier, e.g. in a filter or "社区级": the label with 级, never doubled (市级, not 市级级). */
export const CASE_LEVEL_TIERS: Record<CaseLevel, string> = {
  grid: '网格级',
  community: '社区级',
  subdistrict: '街道级',
  city: '市级',
};

/** The level above, or null at the city. */
export function nextLevel(level: CaseLevel): CaseLevel | null {
  return CASE_LEVELS[CASE_LEVELS.indexOf(level) + 1] ?? null;
}

export const CASE_PRIORITIES = ['normal', 'urgent', 'emergency'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_PRIORITY_LABELS: Record<CasePriority, string> = { normal: '一般', urgent: '紧急', emergency: '特急' };

export const REPORTER_KINDS = ['resident', 'grid_worker', 'party_member', 'department', 'secretary'] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];
export const REPORTER_KIND_LABELS: Record<ReporterKind, string> = {
  resident: '居民',
  grid_worker: '网格员',
  party_member: '党员',
  department: '部门',
  secretary: '社区书记',
};

/** Stage clocks. Each has its limit per category and priority (case_category_limits). */
export const CASE_STAGES = ['dispatch', 'claim', 'handling', 'verification'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  dispatch: '派单', claim: '领单（响应）', handling: '办理', verification: '核查',
};

/** The stage whose clock runs while a case is in a status (none once verified or final). */
export function stageOf(status: CaseStatus): CaseStage | null {
  switch (status) {
    case 'submitted': case 'accepted': return 'dispatch';
    case 'dispatched': return 'claim';
    case 'claimed': case 'in_progress': return 'handling';
    case 'resolved': return 'verification';
    default: return null;
  }
}

/** Warning thresholds, as percent of a stage's limit; at 100 % the case escalates. */
export const WARNING_THRESHOLDS = [75, 90] as const;

/** What people do to a case (POST /api/cases/:id/actions). */
export const CASE_ACTIONS = [
  'accept', 'dispatch', 'claim', 'start', 'resolve', 'verify', 'reopen', 'close', 'rate', 'return',
  'reject', 'mark_duplicate', 'escalate', 'whistle', 'report', 'supervise', 'comment',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Record<CaseAction, string> = {
  accept: '受理',
  dispatch: '派单',
  claim: '领单',
  start: '开始办理',
  resolve: '办结',
  verify: '核查通过',
  reopen: '核查不通过',
  close: '结案',
  rate: '评价',
  return: '退单',
  reject: '不予受理',
  mark_duplicate: '标为重复',
  escalate: '上报上级',
  whistle: '吹哨',
  report: '报到',
  supervise: '督办',
  comment: '留言',
};

/** case_events.action: the actions plus what the system writes (submit; the sweeper's warning). */
export const CASE_EVENT_ACTIONS = ['submit', ...CASE_ACTIONS, 'warning'] as const;
export type CaseEventAction = (typeof CASE_EVENT_ACTIONS)[number];

/**
 * How a user stands to a case; the transition table grants actions to these, and
 * `holdersFor` says which ones a user has.
 * - dispatcher: dispatches at the case's current level (grid → that grid's grid worker,
 *   community → its secretary, subdistrict → its admin, city → a city-wide task force or admin)
 * - assignee: the department's staff, the party member, or the grid worker it was dispatched to
 * - verifier: the grid worker or secretary of the case's area (核查)
 * - task_force: a task-force member whose scope holds the case (专班督单)
 * - secretary: the secretary of the case's community (社区吹哨)
 * - whistled_unit: staff of a department whistled to the case that has not reported in yet
 * - reporter: the user who filed it
 * - viewer: anyone who can see the case
 */
export const CASE_HOLDERS = [
  'dispatcher', 'assignee', 'verifier', 'task_force', 'secretary', 'whistled_unit', 'reporter', 'viewer',
] as const;
export type CaseHolder = (typeof CASE_HOLDERS)[number];

export interface Transition {
  /** Statuses in which the action is possible. */
  from: readonly CaseStatus[];
  /** The status afterwards; 'same' leaves it unchanged (comment, whistle, …). */
  to: CaseStatus | 'same';
  /** Who may take it (any one suffices). */
  by: readonly CaseHolder[];
}

const ALL: readonly CaseStatus[] = CASE_STATUSES;

/** THE transition table: status × action → next status, and who may do it. */
export const CASE_TRANSITIONS: Record<CaseAction, Transition> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['dispatcher'] },
  dispatch: { from: ['accepted'], to: 'dispatched', by: ['dispatcher'] },
  claim: { from: ['dispatched'], to: 'claimed', by: ['assignee'] },
  start: { from: ['claimed'], to: 'in_progress', by: ['assignee'] },
  resolve: { from: ['in_progress'], to: 'resolved', by: ['assignee'] },
  verify: { from: ['resolved'], to: 'verified', by: ['verifier'] },
  reopen: { from: ['resolved'], to: 'in_progress', by: ['verifier'] },
  close: { from: ['verified'], to: 'closed', by: ['dispatcher'] },
  rate: { from: ['closed'], to: 'same', by: ['reporter', 'verifier'] },
  return: { from: ['dispatched', 'claimed', 'in_progress'], to: 'accepted', by: ['assignee'] },
  reject: { from: ['submitted', 'accepted'], to: 'rejected', by: ['dispatcher'] },
  mark_duplicate: { from: ['submitted', 'accepted'], to: 'duplicate', by: ['dispatcher'] },
  escalate: { from: OPEN_STATUSES, to: 'accepted', by: ['dispatcher', 'task_force'] },
  whistle: { from: OPEN_STATUSES, to: 'same', by: ['secretary'] },
  report: { from: ALL, to: 'same', by: ['whistled_unit'] },
  supervise: { from: OPEN_STATUSES, to: 'same', by: ['task_force'] },
  comment: { from: ALL, to: 'same', by: ['viewer'] },
};

/** The parts of a case that decide who holds it. */
export interface CaseHolding {
  status: CaseStatus;
  level: CaseLevel;
  grid_id: number;
  community_id: number;
  subdistrict_id: number;
  assigned_department_id: number | null;
  assigned_cadre_id: number | null;
  /** The grid whose grid worker handles it (consultation in the grid). */
  assigned_grid_id: number | null;
  reporter_user_id: number | null;
  /** Departments whistled to the case that have not reported in yet. */
  pending_whistle_department_ids: readonly number[];
  rating: number | null;
}

/** The parts of a user that decide what they hold. */
export interface CaseActor {
  id: number;
  role: Role;
  subdistrict_id: number | null;
  community_id: number | null;
  grid_id: number | null;
  department_id: number | null;
  cadre_id: number | null;
}

/** Which holders a user is for a case they can see (the server has checked visibility in SQL). */
export function holdersFor(c: CaseHolding, u: CaseActor): Set<CaseHolder> {
  const h = new Set<CaseHolder>(['viewer']);
  const dispatcher =
    (c.level === 'grid' && u.role === 'grid_worker' && u.grid_id === c.grid_id) ||
    (c.level === 'community' && u.role === 'community_secretary' && u.community_id === c.community_id) ||
    (c.level === 'subdistrict' && u.role === 'subdistrict_admin' && u.subdistrict_id === c.subdistrict_id) ||
    (c.level === 'city' && (u.role === 'admin' || (u.role === 'task_force' && u.community_id === null)));
  if (dispatcher) h.add('dispatcher');
  const assignee =
    (u.role === 'department_staff' && c.assigned_department_id !== null && u.department_id === c.assigned_department_id) ||
    (u.role === 'party_member' && c.assigned_cadre_id !== null && u.cadre_id === c.assigned_cadre_id) ||
    (u.role === 'grid_worker' && c.assigned_grid_id !== null && u.grid_id === c.assigned_grid_id);
  if (assignee) h.add('assignee');
  if ((u.role === 'grid_worker' && u.grid_id === c.grid_id) || (u.role === 'community_secretary' && u.community_id === c.community_id)) {
    h.add('verifier');
  }
  if (u.role === 'task_force' && (u.community_id === null || u.community_id === c.community_id)) h.add('task_force');
  if (u.role === 'community_secretary' && u.community_id === c.community_id) h.add('secretary');
  if (u.role === 'department_staff' && u.department_id !== null && c.pending_whistle_department_ids.includes(u.department_id)) {
    h.add('whistled_unit');
  }
  if (c.reporter_user_id !== null && c.reporter_user_id === u.id) h.add('reporter');
  return h;
}

/** Why an action is not possible: the wrong state (409) or the wrong person (403). */
export type ActionRefusal = 'state' | 'role';

/** null when the user may take the action now; otherwise why not. */
export function refusal(c: CaseHolding, u: CaseActor, action: CaseAction): ActionRefusal | null {
  const t = CASE_TRANSITIONS[action];
  const holders = holdersFor(c, u);
  if (!t.by.some((b) => holders.has(b))) return 'role';
  if (!t.from.includes(c.status)) return 'state';
  if (action === 'rate' && c.rating !== null) return 'state';
  if (action === 'escalate' && nextLevel(c.level) === null) return 'state';
  return null;
}

/** Exactly the actions a user may take on a case now (the client shows these buttons). */
export function allowedActions(c: CaseHolding, u: CaseActor): CaseAction[] {
  return CASE_ACTIONS.filter((a) => refusal(c, u, a) === null);
}

// ---- request and response schemas ----

const LIMITS = { description: 2000, address: 200, reason: 500, comment: 1000 } as const;
export const CASE_TEXT_LIMITS = LIMITS;
export const PHOTO_LIMITS = { maxBytes: 5 * 1024 * 1024, maxCount: 4, thumbPx: 320, mimes: ['image/jpeg', 'image/png', 'image/webp'] } as const;

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what}不能为空 (${what === '说明' ? 'text' : 'value'} must not be empty)`)
    .max(max, `最多 ${max} 个字符 (at most ${max} characters)`);

export const categoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '类别代码无效 (invalid category code)');
const lon = z.number({ message: '经度应为数字 (lon must be a number)' }).min(-180).max(180);
const lat = z.number({ message: '纬度应为数字 (lat must be a number)' }).min(-90).max(90);
const id = idNumber;

/** POST /api/cases (JSON, or multipart with the same fields as text plus up to 4 `photo` files). */
export const newCaseBody = z.object({
  category: categoryCode,
  lon,
  lat,
  description: text(LIMITS.description, '描述'),
  priority: z.enum(CASE_PRIORITIES).optional(),
  address: z.string().trim().max(LIMITS.address, `地址最多 ${LIMITS.address} 个字符 (address: at most ${LIMITS.address} characters)`).optional(),
  /** Only a resident's call taken down by someone else carries a phone number (personal data). */
  reporter_phone: z.string().regex(/^[0-9+\- ]{5,20}$/, '电话号码无效 (invalid phone number)').optional(),
}).strict();
export type NewCaseBody = z.infer<typeof newCaseBody>;

const reason = z.string().trim().min(1, '请填写原因 (a reason is required)').max(LIMITS.reason, `原因最多 ${LIMITS.reason} 个字符 (reason: at most ${LIMITS.reason} characters)`);
const note = z.string().trim().max(LIMITS.comment, `最多 ${LIMITS.comment} 个字符 (at most ${LIMITS.comment} characters)`).optional();
const version = id.optional();

/** POST /api/cases/:id/actions: one object per action; `version` (optional) must match the case's. */
export const caseActionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), version, note }).strict(),
  z.object({
    action: z.literal('dispatch'),
    version,
    mode: z.enum(CASE_MODES),
    /**
     * At most one assignee: a department, a party member (cadre id), or the case's grid worker
     * (consultation: one of the last two). None for `department` (the 权力清单 picks the unit),
     * and none for `leader_led` / `party_committee` (the community's 包保 leader and units).
     */
    department_id: id.optional(),
    cadre_id: id.optional(),
    grid_worker: z.literal(true).optional(),
    /** Optional earlier handling deadline (ISO 8601), within the category's limit. */
    deadline: z.string().datetime({ offset: true, message: '截止时间应为 ISO 8601 (deadline must be ISO 8601)' }).optional(),
    note,
  }).strict(),
  z.object({ action: z.literal('claim'), version, note }).strict(),
  z.object({ action: z.literal('start'), version, note }).strict(),
  z.object({ action: z.literal('resolve'), version, note: text(LIMITS.comment, '办理结果') }).strict(),
  z.object({ action: z.literal('verify'), version, note }).strict(),
  z.object({ action: z.literal('reopen'), version, reason }).strict(),
  z.object({ action: z.literal('close'), version, note }).strict(),
  z.object({ action: z.literal('rate'), version, rating: z.number().int().min(1).max(5), note }).strict(),
  z.object({ action: z.literal('return'), version, reason }).strict(),
  z.object({ action: z.literal('reject'), version, reason }).strict(),
  z.object({ action: z.literal('mark_duplicate'), version, duplicate_of: id, note }).strict(),
  z.object({ action: z.literal('escalate'), version, reason }).strict(),
  z.object({
    action: z.literal('whistle'),
    version,
    department_ids: z.array(id).min(1, '至少一个单位 (at least one unit)').max(5, '最多 5 个单位 (at most 5 units)'),
    note,
  }).strict(),
  z.object({ action: z.literal('report'), version, note }).strict(),
  z.object({ action: z.literal('supervise'), version, note: text(LIMITS.comment, '督办意见') }).strict(),
  z.object({ action: z.literal('comment'), version, note: text(LIMITS.comment, '留言') }).strict(),
]);
export type CaseActionBody = z.infer<typeof caseActionBody>;

export const stageLimits = z.object({ dispatch: z.number(), claim: z.number(), handling: z.number(), verification: z.number() });
export type StageLimits = z.infer<typeof stageLimits>;

/** GET /api/case-categories */
export const caseCategory = z.object({
  code: z.string(),
  name: z.string(),
  group: z.string(),
  default_mode: z.enum(CASE_MODES),
  default_level: z.enum(CASE_LEVELS),
  default_department_code: z.string().nullable(),
  working_hours: z.boolean(),
  limits: z.record(z.enum(CASE_PRIORITIES), stageLimits),
});
export type CaseCategory = z.infer<typeof caseCategory>;

/** One case as the list and detail routes return it (detail adds events, whistles, photos). */
export const caseSummary = z.object({
  id: z.number(),
  number: z.string(),
  category: z.string(),
  category_name: z.string(),
  priority: z.enum(CASE_PRIORITIES),
  description: z.string(),
  lon: z.number(),
  lat: z.number(),
  /** Absent for the roles that do not see personal data (a leader, a planner, a party member…). */
  address: z.string().nullable().optional(),
  reporter_kind: z.enum(REPORTER_KINDS),
  status: z.enum(CASE_STATUSES),
  mode: z.enum(CASE_MODES),
  level: z.enum(CASE_LEVELS),
  max_level: z.enum(CASE_LEVELS),
  escalation_count: z.number(),
  assigned_department_id: z.number().nullable(),
  assigned_cadre_id: z.number().nullable(),
  assigned_grid_id: z.number().nullable(),
  duplicate_of: z.number().nullable(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  rating: z.number().nullable(),
  grid_id: z.number(),
  community_id: z.number(),
  subdistrict_id: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  resolved_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  version: z.number(),
});
export type CaseSummary = z.infer<typeof caseSummary>;

/**
 * GET /api/cases/by-category: how many cases of each category the caller sees (the scope of GET
 * /api/cases), with its status and area filters: `status` a comma-separated list, and at most
 * each of `subdistrict`, `community`, `grid`. The command centre's 在办诉求类别 in one request.
 */
export const caseCountsQuery = z.object({
  status: z.string().transform((s, ctx) => {
    const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
    for (const p of parts) {
      if (!(CASE_STATUSES as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: `未知的状态 (unknown status): ${p}` });
    }
    return parts as CaseStatus[];
  }).optional(),
  subdistrict: idParam.optional(),
  community: idParam.optional(),
  grid: idParam.optional(),
}).strict();
export type CaseCountsQuery = z.infer<typeof caseCountsQuery>;

/** GET /api/cases/by-category: every category in its display order, with its count (0 included). */
export const caseCounts = z.object({
  categories: z.array(z.object({ code: z.string(), name: z.string(), count: z.number() })),
});
export type CaseCounts = z.infer<typeof caseCounts>;

/** GET /api/cases/:id/party-members: whom a dispatcher may assign the case to (no phones). */
export const casePartyMember = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(['in_service', 'sunk']),
  /** Households this member is already linked to (双定三联), as a hint of their load. */
  households: z.number(),
  /** Open cases already assigned to this member. */
  open_cases: z.number(),
});
export type CasePartyMember = z.infer<typeof casePartyMember>;
