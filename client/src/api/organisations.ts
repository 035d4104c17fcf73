// 五社联动 (server/src/routes/organisations.ts): the registry of social organisations, filtered by
// kind, community and name; one organisation with the needs it holds.
import type { OrganisationDetail, OrganisationKind, OrganisationList } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { Organisation, OrganisationDetail, OrganisationKind, OrganisationList } from '@grid-atlas/contract';

export interface OrganisationFilters {
  kind?: OrganisationKind | null;
  community?: number | null;
  /** with `community`: the organisations that serve it (its own and the city-wide ones) */
  serves?: boolean;
  q?: string;
  limit?: number;
  offset?: number;
}

export function fetchOrganisations(f: OrganisationFilters = {}, signal?: AbortSignal): Promise<OrganisationList> {
  const query: Record<string, string> = {};
  if (f.kind) query.kind = f.kind;
  if (f.community) query.community = String(f.community);
  if (f.serves) query.serves = '1';
  if (f.q?.trim()) query.q = f.q.trim();
  if (f.limit) query.limit = String(f.limit);
  if (f.offset) query.offset = String(f.offset);
  return readJson(api.organisations.$get({ query }, { init: { signal } }));
}

export function fetchOrganisation(id: number, signal?: AbortSignal): Promise<OrganisationDetail> {
  return readJson(api.organisations[':id'].$get({ param: { id: String(id) }, query: {} }, { init: { signal } }));
}
