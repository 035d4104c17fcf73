// Where a point lies: the grid (and so community and subdistrict) it falls in, or the nearest
// within SNAP_METRES, and the box that lets the gist indexes find what lies near it.
import type { Queryable } from '../db/index.ts';

/** How far a point outside every grid may lie and still belong to the nearest one. */
export const SNAP_METRES = 50;
/** Open cases of the same category this close are offered as possible duplicates. */
export const DUPLICATE_METRES = 250;

/**
 * SQL: a box around the point (lon, lat: SQL expressions) that holds everything within `m`
 * metres, so `geom && box` lets the gist index narrow the rows before an exact test on the
 * sphere (a cast to geography alone cannot use the index: every case would be measured).
 */
export function nearBox(lon: string, lat: string, m: string): string {
  return `ST_Expand(ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326),
    ${m} * 1.01 / (111320 * greatest(cos(radians(${lat})), 0.01)), ${m} * 1.01 / 110574.0)`;
}

export interface Located {
  grid_id: number;
  community_id: number;
  subdistrict_id: number;
  /** false when the point lay outside every grid and was given to the nearest one within 50 m */
  inside: boolean;
}

/**
 * SQL (a subquery): the grid containing the point ($lon, $lat), else the nearest within $snap
 * metres; no row when there is none. Containment is a plain planar test behind the grids' gist
 * index; only a point outside every grid pays for distances on the sphere (measured over the
 * grids in a box of about 200 m around it). On a shared edge the lower grid id wins.
 */
export const locateSql = (lon: string, lat: string, snap: string) => `
  WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326) AS geom),
       hit AS (SELECT g.id AS grid_id, g.community_id, true AS inside FROM grids g, p
                WHERE g.geom && p.geom AND ST_Intersects(g.geom, p.geom) ORDER BY g.id LIMIT 1)
  SELECT l.grid_id, l.community_id, cm.subdistrict_id, l.inside
    FROM (SELECT * FROM hit
          UNION ALL
          (SELECT g.id, g.community_id, false FROM grids g, p
            WHERE NOT EXISTS (SELECT 1 FROM hit) AND g.geom && ST_Expand(p.geom, 0.002)
              AND ST_DWithin(g.geom::geography, p.geom::geography, ${snap})
            ORDER BY ST_Distance(g.geom::geography, p.geom::geography), g.id LIMIT 1)
          LIMIT 1) l
    JOIN communities cm ON cm.id = l.community_id`;

/** The grid containing the point, else the nearest within 50 m; null when there is none. */
export async function locate(client: Queryable, lon: number, lat: number): Promise<Located | null> {
  const { rows } = await client.query<Located>(locateSql('$1', '$2', '$3'), [lon, lat, SNAP_METRES]);
  return rows[0] ?? null;
}
