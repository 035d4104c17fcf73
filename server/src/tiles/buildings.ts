// The `buildings` tile layer: synthetic footprints (geodata's generateFootprints) around each
// building point, derived from the households on first use and again whenever the data version
// moves on (a plan applied, households imported), never stored. A building point is the centre of
// one building's households (they lie within a few metres of it); a footprint carries nothing of
// them but its outline, so the layer is public ground like the streets.
import { bbox } from '@turf/bbox';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { TILE_EXTENT } from '@grid-atlas/contract';
import { generateBasemap, generateFootprints, type BuildingPoint, type FootprintProps } from '@grid-atlas/geodata';
import type { Queryable } from '../db/index.ts';
import { TILE_BUFFER, type TileAddress } from './encode.ts';

export interface Footprints {
  fc: FeatureCollection<Polygon, FootprintProps>;
  /** Each feature's [west, south, east, north], in the order of fc.features. */
  boxes: [number, number, number, number][];
}

/** Building points, one per building (its grid and name), ordered so the footprints' ids are stable. */
export async function buildingPoints(db: Queryable): Promise<BuildingPoint[]> {
  const { rows } = await db.query<{ lon: number; lat: number; households: number }>(
    `SELECT ST_X(c) AS lon, ST_Y(c) AS lat, n AS households
       FROM (SELECT grid_id, building, ST_Centroid(ST_Collect(geom)) AS c, count(*)::int AS n
               FROM households GROUP BY grid_id, building) b
      ORDER BY grid_id NULLS LAST, building`,
  );
  return rows;
}

export async function deriveFootprints(db: Queryable): Promise<Footprints> {
  const fc = generateFootprints(await buildingPoints(db), generateBasemap());
  const boxes = fc.features.map((f) => bbox(f) as [number, number, number, number]);
  return { fc, boxes };
}

/** A tile's [west, south, east, north] in degrees, grown by the tile buffer. */
export function tileBox(t: TileAddress): [number, number, number, number] {
  const n = 2 ** t.z;
  const margin = TILE_BUFFER / TILE_EXTENT;
  const lon = (x: number) => (x / n) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon(t.x - margin), lat(t.y + 1 + margin), lon(t.x + 1 + margin), lat(t.y - margin)];
}

/** The footprints whose box meets the tile (with its buffer). */
export function footprintsIn(f: Footprints, t: TileAddress): Feature<Polygon, FootprintProps>[] {
  const [w, s, e, n] = tileBox(t);
  return f.fc.features.filter((_, i) => {
    const b = f.boxes[i];
    return b[0] <= e && b[2] >= w && b[1] <= n && b[3] >= s;
  });
}

/**
 * One tile of footprints on PostgreSQL: the features meeting it, sent as GeoJSON, clipped and
 * encoded by ST_AsMVTGeom and ST_AsMVT as every other layer's; empty bytes when none.
 */
export async function postgisFootprintTile(db: Queryable, layer: string, features: Feature<Polygon, FootprintProps>[], t: TileAddress): Promise<Buffer> {
  if (features.length === 0) return Buffer.alloc(0);
  const { rows } = await db.query<{ tile: Buffer }>(
    `WITH env AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS m)
     SELECT ST_AsMVT(t, $4::text, $6::int, 'geom', 'id') AS tile
       FROM (SELECT (f->>'id')::int AS id,
                    ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326), 3857), env.m, $6::int, $5::int, true) AS geom,
                    true AS synthetic
               FROM jsonb_array_elements($7::jsonb) f CROSS JOIN env) t
      WHERE t.geom IS NOT NULL`,
    [t.z, t.x, t.y, layer, TILE_BUFFER, TILE_EXTENT, JSON.stringify(features.map((f) => ({ id: f.id, geometry: f.geometry })))],
  );
  return rows[0]?.tile ?? Buffer.alloc(0);
}
