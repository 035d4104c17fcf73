// 五社联动: the registry of the organisations that work with the communities — social-work
// organisations, volunteer teams, self-governance organisations and the named service teams —
// which can take residents' needs as a unit's resource does. The SQL CHECK of migration
// 0031_social_organisations.sql lists the same kinds (a test compares them).
import { z } from 'zod';
import { idParam, limitParam } from './api/query.ts';
import { NEED_STATUSES } from './needs.ts';

export const ORGANISATION_KINDS = ['social_work', 'volunteer_team', 'self_governance', 'service_team'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  social_work: '社会工作服务机构', volunteer_team: '志愿服务队', self_governance: '居民自治组织', service_team: '服务队',
};
/** How many of each the seeded registry holds (a test counts them in SQL). */
export const ORGANISATION_COUNTS: Record<OrganisationKind, number> = {
  social_work: 24, volunteer_team: 287, self_governance: 169, service_team: 3,
};

export const organisation = z.object({
  id: z.number(),
  code: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string(),
  description: z.string(),
  community_id: z.number(),
  community_name: z.string(),
  subdistrict_name: z.string(),
  /** serves every community (else its own) */
  city_wide: z.boolean(),
  lon: z.number(),
  lat: z.number(),
  /** the name is invented for the synthetic dataset */
  synthetic: z.boolean(),
  active: z.boolean(),
  /** needs dispatched to it that are still open, and fulfilled (within the caller's need scope) */
  open_needs: z.number(),
  fulfilled_needs: z.number(),
});
export type Organisation = z.infer<typeof organisation>;

/** GET /api/organisations */
export const organisationList = z.object({
  /** the whole registry by kind (not the filters) */
  counts: z.record(z.enum(ORGANISATION_KINDS), z.number()),
  /** the organisations that match the filters */
  total: z.number(),
  organisations: z.array(organisation),
});
export type OrganisationList = z.infer<typeof organisationList>;

export const organisationQuery = z.object({
  kind: z.enum(ORGANISATION_KINDS, { message: '类型应为 social_work、volunteer_team、self_governance 或 service_team (invalid kind)' }).optional(),
  /** based in the community, or (with serves=1) serving it */
  community: idParam.optional(),
  serves: z.enum(['1', '0'], { message: 'serves 应为 1 或 0 (serves: 1 or 0)' }).optional(),
  q: z.string().trim().min(1, '搜索词不能为空 (search text must not be empty)').max(30, '搜索词最多 30 个字符 (search text: at most 30 characters)').optional(),
  limit: limitParam(500).optional(),
  offset: z.string().regex(/^\d{1,6}$/, '应为 0–999999 的整数 (expected an integer from 0 to 999999)').transform(Number).optional(),
}).strict();
export type OrganisationQuery = z.infer<typeof organisationQuery>;

/** GET /api/organisations/:id: the organisation and the needs dispatched to it that the caller may see (latest 50). */
export const organisationDetail = z.object({
  organisation,
  needs: z.array(z.object({ id: z.number(), title: z.string(), status: z.enum(NEED_STATUSES), community_name: z.string(), updated_at: z.string() })),
});
export type OrganisationDetail = z.infer<typeof organisationDetail>;
