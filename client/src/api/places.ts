// Places in words (server/src/routes/places.ts): the grid a point lies in and the nearest
// building, and addresses found by what a person types. Staff pages use the signed-in routes
// (household heads for roles that see them); the residents' page the public ones (no session,
// so a 401 never sends a resident to the sign-in page).
import type { PlaceAt, PlaceHit } from '@grid-atlas/contract';
import { hc } from 'hono/client';
import type { ApiType } from '@grid-atlas/server';
import { api } from './client';
import { fetchWith, readJson } from './http';

export type { PlaceAt, PlaceHit } from '@grid-atlas/contract';

const publicApi = hc<ApiType>('/api', { fetch: fetchWith({ redirectOn401: false }) });

export function fetchPlaceAt([lon, lat]: [number, number], audience: 'staff' | 'public', signal?: AbortSignal): Promise<PlaceAt> {
  const query = { lon: lon.toFixed(6), lat: lat.toFixed(6) };
  return readJson(audience === 'public'
    ? publicApi.public.places.at.$get({ query }, { init: { signal } })
    : api.places.at.$get({ query }, { init: { signal } }));
}

export async function searchPlaces(text: string, audience: 'staff' | 'public', signal?: AbortSignal): Promise<PlaceHit[]> {
  const query = { q: text.trim().slice(0, 30) };
  const body = await readJson(audience === 'public'
    ? publicApi.public.places.$get({ query }, { init: { signal } })
    : api.places.$get({ query }, { init: { signal } }));
  return body.places;
}
