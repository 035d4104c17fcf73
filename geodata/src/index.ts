// @grid-atlas/geodata: the dataset contract, the synthetic Enshi generator and the boundary importer.
export * from './types.ts';
export { generateBoundaries } from './generate/boundaries.ts';
export { generatePopulation } from './generate/population.ts';
export { deriveBlocks, type DerivedBlock, type DerivedBlocks } from './generate/blocks.ts';
export { QING_RIVER_APPROX, QING_RIVER_LABEL } from './generate/river.ts';
export { generateBasemap, type BasemapKind, type BasemapProps } from './generate/street-network.ts';
export { generateFootprints, type BuildingPoint, type FootprintProps } from './generate/footprints.ts';
export { loadEnshiBoundaries, loadCityOutline, loadScaledBoundaries, type CityOutlineProps } from './load.ts';
export { MAX_SCALE, scaleFromEnv, scaleBoundaries, townOf, coreCodeOf } from './generate/scale.ts';
export { polygonProblems, validateBoundaries, type PolygonProblem, type ValidationResult } from './import/validate.ts';

/** Exact totals of the synthetic Enshi dataset. */
export const ENSHI_TOTALS = {
  subdistricts: 5,
  communities: 33,
  grids: 359,
  households: 95402,
  inDifficulty: 5134,
  inServiceMembers: 7289,
  sunkMembers: 14000,
  departments: 24,
} as const;

/**
 * The totals of the synthetic dataset at a scale (GRID_ATLAS_SCALE): the urban core's times the
 * scale, but for the city's own departments (one set for the city).
 */
export function enshiTotals(scale = 1): { -readonly [K in keyof typeof ENSHI_TOTALS]: number } {
  const t: { -readonly [K in keyof typeof ENSHI_TOTALS]: number } = { ...ENSHI_TOTALS };
  for (const k of Object.keys(t) as (keyof typeof ENSHI_TOTALS)[]) if (k !== 'departments') t[k] *= scale;
  return t;
}
