// The resources list (资源清单): what each of the city's 24 units offers communities (services
// and projects, with a capacity, the case categories they serve and an optional service area),
// kept by the unit's own staff; and the units a dispatcher is offered for a case (部门端菜).
// The SQL CHECK in migration 0009_resources.sql lists the same kinds.
import { z } from 'zod';
import { categoryCode } from './cases.ts';
import { idNumber, idParam } from './api/query.ts';

export const RESOURCE_KINDS = ['service', 'project'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = { service: '服务', project: '项目' };

const fields = {
  name: z.string().trim().min(1, '名称不能为空 (name is required)').max(80, '名称最多 80 个字符 (name: at most 80 characters)'),
  description: z.string().trim().max(2000, '说明最多 2000 个字符 (description: at most 2000 characters)'),
  kind: z.enum(RESOURCE_KINDS, { message: '类型应为 service 或 project (kind must be service or project)' }),
  capacity: z.number({ message: '容量应为数字 (capacity must be a number)' }).int().min(0, '容量不能为负 (capacity must not be negative)').max(100000),
  categories: z.array(categoryCode).max(30, '最多 30 个类别 (at most 30 categories)'),
  /** null: the whole city */
  community_ids: z.array(idNumber).max(200).nullable(),
  active: z.boolean(),
};

/** POST /api/resources: a new entry of the caller's own unit. */
export const resourceBody = z.object({ ...fields, description: fields.description.default(''), active: fields.active.default(true) }).strict();
export type ResourceBody = z.infer<typeof resourceBody>;
/** PATCH /api/resources/:id: only the fields sent change (no defaults fill the others). */
export const resourcePatchBody = z.object(fields).partial().strict()
  .refine((b) => Object.keys(b).length > 0, { message: '没有要修改的内容 (nothing to change)' });
export type ResourcePatchBody = z.infer<typeof resourcePatchBody>;

/** One entry of the resources list as GET /api/resources returns it. */
export const resourceRow = z.object({
  id: z.number(),
  department_id: z.number(),
  department_code: z.string(),
  department_name: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  capacity: z.number(),
  categories: z.array(z.string()),
  community_ids: z.array(z.number()).nullable(),
  active: z.boolean(),
  updated_at: z.string(),
});
export type ResourceRow = z.infer<typeof resourceRow>;

/** GET /api/resources */
export const resourceList = z.object({ resources: z.array(resourceRow) });
export type ResourceList = z.infer<typeof resourceList>;

export const resourceListQuery = z.object({ department: idParam.optional() }).strict();

/** GET /api/cases/:id/suggestions and /api/needs/:id/suggestions: units whose resources fit what is asked, best first, with why. */
export const unitSuggestion = z.object({
  department_id: z.number(),
  department_name: z.string(),
  resource_id: z.number(),
  resource_name: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  capacity: z.number(),
  /** serves this community specifically (not only the whole city) */
  local: z.boolean(),
  /** the category's default handler */
  default_unit: z.boolean(),
  /** the unit's cases still open (dispatched, claimed, in progress) */
  open_cases: z.number(),
  /** the needs dispatched to the unit and not yet fulfilled */
  open_needs: z.number(),
  /** the entry lists the case's or need's category */
  serves_category: z.boolean(),
  /** the request's words found in the entry's name, description or unit (why it was matched) */
  matched_terms: z.array(z.string()),
  /** the share of what was asked that the entry's text covers, 0–1 (rarer terms weigh more) */
  text_score: z.number().min(0).max(1),
  /** the ranking's score, 0–1: text 0.6, category 0.22, default unit 0.1, this community 0.08 */
  score: z.number().min(0).max(1),
});
export type UnitSuggestion = z.infer<typeof unitSuggestion>;
