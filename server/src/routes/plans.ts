// Blocks and grid plans (网格调整方案): a planner paints a community's blocks into grids as a
// draft (plans/drafts.ts, or imported: plans/import.ts), validates it, applies it (one transaction, optimistic check of the community's layout
// version) and may revert the latest apply; a planner also cuts blocks with a drawn line
// (plans/split.ts) and redraws the shared edge of two blocks (plans/edge.ts). Subdistrict admins and community secretaries view and
// draft plans for their own area; city leaders view; everyone else gets 403. Scope is part of
// every query (ScopeParams, auth/scope.ts), so another area's community or plan is a 404.
import { Hono, type Context, type TypedResponse } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  applyPlansBody, createPlanBody, noParams, importFileFields, importPlanBody, redrawEdgeBody, splitBlocksBody, type ApplyPlansResponse, type ApplyResponse,
  type BlockCollection, type ImportFileInfo, type ImportFileReport, type ImportProblem, type PlanDetail, type PlanExport, type PlanList, type PlanSummary, type RedrawEdgeResponse,
  type RevertEdgeResponse, type RevertPreview, type RevertResponse, type SplitBlocksResponse, type ValidateResponse,
} from '@grid-atlas/contract';
import { requireRole } from '../auth/authorize.ts';
import type { Db } from '../db/index.ts';
import { encode, sendJson, VersionedCache } from '../http/cached-body.ts';
import { clientIp } from '../http/client-ip.ts';
import type { AppEnv } from '../http/env.ts';
import { readForm } from '../http/form.ts';
import { badRequest, describeZodError } from '../http/errors.ts';
import { idParam, rolesThat } from '@grid-atlas/contract';
import { jsonBody, validQuery } from '../http/validate.ts';
import { GeoFileError, readGeoFile } from '../geofile/read.ts';
import { writeGpkg } from '../geofile/gpkg.ts';
import { applyPlan, applyPlans, PlanInvalid, previewRevert, revertPlan, type Actor } from '../plans/apply.ts';
import { createDraft, type Assignment } from '../plans/drafts.ts';
import { ImportInvalid, importDraft, importFileDraft, planFeatures } from '../plans/import.ts';
import { visibleCommunity, visibleEdgeRedraw, visiblePlan, visiblePlans } from '../auth/scope.ts';
import { splitBlocks, SplitInvalid } from '../plans/split.ts';
import { EdgeInvalid, redrawEdge } from '../plans/edge.ts';
import { revertEdge } from '../plans/edge-revert.ts';
import { validatePlan } from '../plans/validate.ts';
import { blocksGeoJson, listPlans, loadSummary, planDetail, planGeoJson } from '../plans/views.ts';

const GEOJSON = 'application/geo+json; charset=utf-8';
// Who reads, drafts and applies plans: the contract's role rules (the planner view reads the same).
const VIEW = rolesThat('view_plans');
const DRAFT = rolesThat('draft_plans');
const APPLY = rolesThat('apply_plans');

// The 1 MB body limit of the two draft routes is set with every other route's, in http/body-limit.ts.

const planIdParam = z.object({ id: idParam }).strict();
const planId = (c: Context) => {
  const r = planIdParam.safeParse(c.req.param());
  if (!r.success) throw badRequest(describeZodError(r.error));
  return r.data.id;
};

const actor = (c: Context<AppEnv>): Actor => ({ userId: c.get('user').id, actor: c.get('user').username, ip: clientIp(c, false) });

/** The multipart form of an import: its text fields (validated) and its one file. */
async function importForm(c: Context): Promise<{ fields: z.infer<typeof importFileFields>; file: File }> {
  const form = await readForm(c);
  const { file, ...rest } = form;
  if (file === undefined) throw badRequest('请选择要导入的文件 (the form has no file field)');
  if (Array.isArray(file)) throw badRequest('每次只能导入一个文件 (send one file)');
  if (typeof file === 'string') throw badRequest('file 字段应为上传的文件 (the file field must be a file)');
  for (const [k, v] of Object.entries(rest)) {
    if (typeof v !== 'string') throw badRequest(`字段 ${k} 应为文本 (field ${k} must be a single text value)`);
  }
  const parsed = importFileFields.safeParse(rest);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error));
  return { fields: parsed.data, file };
}

/** The GeoPackage export's attribute columns, as /geojson names them. */
const GPKG_COLUMNS = [
  { name: 'key', type: 'TEXT' }, { name: 'grid_id', type: 'INTEGER' }, { name: 'number', type: 'INTEGER' }, { name: 'code', type: 'TEXT' },
  { name: 'name', type: 'TEXT' }, { name: 'community_id', type: 'INTEGER' }, { name: 'blocks', type: 'INTEGER' }, { name: 'households', type: 'INTEGER' },
  { name: 'in_difficulty', type: 'INTEGER' }, { name: 'area_km2', type: 'REAL' },
] as const;

export function planRoutes(db: Db) {
  const cache = new VersionedCache();
  return new Hono<AppEnv>()
    .get('/blocks', requireRole(...VIEW), validQuery(z.object({ community: idParam }).strict()), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      await visibleCommunity(db, q.community, u);
      return sendJson<BlockCollection>(c, await cache.get(`blocks:${q.community}`, c.get('dataVersion'), async () =>
        encode(await blocksGeoJson(db, q.community), GEOJSON)));
    })
    .get('/plans', requireRole(...VIEW), validQuery(z.object({ community: idParam.optional() }).strict()), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      if (q.community !== undefined) await visibleCommunity(db, q.community, u);
      return c.json<PlanList>({ plans: await listPlans(db, q.community ?? null, u) });
    })
    .post('/plans', requireRole(...DRAFT), jsonBody(createPlanBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      const community = await visibleCommunity(db, body.community, u);
      const list: Assignment[] = body.assignments.map((a) => typeof a.grid === 'number'
        ? { block: a.block, grid_id: a.grid, new_number: null }
        : { block: a.block, grid_id: null, new_number: Number(a.grid.slice(4)) });
      const id = await db.withTransaction((client) => createDraft(client, community, body.title ?? '', list, actor(c)));
      return c.json<PlanSummary, 201>(await loadSummary(db, id), 201);
    })
    .post('/plans/import', requireRole(...DRAFT), jsonBody(importPlanBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      const community = await visibleCommunity(db, body.community, u);
      try {
        return c.json<PlanSummary, 201>(await importDraft(db, community, body, actor(c)), 201);
      } catch (err) {
        if (err instanceof ImportInvalid) return c.json({ error: err.message, errors: err.errors }, 400);
        throw err;
      }
    })
    // A file (GeoJSON, zipped Shapefile, GeoPackage) → a draft: read and reprojected to WGS84,
    // then the JSON import's checks and the draft, in one transaction; a dry run reports what
    // the draft would change and rolls it back.
    .post('/plans/import-file', requireRole(...DRAFT), async (c) => {
      const u = c.get('user');
      const { fields, file } = await importForm(c);
      const community = await visibleCommunity(db, fields.community, u);
      let read;
      try {
        read = await readGeoFile(new Uint8Array(await file.arrayBuffer()), file.name, fields.crs);
      } catch (err) {
        if (err instanceof GeoFileError) throw badRequest(err.message);
        throw err;
      }
      const info: ImportFileInfo = { name: file.name, format: read.format, bytes: file.size, layer: read.layer, features: read.features.length, crs: read.crs, warnings: read.warnings };
      const empty = { grids: [], removed_grids: [], blocks_moving: 0, households_moving: 0, plan: null };
      const refuse = (errors: ImportProblem[]) => {
        const report: ImportFileReport = { dry_run: fields.dry_run, ok: false, file: info, errors, ...empty };
        // a dry run reports the problems; saving a file that has them is a 400 with the same report
        return fields.dry_run ? c.json(report, 200) : c.json({ error: errors[0].message + (errors.length > 1 ? `；另有 ${errors.length - 1} 处 (and ${errors.length - 1} more)` : ''), ...report }, 400);
      };
      const { features, errors } = planFeatures(read.features);
      if (errors.length) return refuse(errors);
      try {
        const report = await importFileDraft(db, community, { name: file.name, info, features }, fields.title, fields.dry_run, actor(c));
        // a dry run's report, its draft rolled back
        return fields.dry_run ? c.json(report, 200) : c.json(report, 201);
      } catch (err) {
        if (err instanceof ImportInvalid) return refuse(err.errors);
        // createDraft's refusals (a new grid's number taken by an existing grid, say)
        if (err instanceof HTTPException && err.status === 400) return refuse([{ code: 'invalid_plan', message: err.message }]);
        throw err;
      }
    })
    .get('/plans/:id', requireRole(...VIEW), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      return c.json<PlanDetail>(await planDetail(db, plan.id));
    })
    .get('/plans/:id/geojson', requireRole(...VIEW), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const body = await planGeoJson(db, plan.id);
      c.header('Content-Disposition', `attachment; filename="plan-${plan.id}.geojson"`);
      c.header('Content-Type', GEOJSON);
      // planGeoJson writes the contract's PlanExport
      const res: Response = c.body(body);
      return res as Response & TypedResponse<PlanExport, 200, 'json'>;
    })
    // The same grids as /geojson, as a GeoPackage (one MultiPolygon table in EPSG:4326) for QGIS and ArcGIS.
    .get('/plans/:id/gpkg', requireRole(...VIEW), validQuery(noParams), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const fc = JSON.parse(await planGeoJson(db, plan.id));
      const bytes = await writeGpkg('grids', [...GPKG_COLUMNS], fc.features,
        `${fc.plan.community_name} · ${fc.plan.title} (plan ${plan.id}, ${fc.plan.status})`);
      c.header('Content-Disposition', `attachment; filename="plan-${plan.id}.gpkg"`);
      c.header('Content-Type', 'application/geopackage+sqlite3');
      return c.body(bytes as Uint8Array<ArrayBuffer>);
    })
    .post('/plans/:id/validate', requireRole(...VIEW), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      const errors = await db.withTransaction(async (client) => {
        return validatePlan(client, plan.id);
      });
      return c.json<ValidateResponse>({ ok: errors.length === 0, errors });
    })
    .post('/plans/apply', requireRole(...APPLY), jsonBody(applyPlansBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      await visiblePlans(db, body.plans, u);
      try {
        return c.json<ApplyPlansResponse>({ applied: await db.withTransaction((client) => applyPlans(client, body.plans, actor(c))) });
      } catch (err) {
        if (err instanceof PlanInvalid) return c.json({ error: err.message, errors: err.errors }, 422);
        throw err;
      }
    })
    .post('/plans/:id/apply', requireRole(...APPLY), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      try {
        return c.json<ApplyResponse>(await db.withTransaction((client) => applyPlan(client, plan.id, actor(c))));
      } catch (err) {
        if (err instanceof PlanInvalid) return c.json({ error: err.message, errors: err.errors }, 422);
        throw err;
      }
    })
    .post('/blocks/split', requireRole(...APPLY), jsonBody(splitBlocksBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      await visibleCommunity(db, body.community, u);
      try {
        return c.json<SplitBlocksResponse>(await db.withTransaction((client) => splitBlocks(client, body, actor(c))));
      } catch (err) {
        if (err instanceof SplitInvalid) return c.json({ error: err.message, errors: err.errors }, 400);
        throw err;
      }
    })
    .post('/blocks/edge', requireRole(...APPLY), jsonBody(redrawEdgeBody), async (c) => {
      const u = c.get('user');
      const body = c.req.valid('json');
      await visibleCommunity(db, body.community, u);
      try {
        return c.json<RedrawEdgeResponse>(await db.withTransaction((client) => redrawEdge(client, body, actor(c))));
      } catch (err) {
        if (err instanceof SplitInvalid || err instanceof EdgeInvalid) return c.json({ error: err.message, errors: err.errors }, 400);
        throw err;
      }
    })
    // Undoing an edge redraw (plans/edge-revert.ts): exact, while the layout is still the one it left.
    .post('/blocks/edge/:id/revert', requireRole(...APPLY), async (c) => {
      const u = c.get('user');
      const redraw = await visibleEdgeRedraw(db, planId(c), u);
      return c.json<RevertEdgeResponse>(await db.withTransaction((client) => revertEdge(client, redraw.id, actor(c))));
    })
    // What the revert would do, for the confirmation (plans/apply.ts previewRevert: the revert
    // itself, rolled back); a revert that would be refused is the same 409 here.
    .get('/plans/:id/revert-preview', requireRole(...APPLY), validQuery(noParams), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      return c.json<RevertPreview>(await db.withTransaction((client) => previewRevert(client, plan.id, actor(c))));
    })
    .post('/plans/:id/revert', requireRole(...APPLY), async (c) => {
      const u = c.get('user');
      const plan = await visiblePlan(db, planId(c), u);
      return c.json<RevertResponse>(await db.withTransaction((client) => revertPlan(client, plan.id, actor(c))));
    });
}
