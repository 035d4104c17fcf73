// The contract's schema for each JSON route's 200 answer, as the authorization matrix reads
// them: every answer every role gets from a route listed here is parsed with its schema, so a
// route that drifts from the contract (a renamed field, a string where a number was promised, a
// null the client does not expect) fails the run. Routes that answer JSON without a zod schema
// yet are named in UNTYPED_JSON_ROUTES; a new JSON route must join one list or the other.
import { z } from 'zod';
import {
  auditResponse, basemapProps, blockCollection, caseCategory, caseCounts, cityOutline, caseDetail, casePage, casePartyMember, clientConfig, communityPartners,
  communityProps, communityWorker, coverageResponse, departmentList, gridProps, healthResponse, kpiResponse, kpiTrendResponse, linksResponse, businessLinksResponse, importFileReport,
  meResponse, needDetail, needPage, needSummary, placeAt, placeSearchResponse, planDetail, planExport, planList, powerList,
  publicCategory, publicReportStatus, recordsResponse, resourceList, revertPreview, rosterResponse, subdistrictProps, tokenSummary,
  unitSuggestion, workforceSummary, vanguardSummary, vanguardTeamDetail, vanguardCandidates, organisationList, organisationDetail,
  evaluationResponse, evaluationWeightsResponse,
} from '@grid-atlas/contract';

const geometry = z.object({ type: z.string(), coordinates: z.array(z.unknown()) });
const featureCollection = <P extends z.ZodType>(properties: P) => z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), id: z.number().optional(), geometry, properties })),
});

export const CONTRACT_RESPONSES: Record<string, z.ZodType> = {
  'GET /api/health': healthResponse,
  'GET /api/client-config': clientConfig,
  'GET /api/me': meResponse,
  'GET /api/city-outline': cityOutline,
  'GET /api/subdistricts': featureCollection(subdistrictProps),
  'GET /api/communities': featureCollection(communityProps),
  'GET /api/grids': featureCollection(gridProps),
  'GET /api/coverage': coverageResponse,
  'GET /api/basemap': featureCollection(basemapProps),
  'GET /api/households/records': recordsResponse,
  'GET /api/places/at': placeAt,
  'GET /api/public/places/at': placeAt,
  'GET /api/places': placeSearchResponse,
  'GET /api/public/places': placeSearchResponse,
  'GET /api/roster': rosterResponse,
  'GET /api/links': linksResponse,
  'GET /api/business-links': businessLinksResponse,
  'GET /api/audit': auditResponse,
  'GET /api/case-categories': z.object({ categories: z.array(caseCategory) }),
  'GET /api/cases': casePage,
  'GET /api/cases/by-category': caseCounts,
  'GET /api/cases/:id': caseDetail,
  'GET /api/cases/:id/party-members': z.object({ members: z.array(casePartyMember) }),
  'GET /api/cases/:id/suggestions': z.object({ suggestions: z.array(unitSuggestion) }),
  'GET /api/blocks': blockCollection,
  'GET /api/plans': planList,
  'GET /api/plans/:id': planDetail,
  'GET /api/plans/:id/geojson': planExport,
  // a 409 in the matrix (a draft is not applied); plans-sequences.test.ts parses its 200s
  'GET /api/plans/:id/revert-preview': revertPreview,
  // the dry run's report (saves nothing)
  'POST /api/plans/import-file': importFileReport,
  'GET /api/public/categories': z.object({ categories: z.array(publicCategory) }),
  'GET /api/public/reports/:token': publicReportStatus,
  'GET /api/resources': resourceList,
  'GET /api/needs': needPage,
  'GET /api/needs/summary': needSummary,
  'GET /api/needs/:id': needDetail,
  'GET /api/needs/:id/suggestions': z.object({ suggestions: z.array(unitSuggestion) }),
  'GET /api/tokens': z.object({ tokens: z.array(tokenSummary) }),
  'GET /api/departments': departmentList,
  'GET /api/powers': powerList,
  'GET /api/kpis': kpiResponse,
  'GET /api/kpis/trend': kpiTrendResponse,
  'GET /api/workforce': workforceSummary,
  'GET /api/workforce/workers': z.object({ workers: z.array(communityWorker) }),
  'GET /api/communities/:id/partners': communityPartners,
  'GET /api/vanguard': vanguardSummary,
  'GET /api/vanguard/teams/:id': vanguardTeamDetail,
  'GET /api/vanguard/teams/:id/candidates': vanguardCandidates,
  'GET /api/organisations': organisationList,
  'GET /api/organisations/:id': organisationDetail,
  'GET /api/evaluation': evaluationResponse,
  'PUT /api/evaluation/weights': evaluationWeightsResponse,
};

/**
 * JSON routes answered without a zod schema in the contract (their types TypeScript interfaces or
 * written in the route): none now; a route waits here only until its schema is written.
 */
export const UNTYPED_JSON_ROUTES: string[] = [];

/** GET routes whose answer is not JSON (files, binary, an event stream), outside the contract's JSON schemas. */
export const NON_JSON_ROUTES = [
  'GET /api/households', 'GET /api/events', 'GET /api/cases/:id/photos/:photoId',
  'GET /api/plans/:id/gpkg', 'GET /api/exports/households', 'GET /api/exports/cases', 'GET /api/exports/needs', 'GET /api/exports/kpis',
];
