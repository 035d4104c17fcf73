// Households covered per grid by one kind of cadre (aggregates only).
import type { CoverageKind, CoverageResponse } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export function fetchCoverage(kind: CoverageKind, signal?: AbortSignal): Promise<CoverageResponse> {
  return readJson(api.coverage.$get({ query: { kind } }, { init: { signal } }));
}
