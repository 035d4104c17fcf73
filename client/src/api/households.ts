// GET /api/households: every household point in scope, in the contract's binary form.
import { decodeHouseholds, type Households } from '@grid-atlas/contract';
import { api } from './client';

export async function fetchHouseholds(signal?: AbortSignal): Promise<Households> {
  const res = await api.households.$get({ query: {} }, { init: { signal } });
  return decodeHouseholds(await res.arrayBuffer());
}
