// Places in words (places/places.ts):
//   GET /places/at?lon=&lat=   the grid a point lies in and the nearest building: "解放路社区 第7网格 · 解放路7号附近"
//   GET /places?q=             building addresses, and for roles that see personal data the
//                              household heads of their own area
//   GET /public/places/at, GET /public/places   the same for the residents' report page (no
//                              account): building addresses only, never a name; at least 2
//                              characters, at most 60 lookups a minute per address
// A point outside every grid is a 404 that says so in words.
import { Hono, type Context } from 'hono';
import { placeAtQuery, placeSearchQuery, publicPlaceSearchQuery, seesPersonalData, type PlaceAt, type PlaceSearchResponse } from '@grid-atlas/contract';
import { scopeParams } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { validQuery } from '../http/validate.ts';
import { placeAt, searchPlaces } from '../places/places.ts';
import { perAddressLimit } from '../http/rate-limit.ts';

const OUTSIDE = '该位置不在恩施城区的任何网格内，请在网格范围内选点 (the point lies outside every grid)';

/** Per client address: a resident placing a pin and typing asks a few times a minute, not 60. */
export const PUBLIC_PLACES_PER_MINUTE = 60;

export function placeRoutes(db: Db, options: { trustProxy?: boolean } = {}) {
  const limited = perAddressLimit({
    max: PUBLIC_PLACES_PER_MINUTE, windowMs: 60_000, trustProxy: options.trustProxy ?? false,
    message: '查询太频繁，请稍后再试 (too many place lookups from this address: try again in a minute)',
  });
  const at = async (c: Context<AppEnv>, q: { lon: number; lat: number }) => {
    const place = await placeAt(db, q.lon, q.lat);
    if (!place) throw notFound(OUTSIDE);
    return c.json<PlaceAt>(place);
  };
  return new Hono<AppEnv>()
    .use('/public/places', limited)
    .use('/public/places/at', limited)
    .get('/places/at', validQuery(placeAtQuery), (c) => at(c, c.req.valid('query')))
    .get('/public/places/at', validQuery(placeAtQuery), (c) => at(c, c.req.valid('query')))
    .get('/places', validQuery(placeSearchQuery), async (c) => {
      const u = c.get('user');
      const places = await searchPlaces(db, c.req.valid('query').q, seesPersonalData(u.role) ? scopeParams(u) : null);
      return c.json<PlaceSearchResponse>({ places });
    })
    .get('/public/places', validQuery(publicPlaceSearchQuery), async (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return c.json<PlaceSearchResponse>({ places: await searchPlaces(db, c.req.valid('query').q, null) });
    });
}
