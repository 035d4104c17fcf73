// GET /api/basemap: the river and the synthetic street network the command centre draws under
// the boundaries. Generated once (deterministic, no database) and served from memory; nothing
// personal and nothing scoped, so every signed-in role gets the same body.
import { Hono } from 'hono';
import { basemapQuery, type BasemapCollection } from '@grid-atlas/contract';
import { generateBasemap } from '@grid-atlas/geodata';
import type { AppEnv } from '../http/env.ts';
import { encode, sendJson } from '../http/cached-body.ts';
import { validQuery } from '../http/validate.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';

export function basemapRoutes() {
  let body: ReturnType<typeof encode> | undefined;
  return new Hono<AppEnv>().get('/basemap', validQuery(basemapQuery), (c) => {
    body ??= encode(JSON.stringify(generateBasemap()), GEOJSON);
    return sendJson<BasemapCollection>(c, body);
  });
}
