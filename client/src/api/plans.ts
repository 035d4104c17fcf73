// Blocks and grid plans (网格调整方案): the planner page's calls to server/src/routes/plans.ts.
// Bodies are the contract's zod types; responses are the contract's plan shapes.
import type { ImportCrs, ImportFileReport, ApplyPlansResponse, ApplyResponse, BlockCollection, CreatePlanBody, ImportPlanBody, PlanDetail, PlanSummary, RedrawEdgeBody, RedrawEdgeResponse, RevertPreview, RevertResponse, SplitBlocksBody, SplitBlocksResponse, ValidateResponse } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson, uploadWithProgress } from './http';

const call = fetchWith();

const json = readUntypedJson;

export type { BlockCollection, BlockProps } from '@grid-atlas/contract';

export function fetchBlocks(community: number, signal?: AbortSignal): Promise<BlockCollection> {
  return json(call(`/api/blocks?community=${community}`, { signal }));
}

/** The plans of one community, or of every community in the caller's area (newest first). */
export async function listPlans(community?: number): Promise<PlanSummary[]> {
  return (await json<{ plans: PlanSummary[] }>(call(community === undefined ? '/api/plans' : `/api/plans?community=${community}`))).plans;
}

export function getPlan(id: number): Promise<PlanDetail> {
  return json(call(`/api/plans/${id}`));
}

export function createPlan(body: CreatePlanBody): Promise<PlanSummary> {
  return json(call('/api/plans', { method: 'POST', body: JSON.stringify(body) }));
}

export function validatePlan(id: number): Promise<ValidateResponse> {
  return json(call(`/api/plans/${id}/validate`, { method: 'POST', body: '{}' }));
}

export function applyPlan(id: number): Promise<ApplyResponse> {
  return json(call(`/api/plans/${id}/apply`, { method: 'POST', body: '{}' }));
}

/** Drafts of different communities applied together, all or none (planner). */
export function applyPlans(ids: number[]): Promise<ApplyPlansResponse> {
  return json(call('/api/plans/apply', { method: 'POST', body: JSON.stringify({ plans: ids }) }));
}

/** What reverting would do (the revert itself, rolled back on the server): for the confirmation. */
export function previewRevert(id: number): Promise<RevertPreview> {
  return json(call(`/api/plans/${id}/revert-preview`));
}

export function revertPlan(id: number): Promise<RevertResponse> {
  return json(call(`/api/plans/${id}/revert`, { method: 'POST', body: '{}' }));
}

/** A GeoJSON file (RFC 7946, one feature per grid) made into a draft; see the README's plans section. */
export function importPlan(body: ImportPlanBody): Promise<PlanSummary> {
  return json(call('/api/plans/import', { method: 'POST', body: JSON.stringify(body) }));
}

/** Where the browser downloads a plan as GeoJSON (the route sends it as an attachment). */
export const planGeojsonUrl = (id: number) => `/api/plans/${id}/geojson`;
/** The same grids as a GeoPackage. */
export const planGpkgUrl = (id: number) => `/api/plans/${id}/gpkg`;

/**
 * A plan file (GeoJSON, zipped Shapefile, GeoPackage) sent for import: a dry run answers the
 * report and saves nothing; `dryRun` false saves the draft. `onProgress` follows the upload.
 */
export async function importPlanFile(fields: { community: number; title?: string; crs: ImportCrs; dryRun: boolean }, file: File,
  onProgress: (sent: number) => void): Promise<ImportFileReport> {
  const form = new FormData();
  form.append('community', String(fields.community));
  if (fields.title) form.append('title', fields.title);
  form.append('crs', fields.crs);
  form.append('dry_run', String(fields.dryRun));
  form.append('file', file);
  return (await uploadWithProgress<ImportFileReport>('/api/plans/import-file', form, onProgress)).body;
}

/** Redraws the shared edge of two neighbouring blocks (planner); 400 with `errors` for slivers or a broken grid, 409 when the layout changed. */
export function redrawEdge(body: RedrawEdgeBody): Promise<RedrawEdgeResponse> {
  return json(call('/api/blocks/edge', { method: 'POST', body: JSON.stringify(body) }));
}

/** Cuts the blocks a drawn line crosses (planner); 400 with `errors` for slivers, 409 when the layout changed. */
export function splitBlocks(body: SplitBlocksBody): Promise<SplitBlocksResponse> {
  return json(call('/api/blocks/split', { method: 'POST', body: JSON.stringify(body) }));
}
