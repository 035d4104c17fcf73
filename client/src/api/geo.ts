// Boundary and statistics endpoints.
import { apiUrl, getJson } from './http';
import type { CityOutline, CommunityCollection, GridCollection, Health, SubdistrictCollection } from './types';

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return getJson<Health>(apiUrl('health'), signal);
}

export function fetchSubdistricts(signal?: AbortSignal): Promise<SubdistrictCollection> {
  return getJson<SubdistrictCollection>(apiUrl('subdistricts'), signal);
}

export function fetchCommunities(filter: { subdistrict?: number } = {}, signal?: AbortSignal): Promise<CommunityCollection> {
  return getJson<CommunityCollection>(apiUrl('communities', filter), signal);
}

export function fetchGrids(filter: { community?: number; subdistrict?: number } = {}, signal?: AbortSignal): Promise<GridCollection> {
  return getJson<GridCollection>(apiUrl('grids', filter), signal);
}

export function fetchCityOutline(signal?: AbortSignal): Promise<CityOutline> {
  return getJson<CityOutline>(apiUrl('city-outline'), signal);
}
