// Places to redraw, for the plan tests: a grid line to move (POST /api/blocks/edge, server and
// browser) and a boundary block to paint into the neighbouring grid (plan applies).
import { expect } from 'vitest';
import type { Queryable } from '../server/src/db/index.ts';
import { intersection, unionAgg } from '../server/src/db/overlay.ts';

export interface GridLine {
  /** the two blocks and their grids */
  a: number; b: number; ga: number; gb: number;
  /** a point inside each block (to click it) */
  ax: number; ay: number; bx: number; by: number;
  /** the new edge: from one corner where their shared edge meets their outline, through a point
   * just beyond the middle of b's households, to the other corner */
  line: { type: 'LineString'; coordinates: number[][] };
  /** b's households on a's side of the new edge (at least one) */
  n: number;
}

/** Which neighbouring pairs findEdges looks at. */
export interface EdgeFilter {
  /** true: both blocks in one grid; false: in different grids (a grid line); undefined: either */
  sameGrid?: boolean;
  /** only pairs with this block as a or b */
  block?: number;
}

/**
 * Neighbouring blocks of the community and a new edge between each pair that moves some of b's
 * households to a: most households moved first (then by ids), at most `limit`.
 */
export async function findEdges(db: Queryable, community: number, filter: EdgeFilter = {}, limit = 1): Promise<GridLine[]> {
  // Inlined, not bound: PGlite answers the extended-protocol Execute of this query (geometry
  // aggregates) with a PortalSuspended when it finds no pair, and the connection then falls out
  // of step ("portal "" does not exist"), as dataset/coverage.ts explains. All are integers or
  // a boolean, checked here.
  for (const n of [community, filter.block ?? 0, limit]) if (!Number.isInteger(n)) throw new Error(`findEdges: not an integer: ${n}`);
  const sql = (text: string) => text
    .replaceAll('$1', String(community)).replaceAll('$2', filter.sameGrid === undefined ? 'NULL' : String(filter.sameGrid))
    .replaceAll('$3', filter.block === undefined ? 'NULL' : String(filter.block)).replaceAll('$4', String(limit));
  const rows = (await db.query<any>(sql(`
      WITH pairs AS (
        SELECT a.id AS a, b.id AS b, a.grid_id AS ga, b.grid_id AS gb, a.geom AS ag, b.geom AS bg, ST_Union(a.geom, b.geom) AS u
          FROM blocks a JOIN blocks b ON b.community_id = a.community_id AND a.id <> b.id AND a.geom && b.geom
         WHERE a.community_id = $1 AND ($2::boolean IS NULL OR (a.grid_id = b.grid_id) = $2)
           AND ($3::int IS NULL OR $3 IN (a.id, b.id))
      ), corners AS (
        -- the outline's vertices that lie on both blocks' outlines: where the shared edge ends
        SELECT pairs.*, array_agg(d.geom ORDER BY d.path) AS ends
          FROM pairs, ST_DumpPoints(ST_ExteriorRing(u)) d
         WHERE ST_GeometryType(u) = 'ST_Polygon' AND d.path[1] > 1
           AND ST_DWithin(d.geom, ST_Boundary(ag), 1e-9) AND ST_DWithin(d.geom, ST_Boundary(bg), 1e-9)
         GROUP BY a, b, ga, gb, ag, bg, u
        HAVING count(*) = 2
      ), c AS (
        SELECT *, ends[1] AS p, ends[2] AS q, (SELECT ST_Centroid(ST_Collect(h.geom)) FROM households h WHERE h.block_id = corners.b) AS pb FROM corners WHERE ST_Distance(ends[1]::geography, ends[2]::geography) > 30
      ), d AS (
        SELECT c.*, ST_SetSRID(ST_MakePoint((ST_X(p) + ST_X(q)) / 2 + t * (ST_X(pb) - (ST_X(p) + ST_X(q)) / 2),
                                            (ST_Y(p) + ST_Y(q)) / 2 + t * (ST_Y(pb) - (ST_Y(p) + ST_Y(q)) / 2)), 4326) AS m2
          FROM c, unnest(ARRAY[1.1, 1.3]) AS t WHERE pb IS NOT NULL
      ), e AS (
        SELECT a, b, ga, gb, ST_X(ST_PointOnSurface(ag)) AS ax, ST_Y(ST_PointOnSurface(ag)) AS ay, ST_X(ST_PointOnSurface(bg)) AS bx, ST_Y(ST_PointOnSurface(bg)) AS by, ST_X(p) AS px, ST_Y(p) AS py, ST_X(m2) AS mx, ST_Y(m2) AS my, ST_X(q) AS qx, ST_Y(q) AS qy,
               (SELECT count(*)::int FROM households h WHERE h.block_id = d.b
                   AND ST_Intersects(ST_MakePolygon(ST_MakeLine(ARRAY[p, m2, q, p])), h.geom)) AS n
          FROM d WHERE ST_CoveredBy(ST_MakeLine(ARRAY[p, m2, q]), u)
      )
      SELECT * FROM e WHERE n > 0 ORDER BY n DESC, a, b, mx, my LIMIT $4`))).rows;
  return rows.map((r) => ({ ...r, line: { type: 'LineString', coordinates: [[r.px, r.py], [r.mx, r.my], [r.qx, r.qy]] } }));
}

/** Two neighbouring blocks of the community in different grids, and a new edge between them that moves some of b's households to a. */
export async function findGridLine(db: Queryable, community: number): Promise<GridLine> {
  const [r] = await findEdges(db, community, { sameGrid: false });
  expect(r?.n, 'a grid line with households to move').toBeGreaterThan(0);
  return r;
}

/** A block with households on its grid A's edge with grid B, such that A stays one piece (of more than two blocks) without it. */
export async function findBoundaryBlock(db: Queryable, community: number): Promise<{ block: number; to_grid: number; households: number }> {
  const [r] = await findBoundaryBlocks(db, community);
  expect(r, `a boundary block of community ${community}`).toBeTruthy();
  return r;
}

/**
 * Every such block (and grid B), by block id and grid. The community's id is written into the
 * SQL, not bound: PGlite answers a parameterised query that aggregates with ST_Union and returns
 * many rows with PortalSuspended, and `pg` then re-executes a closed portal and the connection
 * falls out of step ("portal does not exist" for the next query). The overlays are the server's
 * fixed-precision ones (server/src/db/overlay.ts): the plain ones silently cut PGlite's answer
 * short on some nearly touching edges (no row, no error).
 */
export async function findBoundaryBlocks(db: Queryable, community: number): Promise<{ block: number; to_grid: number; households: number }[]> {
  if (!Number.isSafeInteger(community)) throw new Error(`community id ${community} is not an integer`);
  return (await db.query<{ block: number; to_grid: number; households: number }>(`
      SELECT b.id AS block, gb.id AS to_grid, (SELECT count(*) FROM households h WHERE h.block_id = b.id)::int AS households
        FROM blocks b JOIN grids ga ON ga.id = b.grid_id JOIN grids gb ON gb.community_id = ga.community_id AND gb.id <> ga.id
       WHERE b.community_id = ${community}
         AND ST_Length(${intersection('ST_Boundary(b.geom)', 'ST_Boundary(gb.geom)')}) > 0.0003
         AND EXISTS (SELECT 1 FROM households h WHERE h.block_id = b.id)
         AND (SELECT ST_NumGeometries(${unionAgg('o.geom')}) FROM blocks o WHERE o.grid_id = ga.id AND o.id <> b.id) = 1
         AND (SELECT count(*) FROM blocks o WHERE o.grid_id = ga.id) > 2
       ORDER BY b.id, gb.id`)).rows;
}
