// GET /api/households: every household point in scope, in the contract's binary form.
import { decodeHouseholds, type Households } from '@grid-atlas/contract';
import { apiUrl, getArrayBuffer } from './http';

export async function fetchHouseholds(signal?: AbortSignal): Promise<Households> {
  return decodeHouseholds(await getArrayBuffer(apiUrl('households'), signal));
}
