// Blocks and grid plans (网格调整方案): the planner page's calls to server/src/routes/plans.ts,
// through the typed `hc` client: bodies and answers are the contract's types. A plan file goes up
// by XMLHttpRequest, which reports the upload's progress (fetch does not); its answer is the
// contract's ImportFileReport.
import type { ImportCrs, ImportFileReport, ApplyPlansResponse, ApplyResponse, BlockCollection, CreatePlanBody, ImportPlanBody, PlanDetail, PlanSummary, RedrawEdgeBody, RedrawEdgeResponse, RevertEdgeResponse, RevertPreview, RevertResponse, SplitBlocksBody, SplitBlocksResponse, ValidateResponse } from '@grid-atlas/contract';
import { api, q } from './client';
import { readJson, uploadWithProgress } from './http';

export type { BlockCollection, BlockProps } from '@grid-atlas/contract';

const plan = (id: number) => ({ param: { id: String(id) } });

export function fetchBlocks(community: number, signal?: AbortSignal): Promise<BlockCollection> {
  return readJson(api.blocks.$get({ query: { community: String(community) } }, { init: { signal } }));
}

/** The plans of one community, or of every community in the caller's area (newest first). */
export async function listPlans(community?: number): Promise<PlanSummary[]> {
  return (await readJson(api.plans.$get({ query: q({ community }) }))).plans;
}

export function getPlan(id: number): Promise<PlanDetail> {
  return readJson(api.plans[':id'].$get(plan(id)));
}

export function createPlan(body: CreatePlanBody): Promise<PlanSummary> {
  return readJson(api.plans.$post({ json: body }));
}

export function validatePlan(id: number): Promise<ValidateResponse> {
  return readJson(api.plans[':id'].validate.$post(plan(id), { init: { body: '{}' } }));
}

export function applyPlan(id: number): Promise<ApplyResponse> {
  return readJson(api.plans[':id'].apply.$post(plan(id), { init: { body: '{}' } }));
}

/** Drafts of different communities applied together, all or none (planner). */
export function applyPlans(ids: number[]): Promise<ApplyPlansResponse> {
  return readJson(api.plans.apply.$post({ json: { plans: ids } }));
}

/** What reverting would do (the revert itself, rolled back on the server): for the confirmation. */
export function previewRevert(id: number): Promise<RevertPreview> {
  return readJson(api.plans[':id']['revert-preview'].$get({ ...plan(id), query: {} }));
}

export function revertPlan(id: number): Promise<RevertResponse> {
  return readJson(api.plans[':id'].revert.$post(plan(id), { init: { body: '{}' } }));
}

/** A GeoJSON file (RFC 7946, one feature per grid) made into a draft; see the README's plans section. */
export function importPlan(body: ImportPlanBody): Promise<PlanSummary> {
  return readJson(api.plans.import.$post({ json: body }));
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
  return readJson(api.blocks.edge.$post({ json: body }));
}

/** Undoes edge redraw `id` exactly (planner); 409 when a later redraw, a plan or a cut came after it. */
export function revertEdge(id: number): Promise<RevertEdgeResponse> {
  return readJson(api.blocks.edge[':id'].revert.$post(plan(id), { init: { body: '{}' } }));
}

/** Cuts the blocks a drawn line crosses (planner); 400 with `errors` for slivers, 409 when the layout changed. */
export function splitBlocks(body: SplitBlocksBody): Promise<SplitBlocksResponse> {
  return readJson(api.blocks.split.$post({ json: body }));
}
