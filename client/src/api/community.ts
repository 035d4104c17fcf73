// The community secretary's personal-data routes (server/src/routes/community.ts). Only roles that
// work their own area get answers (403 for city roles, 404 outside their area); the server scopes
// every row, the client only chooses the community and filters.
import type { BusinessLinksResponse, CadreLinkLine, HouseholdPage, RosterGrid } from '@grid-atlas/contract';
import { api, q } from './client';
import { readJson } from './http';

export type { BusinessLinkLine, BusinessLinksResponse, BusinessPoint, CadreLinkLine, HouseholdCadre, HouseholdPage, HouseholdRecord, RosterGrid } from '@grid-atlas/contract';

export interface HouseholdQuery {
  community?: number;
  grid?: number;
  q?: string;
  difficulty?: boolean;
  unlinked?: boolean;
  limit?: number;
  offset?: number;
}

export function fetchHouseholdRecords(query: HouseholdQuery, signal?: AbortSignal): Promise<HouseholdPage> {
  const params = q({
    community: query.community,
    grid: query.grid,
    q: query.q?.trim() || undefined,
    // Filters are "only …" switches: off means no filter, not "=false".
    difficulty: query.difficulty ? true : undefined,
    unlinked: query.unlinked ? true : undefined,
    limit: query.limit,
    offset: query.offset,
  });
  return readJson(api.households.records.$get({ query: params }, { init: { signal } }));
}

export async function fetchRoster(community: number, signal?: AbortSignal): Promise<RosterGrid[]> {
  const { grids } = await readJson(api.roster.$get({ query: q({ community }) }, { init: { signal } }));
  return grids;
}

export async function fetchLinks(community: number, signal?: AbortSignal): Promise<CadreLinkLine[]> {
  const { links } = await readJson(api.links.$get({ query: q({ community }) }, { init: { signal } }));
  return links;
}

/** 双定三联's third link: the community's businesses (经营主体) and the members linked to them. */
export function fetchBusinessLinks(community: number, signal?: AbortSignal): Promise<BusinessLinksResponse> {
  return readJson(api['business-links'].$get({ query: q({ community }) }, { init: { signal } }));
}
