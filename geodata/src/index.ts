// @grid-atlas/geodata: the dataset contract, the synthetic Enshi generator and the boundary importer.
export * from './types.ts';
export { generateBoundaries } from './generate/boundaries.ts';
export { generatePopulation } from './generate/population.ts';
export { deriveBlocks, type DerivedBlock, type DerivedBlocks } from './generate/blocks.ts';
export { QING_RIVER_APPROX, QING_RIVER_LABEL } from './generate/river.ts';
export { generateBasemap, type BasemapKind, type BasemapProps } from './generate/street-network.ts';
export { loadEnshiBoundaries, loadCityOutline, type CityOutlineProps } from './load.ts';
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
