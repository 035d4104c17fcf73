// Boundary and statistics endpoints.
import type { CityOutline, CommunityCollection, GridCollection, Health, SubdistrictCollection } from '@grid-atlas/contract';
import { api, q } from './client';
import { readJson } from './http';

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return readJson(api.health.$get(undefined, { init: { signal } }));
}

export function fetchSubdistricts(signal?: AbortSignal): Promise<SubdistrictCollection> {
  return readJson(api.subdistricts.$get({ query: {} }, { init: { signal } }));
}

export function fetchCommunities(filter: { subdistrict?: number } = {}, signal?: AbortSignal): Promise<CommunityCollection> {
  return readJson(api.communities.$get({ query: q(filter) }, { init: { signal } }));
}

export function fetchGrids(filter: { community?: number; subdistrict?: number } = {}, signal?: AbortSignal): Promise<GridCollection> {
  return readJson(api.grids.$get({ query: q(filter) }, { init: { signal } }));
}

export function fetchCityOutline(signal?: AbortSignal): Promise<CityOutline> {
  return readJson(api['city-outline'].$get(undefined, { init: { signal } }));
}
