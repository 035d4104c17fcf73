// Replacing the city's boundaries from the administrator's files (POST /api/boundaries/import).
import type { BoundaryImportReport, BoundaryLayer, ImportCrs } from '@grid-atlas/contract';
import { uploadWithProgress } from './http';

/** Either a file per layer, or one GeoPackage holding the three layers as tables. */
export type BoundaryFiles = { layers: Record<BoundaryLayer, File> } | { gpkg: File };

/**
 * Sends the boundary files: a dry run (the default on the server too) answers the report and
 * writes nothing; `dryRun` false replaces the city's boundaries (201). A refusal is an ApiError
 * whose body holds `error` and, for boundaries that do not fit together, `errors`.
 */
export async function importBoundaryFiles(fields: { crs: ImportCrs; dryRun: boolean }, files: BoundaryFiles,
  onProgress: (sent: number) => void): Promise<BoundaryImportReport> {
  const form = new FormData();
  form.append('crs', fields.crs);
  form.append('dry_run', String(fields.dryRun));
  if ('gpkg' in files) form.append('file', files.gpkg);
  else for (const [layer, file] of Object.entries(files.layers)) form.append(layer, file);
  return (await uploadWithProgress<BoundaryImportReport>('/api/boundaries/import', form, onProgress)).body;
}
