// GET /tiles/{layer}/{z}/{x}/{y}.mvt: the map's layers as Mapbox Vector Tiles, for MapLibre
// (a `vector` source), QGIS and GDAL's MVT driver. Who may read what is the OGC API's rule, by the
// same caller (a session cookie, or a personal access token as Authorization: Bearer): the
// synthetic streets are public like /api/basemap, and so are the synthetic building footprints
// (outlines only, from zoom BUILDINGS_MIN_ZOOM); the other layers need a signed-in caller and
// hold only that caller's scope, blocks only for those who view grid plans.
//
// Tiles are cached per layer, scope and tile against the version of what they show: the data
// version (bumped by every change of boundaries, blocks or households, so applying a plan
// invalidates them) or, for cases, the latest case event. An empty tile is a 204.
import type { GeoJSONVT } from '@maplibre/geojson-vt';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BUILDINGS_MIN_ZOOM, MVT_CONTENT_TYPE, ROLE_LABELS, tileParams, type TileLayer } from '@grid-atlas/contract';
import { generateBasemap } from '@grid-atlas/geodata';
import type { User } from '../auth/scope.ts';
import { dataVersion, type Db, type Queryable } from '../db/index.ts';
import { encode, send, VersionedCache, type Encoded } from '../http/cached-body.ts';
import { validParam } from '../http/validate.ts';
import { mayRead } from '../ogc/collections.ts';
import { ogcCaller, type OgcEnv } from '../ogc/routes.ts';
import { deriveFootprints, footprintsIn, postgisFootprintTile, type Footprints } from './buildings.ts';
import { indexTile, layerGeoJson, postgisTile, tileIndex, type TileAddress } from './encode.ts';
import { tileLayerDef, type TileLayerDef } from './layers.ts';

/** Tiles kept per process (a city's layers at the zooms a wall shows are a few thousand). */
const TILE_CACHE_SIZE = 5000;
/** geojson-vt indexes kept (embedded database): one per layer and scope in use. */
const INDEX_CACHE_SIZE = 64;

function unauthorized(): HTTPException {
  const res = new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="grid-atlas"' } });
  return new HTTPException(401, { message: '请先登录，或使用个人访问令牌 (sign in first, or send a personal access token as Authorization: Bearer)', res });
}

/** The layer's definition when the caller may read it: 401 without a caller, 403 for a role it is not for. */
function readableLayer(layer: Exclude<TileLayer, 'streets' | 'buildings'>, u: User | undefined): TileLayerDef {
  const def = tileLayerDef(layer)!;
  if (!u) throw unauthorized();
  if (!mayRead(def.rows, u)) {
    const who = def.rows.roles!.map((r) => ROLE_LABELS[r]).join('、');
    throw new HTTPException(403, { message: `只有${who}可以查看${def.rows.title}图层 (only ${def.rows.roles!.join(', ')} may read ${def.id} tiles)` });
  }
  return def;
}

export function tileRoutes(db: Db) {
  const tiles = new VersionedCache(TILE_CACHE_SIZE);
  const indexes = new Map<string, { version: number; index: Promise<GeoJSONVT> }>();
  let streets: GeoJSONVT | undefined;
  /** The footprints (and, on the embedded database, their index) at one data version. */
  let buildings: { version: number; footprints: Promise<Footprints>; index?: Promise<GeoJSONVT> } | undefined;

  const footprintsAt = (version: number) => {
    if (buildings?.version !== version) {
      const footprints = db.forReading().then(deriveFootprints);
      const entry = { version, footprints, index: db.kind === 'postgres' ? undefined : footprints.then((f) => tileIndex(f.fc)) };
      footprints.catch(() => { if (buildings === entry) buildings = undefined; });
      buildings = entry;
    }
    return buildings;
  };

  const buildingTile = async (t: TileAddress, version: number): Promise<Encoded> => {
    const at = footprintsAt(version);
    const bytes = at.index
      ? indexTile(await at.index, 'buildings', t)
      : await postgisFootprintTile(await db.forReading(), 'buildings', footprintsIn(await at.footprints, t), t);
    return encode(bytes, MVT_CONTENT_TYPE);
  };

  const versionOf = async (def: TileLayerDef): Promise<number> => {
    if (!def.live) return dataVersion(db);
    const { rows } = await db.query<{ v: number }>('SELECT coalesce(max(id), 0)::int8 AS v FROM case_events');
    return rows[0].v;
  };

  /** The embedded database's index of a layer for one scope, rebuilt when its version moves on. */
  const indexFor = (reader: Queryable, def: TileLayerDef, scope: unknown[], key: string, version: number) => {
    const hit = indexes.get(key);
    if (hit && hit.version === version) return hit.index;
    const index = layerGeoJson(reader, def, scope).then(tileIndex);
    index.catch(() => indexes.delete(key));
    if (indexes.size >= INDEX_CACHE_SIZE) indexes.delete(indexes.keys().next().value!);
    indexes.set(key, { version, index });
    return index;
  };

  const build = async (def: TileLayerDef, t: TileAddress, scope: unknown[], scopeKey: string, version: number): Promise<Encoded> => {
    const reader = await db.forReading();
    const bytes = db.kind === 'postgres'
      ? await postgisTile(reader, def, t, scope)
      : indexTile(await indexFor(reader, def, scope, `${def.id}|${scopeKey}`, version), def.id, t);
    return encode(bytes, MVT_CONTENT_TYPE);
  };

  return new Hono<OgcEnv>()
    .use(ogcCaller(db))
    .get('/:layer/:z/:x/:y', validParam(tileParams), async (c) => {
      const { layer, ...t } = c.req.valid('param');
      let encoded: Encoded;
      if (layer === 'streets') {
        streets ??= tileIndex(generateBasemap() as GeoJSON.FeatureCollection);
        encoded = await tiles.get(`streets|${t.z}/${t.x}/${t.y}`, 0, async () => encode(indexTile(streets!, 'streets', t), MVT_CONTENT_TYPE));
      } else if (layer === 'buildings') {
        if (t.z < BUILDINGS_MIN_ZOOM) return c.body(null, 204);
        const version = await dataVersion(db);
        encoded = await tiles.get(`buildings|${t.z}/${t.x}/${t.y}`, version, () => buildingTile(t, version));
      } else {
        const def = readableLayer(layer, c.get('user'));
        const scope = def.rows.scope(c.get('user')!);
        const scopeKey = JSON.stringify(scope);
        const version = await versionOf(def);
        encoded = await tiles.get(`${layer}|${scopeKey}|${t.z}/${t.x}/${t.y}`, version, () => build(def, t, scope, scopeKey, version));
      }
      if (encoded.body.byteLength === 0) return c.body(null, 204);
      const res = send(c, encoded);
      // A scoped tile is the caller's own: a shared cache must not hand it to someone else.
      res.headers.set('Cache-Control', layer === 'streets' || layer === 'buildings' ? 'public, no-cache' : 'private, no-cache');
      return res;
    });
}
