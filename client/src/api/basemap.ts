// The synthetic ground (river and streets) the command centre draws when no real basemap is set.
import type { BasemapCollection } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export function fetchBasemap(signal?: AbortSignal): Promise<BasemapCollection> {
  return readJson(api.basemap.$get({ query: {} }, { init: { signal } }));
}
