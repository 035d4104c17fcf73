// GET /api/basemap: the map's ground when no real basemap is configured: the Qing River and a
// synthetic street network (real Enshi street names on the main roads, invented courses).
// Geometry is EPSG:4326 LineStrings; every feature says synthetic: true.
import { z } from 'zod';
import { noParams } from './query.ts';

export const basemapQuery = noParams;

export const BASEMAP_KINDS = ['river', 'main', 'minor'] as const;
export const basemapProps = z.object({
  kind: z.enum(BASEMAP_KINDS),
  /** Label; null for unnamed minor streets. */
  name: z.string().nullable(),
  synthetic: z.literal(true),
});
export type BasemapFeatureProps = z.infer<typeof basemapProps>;

export interface BasemapCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: 'LineString'; coordinates: number[][] }; properties: BasemapFeatureProps }[];
}
