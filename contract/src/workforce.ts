// 社区工作者队伍: the community workers and the three figures Enshi's reform of the community
// workforce is measured by — the share under 40, with a college degree (大专及以上) and certified
// as social workers (持证社工) — against where they stood before the reform. The SQL CHECKs in
// migration 0026_community_workers.sql list the same education levels and posts.
import { z } from 'zod';
import { idParam } from './api/query.ts';

export const EDUCATION_LEVELS = ['secondary', 'junior_college', 'bachelor', 'postgraduate'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export const EDUCATION_LABELS: Record<EducationLevel, string> = {
  secondary: '高中/中专及以下', junior_college: '大专', bachelor: '本科', postgraduate: '研究生',
};
/** 大专及以上: every level but secondary. */
export const COLLEGE_LEVELS: readonly EducationLevel[] = ['junior_college', 'bachelor', 'postgraduate'];

export const WORKER_POSTS = ['secretary', 'director', 'committee_member', 'grid_worker', 'social_worker'] as const;
export type WorkerPost = (typeof WORKER_POSTS)[number];
export const WORKER_POST_LABELS: Record<WorkerPost, string> = {
  secretary: '社区书记', director: '社区主任', committee_member: '社区委员', grid_worker: '网格员', social_worker: '专职社工',
};

/** Ages are counted on this year, so the figures do not drift with the calendar: under 40 is born after 1984. */
export const WORKFORCE_REFERENCE_YEAR = 2024;
export const UNDER_AGE = 40;

/**
 * Before the reform (percent): the shares Enshi reported for its community workers before the
 * reform of the workforce — 32.5 % under 40, 28.62 % with a college degree, 3.53 % certified
 * social workers — as published with the reform's results (which reported 64.9 %, 76 % and
 * 49.2 % after it; the synthetic workers of migration 0026 reproduce those).
 */
export const WORKFORCE_BASELINES = { under_40: 32.5, college: 28.62, certified: 3.53 } as const;
/** After the reform (percent), as reported: what the city-wide figures come to. */
export const WORKFORCE_REPORTED = { under_40: 64.9, college: 76, certified: 49.2 } as const;

export const workforceFigures = z.object({
  workers: z.number(),
  under_40: z.number(),
  college: z.number(),
  certified: z.number(),
  /** percent of the active workers, to one decimal (null with no workers) */
  under_40_pct: z.number().nullable(),
  college_pct: z.number().nullable(),
  certified_pct: z.number().nullable(),
});
export type WorkforceFigures = z.infer<typeof workforceFigures>;

/** GET /api/workforce: the caller's area as a whole and each community in it (active workers). */
export const workforceSummary = z.object({
  reference_year: z.number(),
  baselines: z.object({ under_40: z.number(), college: z.number(), certified: z.number() }),
  scope: z.object({ level: z.enum(['city', 'subdistrict', 'community']), name: z.string() }),
  total: workforceFigures,
  communities: z.array(workforceFigures.extend({
    community_id: z.number(), code: z.string(), name: z.string(), subdistrict_name: z.string(),
  })),
});
export type WorkforceSummary = z.infer<typeof workforceSummary>;

export const communityWorker = z.object({
  id: z.number(),
  community_id: z.number(),
  community_name: z.string(),
  name: z.string(),
  birth_year: z.number(),
  /** age in the reference year */
  age: z.number(),
  education: z.enum(EDUCATION_LEVELS),
  certified: z.boolean(),
  post: z.enum(WORKER_POSTS),
  active: z.boolean(),
  /** true for the generated demo workers: their names and figures are invented, and the roster says so */
  synthetic: z.boolean(),
  version: z.number(),
});
export type CommunityWorker = z.infer<typeof communityWorker>;

/** GET /api/workforce/workers[?community=ID] */
export const workforceWorkersQuery = z.object({ community: idParam.optional() }).strict();
export type WorkforceWorkersQuery = z.infer<typeof workforceWorkersQuery>;

/** PATCH /api/workforce/workers/:id: only the fields sent change; `version`, when sent, must be the current one. */
export const workerPatchBody = z.object({
  education: z.enum(EDUCATION_LEVELS, { message: '学历应为 secondary、junior_college、bachelor 或 postgraduate (invalid education level)' }).optional(),
  certified: z.boolean({ message: '持证应为 true 或 false (certified must be a boolean)' }).optional(),
  post: z.enum(WORKER_POSTS, { message: '岗位无效 (invalid post)' }).optional(),
  active: z.boolean({ message: '在岗应为 true 或 false (active must be a boolean)' }).optional(),
  version: z.number({ message: '版本应为正整数 (version must be a positive integer)' }).int('版本应为正整数 (version must be a positive integer)').min(1, '版本应为正整数 (version must be a positive integer)').max(2_147_483_647).optional(),
}).strict().refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: '没有要修改的内容 (nothing to change)' });
export type WorkerPatchBody = z.infer<typeof workerPatchBody>;
