// Client-side geometry helpers, run once per data load (never per frame).
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { centerOfMass } from '@turf/center-of-mass';
import { pointOnFeature } from '@turf/point-on-feature';
import { rewind } from '@turf/rewind';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

/** Web-Mercator metres per CSS pixel at zoom 0 on the equator, for MapLibre's 512 px tiles. */
const METRES_PER_PX_Z0 = 40075016.686 / 512;

/**
 * One label point per polygon: the centre of mass when it falls inside the shape (it looks
 * balanced), otherwise turf's pointOnFeature (always inside, which matters for crescent shapes).
 */
export function labelPoints<P extends object>(
  fc: FeatureCollection<Polygon | MultiPolygon, P>,
): FeatureCollection<Point, P> {
  const features: Feature<Point, P>[] = [];
  for (const f of fc.features) {
    if (!f.geometry) continue;
    let pt = centerOfMass(f);
    if (!booleanPointInPolygon(pt, f)) pt = pointOnFeature(f);
    features.push({ type: 'Feature', id: f.id, geometry: pt.geometry, properties: f.properties });
  }
  return { type: 'FeatureCollection', features };
}

/** Median of sqrt(area) in metres: a typical "diameter" of the features of one level. */
export function typicalSize(fc: FeatureCollection<Polygon | MultiPolygon>): number {
  const sizes = fc.features.filter((f) => f.geometry).map((f) => Math.sqrt(area(f))).sort((a, b) => a - b);
  return sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
}

/**
 * The zoom at which a feature `sizeMetres` across spans `px` CSS pixels at latitude `lat`.
 * Label and layer visibility derive from this, so they follow the data instead of magic zooms:
 * a label appears when its polygon is big enough on screen to hold it.
 */
export function zoomForSize(sizeMetres: number, px: number, lat: number): number {
  if (sizeMetres <= 0) return 0;
  return Math.log2((METRES_PER_PX_Z0 * Math.cos((lat * Math.PI) / 180) * px) / sizeMetres);
}

/** The world as Web Mercator draws it (MapLibre stops at ±85.05° latitude). */
const WORLD_RING: Position[] = [[-180, -85.06], [180, -85.06], [180, 85.06], [-180, 85.06], [-180, -85.06]];

/**
 * Everything outside the given areas: the world with each area's outer ring as a hole, plus each
 * area's own holes (which are outside too) as islands. Rings are rewound to RFC 7946 order (outer
 * counter-clockwise, holes clockwise): MapLibre tells holes from new polygons by their winding.
 */
export function worldOutside(fc: FeatureCollection<Polygon | MultiPolygon>): FeatureCollection<MultiPolygon> {
  const polygons = fc.features.flatMap((f) => (!f.geometry ? [] : f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  const outside: Position[][][] = [[WORLD_RING, ...polygons.map((rings) => rings[0])], ...polygons.flatMap((rings) => rings.slice(1).map((hole) => [hole]))];
  const feature: Feature<MultiPolygon> = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: outside } };
  return { type: 'FeatureCollection', features: [rewind(feature) as Feature<MultiPolygon>] };
}
