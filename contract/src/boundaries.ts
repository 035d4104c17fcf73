// Importing a city's own boundaries over HTTP (POST /api/boundaries/import, the administrator):
// the same checks and the same one transaction as `pnpm import`, from uploaded files.
import { z } from 'zod';
import { booleanParam } from './api/query.ts';
import { IMPORT_CRS } from './plans.ts';

/** The three layers, in the order they are read and checked. */
export const BOUNDARY_LAYERS = ['subdistricts', 'communities', 'grids'] as const;
export type BoundaryLayer = (typeof BOUNDARY_LAYERS)[number];

/** Most bytes the import's form may carry: three files, each within a plan file's limit. */
export const BOUNDARY_IMPORT_LIMIT_BYTES = 60 * 1024 * 1024;

/**
 * The form's text fields. Its files: `subdistricts`, `communities` and `grids` (each GeoJSON, a
 * zipped Shapefile or a GeoPackage), or one `file`: a GeoPackage holding the three as tables of
 * those names. A dry run (the default) checks and reports, writing nothing.
 */
export const importBoundariesFields = z.object({
  crs: z.enum(IMPORT_CRS, { message: `坐标系应为 ${IMPORT_CRS.join('、')} 之一 (crs: one of ${IMPORT_CRS.join(', ')})` }).default('auto'),
  dry_run: booleanParam.default(true),
}).strict();

/** What an import did, or (a dry run) would do. */
export const boundaryImportReport = z.object({
  dry_run: z.boolean(),
  /** each layer as read: file, format, table, features, coordinate system (in words) */
  layers: z.array(z.object({ layer: z.enum(BOUNDARY_LAYERS), summary: z.string(), warnings: z.array(z.string()) })),
  before: z.object({ subdistricts: z.number().int(), communities: z.number().int(), grids: z.number().int(), blocks: z.number().int() }),
  after: z.object({ subdistricts: z.number().int(), communities: z.number().int(), grids: z.number().int(), blocks: z.number().int() }),
  households_changed: z.number().int(),
  households_outside: z.number().int(),
});
export type BoundaryImportReport = z.infer<typeof boundaryImportReport>;
