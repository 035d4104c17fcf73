-- 0038: a grid's polygon is the dissolve (ST_Union) of its blocks. Where a cut or an edge redraw
-- put a vertex on one block's edge that its neighbour's edge does not hold, the dissolve can keep
-- a hole of a few square millimetres between them (a sliver no block covers), often touching the
-- shell at a vertex. PostGIS calls that valid; a GIS reading the export (and our own import,
-- whose ring check refuses a ring that touches another) does not, and it is no hole a person drew.
-- without_specks drops the holes under one square metre (geodesic area, so the same in any
-- latitude); a real courtyard or enclave is far larger. Plan apply and edge redraw store grids
-- through it, and the grids already stored with such specks are cleaned here.
CREATE FUNCTION without_specks(g geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN NOT EXISTS (
      SELECT 1 FROM ST_Dump(g) d, generate_series(1, ST_NumInteriorRings(d.geom)) n
       WHERE ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n))::geography) < 1)
    THEN g
    ELSE (
      SELECT CASE WHEN GeometryType(g) = 'MULTIPOLYGON' THEN ST_Multi(c) ELSE c END
        FROM (SELECT ST_SetSRID(ST_CollectionHomogenize(ST_Collect(array_agg(p ORDER BY path))), ST_SRID(g)) AS c
                FROM (SELECT d.path, ST_MakePolygon(ST_ExteriorRing(d.geom), ARRAY(
                        SELECT ST_InteriorRingN(d.geom, n) FROM generate_series(1, ST_NumInteriorRings(d.geom)) n
                         WHERE ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n))::geography) >= 1
                         ORDER BY n)) AS p
                        FROM ST_Dump(g) d) parts) whole)
  END
$$;

-- (dropping a hole drops its points: fewer points is the sign of a speck)
UPDATE grids SET geom = without_specks(geom) WHERE ST_NPoints(without_specks(geom)) < ST_NPoints(geom);
