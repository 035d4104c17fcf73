-- 0042: derive_blocks() cuts each Voronoi cell to its grid in GEOS's fixed precision (a grid of
-- 1e-9 degrees, ~0.1 mm). The floating-point overlay can fail on nearly coincident edges, and
-- GEOS then retries by throwing and catching an exception; inside the embedded database
-- (PostGIS compiled to WebAssembly) that exception ends the statement early without an error,
-- so the INSERT below could write no blocks for a community it had just emptied, and the
-- boundary import would go on. The fixed-precision overlay takes no such path on either
-- backend; the server's own overlays use the same grid (server/src/db/overlay.ts).
CREATE OR REPLACE FUNCTION derive_blocks(p_community integer) RETURNS integer
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  n integer;
  community_code text;
BEGIN
  SELECT code INTO STRICT community_code FROM communities WHERE id = p_community;
  UPDATE households h SET block_id = NULL
    FROM blocks b WHERE b.id = h.block_id AND b.community_id = p_community;
  DELETE FROM blocks WHERE community_id = p_community;

  -- MATERIALIZED: inlined, the planner re-runs the Voronoi step per row (seconds per community)
  WITH seeds AS MATERIALIZED (
    SELECT h.grid_id, ST_Centroid(ST_Collect(h.geom)) AS pt
      FROM households h JOIN grids g ON g.id = h.grid_id
     WHERE g.community_id = p_community
     GROUP BY h.grid_id, h.building
  ), seed_sets AS MATERIALIZED (
    SELECT grid_id, ST_Collect(pt) AS pts, count(*) AS n FROM seeds GROUP BY grid_id
  ), cells AS MATERIALIZED (
    -- the diagram is extended to the grid's envelope, so its cells cover the whole grid
    SELECT s.grid_id, d.geom AS cell
      FROM seed_sets s JOIN grids g ON g.id = s.grid_id
      CROSS JOIN LATERAL ST_Dump(ST_VoronoiPolygons(s.pts, 0, ST_Envelope(g.geom))) d
     WHERE s.n >= 2
  ), parts AS MATERIALIZED (
    SELECT c.grid_id, d.geom
      FROM cells c JOIN grids g ON g.id = c.grid_id
      CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(ST_Intersection(c.cell, g.geom, 1e-9), 3)) d
    UNION ALL
    SELECT g.id, d.geom
      FROM grids g CROSS JOIN LATERAL ST_Dump(g.geom) d
     WHERE g.community_id = p_community
       AND NOT EXISTS (SELECT 1 FROM seed_sets s WHERE s.grid_id = g.id AND s.n >= 2)
  ), numbered AS (
    SELECT p.grid_id, p.geom,
           row_number() OVER (ORDER BY g.number, ST_Y(ST_PointOnSurface(p.geom)) DESC, ST_X(ST_PointOnSurface(p.geom)),
                                       ST_AsBinary(p.geom)) AS k
      FROM parts p JOIN grids g ON g.id = p.grid_id
     WHERE ST_Area(p.geom) > 0
  )
  INSERT INTO blocks (code, community_id, grid_id, geom)
  SELECT community_code || 'K' || lpad(k::text, 4, '0'), p_community, grid_id, geom FROM numbered;
  GET DIAGNOSTICS n = ROW_COUNT;

  -- One write per household: the block that contains it (ties: the lowest id), else (only
  -- rounding can leave a point off every block) the nearest block of its grid; COALESCE runs
  -- the distance search only for those.
  UPDATE households h
     SET block_id = coalesce(
           (SELECT b.id FROM blocks b
             WHERE b.grid_id = h.grid_id AND ST_Intersects(b.geom, h.geom) ORDER BY b.id LIMIT 1),
           (SELECT b.id FROM blocks b WHERE b.grid_id = h.grid_id
             ORDER BY ST_Distance(b.geom, h.geom), b.id LIMIT 1))
    FROM grids g
   WHERE g.id = h.grid_id AND g.community_id = p_community;
  RETURN n;
END
$$;
