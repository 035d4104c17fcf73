// Households covered per grid by one kind of cadre (aggregates only).
import type { CoverageKind, CoverageResponse } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

/** `heat`: also the covered households per ~100 m cell (the heatmap's input). */
export function fetchCoverage(kind: CoverageKind, signal?: AbortSignal, heat = false): Promise<CoverageResponse> {
  return readJson(api.coverage.$get({ query: heat ? { kind, heat: '1' } : { kind } }, { init: { signal } }));
}
