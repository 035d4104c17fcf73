-- 0001: the governance geography Enshi runs on: subdistricts (街道) → communities (社区) → grids (网格).
-- Geometries are EPSG:4326 (CGCS2000 is within a metre of it). Polygon or MultiPolygon, always valid:
-- invalid polygons make GEOS misbehave, so the database refuses them outright.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE subdistricts (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{9}$'),
  name text NOT NULL CHECK (name <> ''),
  synthetic boolean NOT NULL DEFAULT false,
  geom geometry(Geometry, 4326) NOT NULL
    CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom))
);
CREATE INDEX subdistricts_geom_idx ON subdistricts USING gist (geom);

CREATE TABLE communities (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{12}$'),
  name text NOT NULL CHECK (name <> ''),
  full_name text NOT NULL,
  subdistrict_id integer NOT NULL REFERENCES subdistricts (id),
  synthetic boolean NOT NULL DEFAULT false,
  geom geometry(Geometry, 4326) NOT NULL
    CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom))
);
CREATE INDEX communities_subdistrict_idx ON communities (subdistrict_id);
CREATE INDEX communities_geom_idx ON communities USING gist (geom);

CREATE TABLE grids (
  id serial PRIMARY KEY,
  -- the community's 12-digit code followed by the 3-digit grid number
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{15}$'),
  number integer NOT NULL CHECK (number BETWEEN 1 AND 999),
  name text NOT NULL CHECK (name <> ''),
  community_id integer NOT NULL REFERENCES communities (id),
  synthetic boolean NOT NULL DEFAULT false,
  geom geometry(Geometry, 4326) NOT NULL
    CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_IsValid(geom)),
  -- deferred: a re-import may swap numbers between two grids within one transaction
  UNIQUE (community_id, number) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX grids_community_idx ON grids (community_id);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);
