// 社区大党委 / 包保: each community's linked prefecture leader (联系州领导), city leader (联系市领导),
// lead unit (牵头单位) and its 3–5 responsible units (责任单位), the big party committee's member
// units. A community whistles exactly these units to a case (社区吹哨、部门报到). The leaders are
// synthetic (虚构) in the demo dataset and say so.
import { z } from 'zod';

export const PARTNER_ROLES = ['lead', 'responsible'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];
export const PARTNER_ROLE_LABELS: Record<PartnerRole, string> = { lead: '牵头单位', responsible: '责任单位' };

export const partnerUnit = z.object({ department_id: z.number(), name: z.string(), role: z.enum(PARTNER_ROLES) });
export type PartnerUnit = z.infer<typeof partnerUnit>;

/** GET /api/communities/:id/partners */
export const communityPartners = z.object({
  community_id: z.number(),
  community_name: z.string(),
  prefecture_leader: z.string(),
  city_leader: z.string(),
  /** the lead unit first, then the responsible units */
  units: z.array(partnerUnit),
  synthetic: z.boolean(),
});
export type CommunityPartners = z.infer<typeof communityPartners>;
