// 五社联动 (server/src/routes/organisations.ts): the registry of social organisations, filtered by
// kind, community and name; one organisation with the needs it holds.
import type { OrganisationDetail, OrganisationKind, OrganisationList } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

export type { Organisation, OrganisationDetail, OrganisationKind, OrganisationList } from '@grid-atlas/contract';

const call = fetchWith();

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
  const p = new URLSearchParams();
  if (f.kind) p.set('kind', f.kind);
  if (f.community) p.set('community', String(f.community));
  if (f.serves) p.set('serves', '1');
  if (f.q?.trim()) p.set('q', f.q.trim());
  if (f.limit) p.set('limit', String(f.limit));
  if (f.offset) p.set('offset', String(f.offset));
  const qs = p.toString();
  return readUntypedJson<OrganisationList>(call(`/api/organisations${qs ? `?${qs}` : ''}`, { signal }));
}

export function fetchOrganisation(id: number, signal?: AbortSignal): Promise<OrganisationDetail> {
  return readUntypedJson<OrganisationDetail>(call(`/api/organisations/${id}`, { signal }));
}
