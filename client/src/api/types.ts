// Types of the HTTP API (server/). Geometry is EPSG:4326; feature.id is the numeric database id.
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type AreaGeometry = Polygon | MultiPolygon;

export interface HealthCounts {
  subdistricts: number;
  communities: number;
  grids: number;
  households: number;
  cadres: number;
}

export interface Health {
  db: 'embedded' | 'postgres';
  postgis: string;
  counts: HealthCounts;
}

/** Statistics every administrative level carries. */
export interface AreaStats {
  households: number;
  in_difficulty: number;
  cadres: number;
  area_km2: number;
}

export interface SubdistrictProps extends AreaStats {
  id: number;
  code: string;
  name: string;
  communities: number;
  grids: number;
}

export interface CommunityProps extends AreaStats {
  id: number;
  code: string;
  name: string;
  subdistrict_id: number;
  subdistrict_name: string;
  grids: number;
}

export interface GridProps extends AreaStats {
  id: number;
  code: string;
  number: number;
  name: string;
  community_id: number;
  community_name: string;
  subdistrict_id: number;
  subdistrict_name: string;
}

export type SubdistrictFeature = Feature<AreaGeometry, SubdistrictProps>;
export type CommunityFeature = Feature<AreaGeometry, CommunityProps>;
export type GridFeature = Feature<AreaGeometry, GridProps>;

export type SubdistrictCollection = FeatureCollection<AreaGeometry, SubdistrictProps>;
export type CommunityCollection = FeatureCollection<AreaGeometry, CommunityProps>;
export type GridCollection = FeatureCollection<AreaGeometry, GridProps>;
/** The real city outline; its properties are source metadata we do not rely on. */
export type CityOutline = FeatureCollection<AreaGeometry, Record<string, unknown>>;
