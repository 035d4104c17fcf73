// What a community secretary (and a grid worker or subdistrict admin) works with: the household
// register with personal fields, the grid roster, and the 双定三联 links. Only roles that see
// personal data get these (403 for the others), and only rows in their own area (404 outside).
import { z } from 'zod';
import { CADRE_KINDS, LINK_KINDS } from '../kinds.ts';
import { booleanParam, idParam, limitParam } from './query.ts';

export const recordsQuery = z.object({
  community: idParam.optional(),
  grid: idParam.optional(),
  q: z.string().trim().max(50, '搜索词最多 50 个字符 (search text: at most 50 characters)').optional(),
  difficulty: booleanParam.optional(),
  /** true: only households no in-service party member (双定三联) is linked to yet. */
  unlinked: booleanParam.optional(),
  limit: limitParam(500).optional(),
  offset: z.string().regex(/^\d{1,7}$/, '应为 0–9999999 的整数 (expected an integer from 0 to 9999999)').transform(Number).optional(),
}).strict();
export type RecordsQuery = z.input<typeof recordsQuery>;

export const householdCadre = z.object({
  id: z.number(), name: z.string(), kind: z.enum(CADRE_KINDS), link: z.enum(LINK_KINDS),
});
export const householdRecord = z.object({
  id: z.number(), head_name: z.string(), phone: z.string(), address: z.string(), building: z.string(),
  size: z.number(), in_difficulty: z.boolean(), grid_id: z.number(), grid_name: z.string(), community_id: z.number(),
  lon: z.number(), lat: z.number(), cadres: z.array(householdCadre),
});
export const recordsResponse = z.object({ total: z.number(), households: z.array(householdRecord) });
export type HouseholdCadre = z.infer<typeof householdCadre>;
export type HouseholdRecord = z.infer<typeof householdRecord>;
export type HouseholdPage = z.infer<typeof recordsResponse>;

export const rosterQuery = z.object({ community: idParam.optional() }).strict();
export const rosterGrid = z.object({
  id: z.number(), code: z.string(), number: z.number(), name: z.string(),
  grid_workers: z.array(z.object({ id: z.number(), name: z.string(), phone: z.string() })).nullable(),
  households: z.number(), in_difficulty: z.number(), linked_cadres: z.number(),
  in_service_members: z.number(), without_in_service_link: z.number(),
});
export const rosterResponse = z.object({ grids: z.array(rosterGrid) });
export type RosterGrid = z.infer<typeof rosterGrid>;

export const linksQuery = z.object({ community: idParam.optional(), grid: idParam.optional() }).strict();
export const cadreLinkLine = z.object({
  cadre_id: z.number(), cadre_name: z.string(), kind: z.enum(['difficulty', 'neighbour']), household_id: z.number(),
  from_lon: z.number(), from_lat: z.number(), to_lon: z.number(), to_lat: z.number(),
});
export const linksResponse = z.object({ links: z.array(cadreLinkLine) });
export type CadreLinkLine = z.infer<typeof cadreLinkLine>;

/** 经营主体: the kinds of business (个体工商户, 企业); the CHECK of table businesses holds the same values. */
export const BUSINESS_KINDS = ['individual', 'enterprise'] as const;
export type BusinessKind = (typeof BUSINESS_KINDS)[number];
export const BUSINESS_KIND_LABELS: Record<BusinessKind, string> = { individual: '个体工商户', enterprise: '企业' };

/**
 * GET /api/business-links[?community=&grid=]: 双定三联's third link — the businesses (经营主体)
 * in the caller's area (by the grid covering each) and the in-service members linked to them,
 * as lines from the member's home. Personal data (members' names and homes): the roles of /links.
 */
export const businessLinksQuery = linksQuery;
export const businessPoint = z.object({
  id: z.number(), code: z.string(), name: z.string(), kind: z.enum(BUSINESS_KINDS), trade: z.string(), address: z.string(),
  community_id: z.number(), grid_id: z.number().nullable(), lon: z.number(), lat: z.number(), synthetic: z.boolean(),
  /** In-service members linked to it. */
  members: z.number(),
});
export const businessLinkLine = z.object({
  cadre_id: z.number(), cadre_name: z.string(), business_id: z.number(), business_name: z.string(),
  from_lon: z.number(), from_lat: z.number(), to_lon: z.number(), to_lat: z.number(),
  /** Metres from the member's home to the business. */
  distance_m: z.number(),
});
export const businessLinksResponse = z.object({ businesses: z.array(businessPoint), links: z.array(businessLinkLine) });
export type BusinessPoint = z.infer<typeof businessPoint>;
export type BusinessLinkLine = z.infer<typeof businessLinkLine>;
export type BusinessLinksResponse = z.infer<typeof businessLinksResponse>;
