// Health, and the subdistricts, communities and grids as GeoJSON with per-feature statistics.
// Geometry is EPSG:4326; feature.id is the numeric database id.
import { z } from 'zod';
import { idParam, noParams } from './query.ts';

export const healthResponse = z.object({
  db: z.enum(['embedded', 'postgres']),
  postgis: z.string(),
  /** 'enshi-synthetic' for the generated dataset, 'imported' after a city's own boundaries. */
  dataset: z.string().nullable(),
  counts: z.object({
    /** cadres: 联系干部, the party members linked to a household (the sum of the subdistricts' figures). */
    subdistricts: z.number(), communities: z.number(), grids: z.number(), households: z.number(), cadres: z.number(),
  }),
  /**
   * The embedded demo's 90 days of simulated case and needs history: 'filling' while the first
   * start writes it (the server answers meanwhile), then 'ready'. Absent where there is none to write.
   */
  history: z.enum(['filling', 'ready']).optional(),
});
export type HistoryState = NonNullable<Health['history']>;
export type Health = z.infer<typeof healthResponse>;
export type HealthCounts = Health['counts'];

export const subdistrictsQuery = noParams;
export const communitiesQuery = z.object({ subdistrict: idParam.optional() }).strict();
export const gridsQuery = z.object({ subdistrict: idParam.optional(), community: idParam.optional() }).strict();

/** Statistics every administrative level carries. */
const areaStats = {
  households: z.number(),
  in_difficulty: z.number(),
  /** 联系干部: the party members linked to a household, each counted in the one grid where most of
   *  the households they contact live, so a level's figure is the sum of its children's. */
  cadres: z.number(),
  area_km2: z.number(),
  /** true for the generated Enshi polygons (the names and codes are real). */
  synthetic: z.boolean(),
};

export const subdistrictProps = z.object({
  id: z.number(), code: z.string(), name: z.string(), communities: z.number(), grids: z.number(), ...areaStats,
});
export const communityProps = z.object({
  id: z.number(), code: z.string(), name: z.string(), full_name: z.string(),
  subdistrict_id: z.number(), subdistrict_name: z.string(), grids: z.number(), ...areaStats,
});
export const gridProps = z.object({
  id: z.number(), code: z.string(), number: z.number(), name: z.string(),
  community_id: z.number(), community_name: z.string(), subdistrict_id: z.number(), subdistrict_name: z.string(),
  ...areaStats,
});
export type SubdistrictProps = z.infer<typeof subdistrictProps>;
export type CommunityProps = z.infer<typeof communityProps>;
export type GridProps = z.infer<typeof gridProps>;

// GeoJSON types, written out so the contract needs no @types/geojson (RFC 7946 subset we send).
export type Position = number[];
export interface Polygon { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygon { type: 'MultiPolygon'; coordinates: Position[][][] }
export type AreaGeometry = Polygon | MultiPolygon;
export interface AreaFeature<P> { type: 'Feature'; id: number; geometry: AreaGeometry; properties: P }
export interface AreaCollection<P> { type: 'FeatureCollection'; features: AreaFeature<P>[] }

export type SubdistrictFeature = AreaFeature<SubdistrictProps>;
export type CommunityFeature = AreaFeature<CommunityProps>;
export type GridFeature = AreaFeature<GridProps>;
export type SubdistrictCollection = AreaCollection<SubdistrictProps>;
export type CommunityCollection = AreaCollection<CommunityProps>;
export type GridCollection = AreaCollection<GridProps>;
const position = z.array(z.number());
/** A polygon or multipolygon (RFC 7946), as the area routes and the city outline carry them. */
export const areaGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);

/** GET /api/city-outline: the real city outline; its properties are source metadata nobody relies on. */
export const cityOutline = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), geometry: areaGeometry, properties: z.record(z.string(), z.unknown()) })),
});
export type CityOutline = z.infer<typeof cityOutline>;
