// 红色尖刀班: every community's vanguard team — members drawn from its sunk cadres (下沉干部) and
// full-time community workers (专职社工) — and its tasks of four kinds, each placed in a grid with
// progress in steps or in percent, which the members report. The SQL CHECKs of migration
// 0030_vanguard_teams.sql list the same kinds and units (a test compares them).
import { z } from 'zod';
import { idNumber, idParam } from './api/query.ts';

export const VANGUARD_TASK_KINDS = ['party_building', 'living_environment', 'enterprise_service', 'door_to_door'] as const;
export type VanguardTaskKind = (typeof VANGUARD_TASK_KINDS)[number];
export const VANGUARD_TASK_KIND_LABELS: Record<VanguardTaskKind, string> = {
  party_building: '党建', living_environment: '人居环境', enterprise_service: '企业服务', door_to_door: '进楼入户攻坚',
};
export const VANGUARD_UNITS = ['steps', 'percent'] as const;
export type VanguardUnit = (typeof VANGUARD_UNITS)[number];

/** The seeded teams: one per community, eight members and eight tasks (two of each kind) each. */
export const VANGUARD_SEED = { membersPerTeam: 8, sunkPerTeam: 5, workersPerTeam: 3, tasksPerKind: 2 } as const;

export const vanguardKindFigures = z.object({ tasks: z.number(), done_tasks: z.number(), progress_pct: z.number().nullable() });

/** GET /api/vanguard: the teams of the caller's area, one row per community. */
export const vanguardSummary = z.object({
  total: z.object({ teams: z.number(), members: z.number(), tasks: z.number(), done_tasks: z.number(), progress_pct: z.number().nullable() }),
  teams: z.array(z.object({
    team_id: z.number(), name: z.string(), community_id: z.number(), community_name: z.string(), subdistrict_name: z.string(),
    members: z.number(), tasks: z.number(), done_tasks: z.number(),
    /** the mean of the tasks' progress in percent, to one decimal */
    progress_pct: z.number().nullable(),
    by_kind: z.record(z.enum(VANGUARD_TASK_KINDS), vanguardKindFigures),
    synthetic: z.boolean(),
  })),
});
export type VanguardSummary = z.infer<typeof vanguardSummary>;

export const vanguardMember = z.object({
  id: z.number(),
  source: z.enum(['sunk_cadre', 'community_worker']),
  role: z.enum(['captain', 'member']),
  /** null for the roles that do not see staff names (the roster roles and the administrator do) */
  name: z.string().nullable(),
  /** the cadre's work unit, or the worker's post */
  unit: z.string(),
  synthetic: z.boolean(),
});
export type VanguardMember = z.infer<typeof vanguardMember>;

export const vanguardTask = z.object({
  id: z.number(),
  team_id: z.number(),
  community_id: z.number(),
  kind: z.enum(VANGUARD_TASK_KINDS),
  title: z.string(),
  grid_id: z.number(),
  grid_name: z.string(),
  lon: z.number(),
  lat: z.number(),
  unit: z.enum(VANGUARD_UNITS),
  target: z.number(),
  done: z.number(),
  /** done / target in percent, to one decimal */
  progress_pct: z.number(),
  synthetic: z.boolean(),
  version: z.number(),
  updated_at: z.string(),
  /** when the secretary withdrew the task (it then leaves the active list), and why */
  withdrawn_at: z.string().nullable(),
  withdrawn_reason: z.string().nullable(),
});
export type VanguardTask = z.infer<typeof vanguardTask>;

export const vanguardUpdate = z.object({
  id: z.number(), task_id: z.number(), member_id: z.number(), done_before: z.number(), done_after: z.number(),
  note: z.string(), actor: z.string(), at: z.string(),
});
export type VanguardUpdate = z.infer<typeof vanguardUpdate>;

/** GET /api/vanguard/teams/:id */
export const vanguardTeamDetail = z.object({
  team: z.object({ id: z.number(), name: z.string(), community_id: z.number(), community_name: z.string(), synthetic: z.boolean() }),
  members: z.array(vanguardMember),
  tasks: z.array(vanguardTask),
  /** the members who left the team (their progress reports stay), latest first */
  former_members: z.array(vanguardMember.extend({ left_at: z.string(), left_reason: z.string() })),
  /** the latest progress reports (at most 50) */
  updates: z.array(vanguardUpdate),
  /** whether the caller may report progress and edit the team's tasks */
  can_edit: z.boolean(),
});
export type VanguardTeamDetail = z.infer<typeof vanguardTeamDetail>;

/** GET /api/vanguard[?community=ID] */
export const vanguardQuery = z.object({ community: idParam.optional() }).strict();

const VERSION_MESSAGE = '版本应为正整数 (version must be a positive integer)';
const version = idNumber.optional().refine((v) => v === undefined || v >= 1, VERSION_MESSAGE);

/** PATCH /api/vanguard/tasks/:id: the secretary renames a task, changes its kind or its target (steps only). */
export const vanguardTaskPatchBody = z.object({
  title: z.string({ message: '标题应为文字 (title must be text)' }).trim().min(1, '标题不能为空 (a title is required)').max(60, '标题最多 60 个字符 (title: at most 60 characters)').optional(),
  kind: z.enum(VANGUARD_TASK_KINDS, { message: '任务类型应为 党建、人居环境、企业服务 或 进楼入户攻坚 (kind: party_building, living_environment, enterprise_service or door_to_door)' }).optional(),
  target: z.number({ message: '目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)' }).int('目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)').min(1, '目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)').max(1000, '目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)').optional(),
  version,
}).strict().refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: '没有要修改的内容 (nothing to change)' });
export type VanguardTaskPatchBody = z.infer<typeof vanguardTaskPatchBody>;

/** POST /api/vanguard/tasks/:id/progress: a member of the team reports how much is done. */
export const vanguardProgressBody = z.object({
  member_id: idNumber,
  done: z.number({ message: '进度应为整数 (done must be an integer)' }).int('进度应为整数 (done must be an integer)').min(0, '进度不能为负 (done must not be negative)').max(1000, '进度最多 1000 (done: at most 1000)'),
  note: z.string({ message: '说明应为文字 (note must be text)' }).trim().max(200, '说明最多 200 个字符 (note: at most 200 characters)').default(''),
  version,
}).strict();
export type VanguardProgressBody = z.infer<typeof vanguardProgressBody>;
export type VanguardProgressInput = z.input<typeof vanguardProgressBody>;

const TITLE = z.string({ message: '标题应为文字 (title must be text)' }).trim().min(1, '标题不能为空 (a title is required)').max(60, '标题最多 60 个字符 (title: at most 60 characters)');

/**
 * POST /api/vanguard/teams/:id/tasks: the secretary places a new task in a grid of the community
 * (at the point given, which must lie in that grid, or else inside the grid); a task in percent
 * has a target of 100, one in steps a target of 1–1000.
 */
export const vanguardNewTaskBody = z.object({
  kind: z.enum(VANGUARD_TASK_KINDS, { message: '任务类型应为 党建、人居环境、企业服务 或 进楼入户攻坚 (kind: party_building, living_environment, enterprise_service or door_to_door)' }),
  title: TITLE,
  grid_id: idNumber,
  lon: z.number({ message: '经度应为数字 (lon must be a number)' }).min(-180).max(180).optional(),
  lat: z.number({ message: '纬度应为数字 (lat must be a number)' }).min(-90).max(90).optional(),
  unit: z.enum(VANGUARD_UNITS, { message: '进度单位应为 steps 或 percent (unit: steps or percent)' }),
  target: z.number({ message: '目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)' }).int('目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)').min(1, '目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)').max(1000, '目标步数应为 1–1000 的整数 (target must be an integer from 1 to 1000)').optional(),
}).strict()
  .refine((b) => (b.lon === undefined) === (b.lat === undefined), { message: '经纬度须同时给出 (give lon and lat together)' })
  .refine((b) => b.unit !== 'percent' || b.target === undefined || b.target === 100, { message: '按百分比计的任务目标固定为 100 (a task counted in percent has a target of 100)' })
  .refine((b) => b.unit !== 'steps' || b.target !== undefined, { message: '按步数计的任务须给出目标步数 (a task counted in steps needs a target)' });
export type VanguardNewTaskBody = z.infer<typeof vanguardNewTaskBody>;
export type VanguardNewTaskInput = z.input<typeof vanguardNewTaskBody>;

const REASON = (what: string, min: number) => z.string({ message: `${what}应为文字 (reason must be text)` }).trim()
  .min(min, `请填写${what} (a reason is required)`).max(200, `${what}最多 200 个字符 (reason: at most 200 characters)`);

/** GET /api/vanguard/teams/:id/candidates: who the secretary may add — the community's sunk cadres and 专职社工 not on the team. */
export const vanguardCandidates = z.object({
  candidates: z.array(z.object({
    source: z.enum(['sunk_cadre', 'community_worker']),
    /** the cadre's or the community worker's id */
    id: z.number(),
    name: z.string(),
    /** the cadre's work unit, or the worker's post */
    unit: z.string(),
    /** whether they were on the team before (added again, their earlier row is taken back in) */
    former: z.boolean(),
  })),
});
export type VanguardCandidates = z.infer<typeof vanguardCandidates>;

/** POST /api/vanguard/teams/:id/members: the secretary adds a sunk cadre or a 专职社工 of the community. */
export const vanguardNewMemberBody = z.object({
  source: z.enum(['sunk_cadre', 'community_worker'], { message: '成员来源应为 sunk_cadre（下沉干部）或 community_worker（专职社工） (source: sunk_cadre or community_worker)' }),
  id: idNumber,
}).strict();
export type VanguardNewMemberBody = z.infer<typeof vanguardNewMemberBody>;

/** POST /api/vanguard/members/:id/leave: the secretary takes a member off the team (the row stays, marked left). */
export const vanguardMemberLeaveBody = z.object({ reason: REASON('退出原因', 1) }).strict();
export type VanguardMemberLeaveBody = z.infer<typeof vanguardMemberLeaveBody>;

/** POST /api/vanguard/tasks/:id/withdraw: the secretary withdraws a task (kept with its progress reports). */
export const vanguardWithdrawBody = z.object({ reason: REASON('撤回原因', 1), version }).strict();
export type VanguardWithdrawBody = z.infer<typeof vanguardWithdrawBody>;

/** POST /api/vanguard/teams/:id/captain: the secretary makes a current member of the team its 班长;
 *  the former captain stays on the team as a member. */
export const vanguardCaptainBody = z.object({ member: idNumber }).strict();
export type VanguardCaptainBody = z.infer<typeof vanguardCaptainBody>;
