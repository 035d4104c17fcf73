// Vector tiles from PostGIS rows, two ways with one result for a client. On PostgreSQL the
// database encodes each tile (ST_AsMVTGeom clips and quantises to the tile grid, ST_AsMVT writes
// the protobuf). PGlite's PostGIS is built without protobuf-c, so on the embedded database the
// layer's rows in the caller's scope are read once as GeoJSON into a geojson-vt index, which cuts
// any tile from memory, and vt-pbf writes it. Both clip with the same buffer and use the same
// extent, so a map draws either alike.
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { TILE_EXTENT, TILE_MAX_ZOOM } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';
import type { TileLayerDef } from './layers.ts';

/** Tile units of geometry kept beyond each edge, so lines and outlines join across tiles. */
export const TILE_BUFFER = 64;

export interface TileAddress { z: number; x: number; y: number }

/**
 * One tile of a layer on PostgreSQL: rows whose geometry meets the tile (with its buffer), in the
 * user's scope, encoded by ST_AsMVT; empty bytes when none.
 */
export async function postgisTile(db: Queryable, def: TileLayerDef, t: TileAddress, scope: unknown[]): Promise<Buffer> {
  const r = def.rows;
  const { rows } = await db.query<{ tile: Buffer }>(
    `WITH env AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS m,
                         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $5::float8 / $6::int), 4326) AS q)
     SELECT ST_AsMVT(t, $4::text, $6::int, 'geom', 'id') AS tile
       FROM (SELECT x.id, ST_AsMVTGeom(ST_Transform(${r.geom}, 3857), env.m, $6::int, $5::int, true) AS geom,
                    jsonb_strip_nulls(${def.attributes}) AS attributes
               FROM ${r.from} CROSS JOIN env
              WHERE ${r.geom} && env.q AND ${r.where(7)}) t
      WHERE t.geom IS NOT NULL`,
    [t.z, t.x, t.y, def.id, TILE_BUFFER, TILE_EXTENT, ...scope],
  );
  return rows[0]?.tile ?? Buffer.alloc(0);
}

/** A layer's rows in the user's scope, as one GeoJSON FeatureCollection, for an in-memory index. */
export async function layerGeoJson(db: Queryable, def: TileLayerDef, scope: unknown[]): Promise<GeoJSON.FeatureCollection> {
  const r = def.rows;
  const { rows } = await db.query<{ body: string }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
              'type', 'Feature', 'id', x.id, 'geometry', ST_AsGeoJSON(${r.geom}, 7)::json,
              'properties', jsonb_strip_nulls(${def.attributes})) ORDER BY x.id), '[]'::json))::text AS body
       FROM ${r.from}
      WHERE ${r.geom} IS NOT NULL AND ${r.where(1)}`,
    scope,
  );
  return JSON.parse(rows[0].body) as GeoJSON.FeatureCollection;
}

/** An index that cuts any tile of a FeatureCollection. */
export function tileIndex(fc: GeoJSON.FeatureCollection): GeoJSONVT {
  return new GeoJSONVT(fc, {
    maxZoom: TILE_MAX_ZOOM,
    // Tiles down to zoom 5 are cut at once (the city fits in one of them); deeper ones on demand.
    indexMaxZoom: 5,
    extent: TILE_EXTENT,
    buffer: TILE_BUFFER,
    // Simplification in tile units: 1 keeps outlines within a quarter pixel at 512 px tiles.
    tolerance: 1,
  });
}

/** One tile cut from an index, encoded as MVT; empty bytes when the tile holds nothing. */
export function indexTile(index: GeoJSONVT, layer: string, t: TileAddress): Buffer {
  const tile = index.getTile(t.z, t.x, t.y);
  if (!tile || tile.features.length === 0) return Buffer.alloc(0);
  return Buffer.from(fromGeojsonVt({ [layer]: tile }, { version: 2, extent: TILE_EXTENT }));
}
