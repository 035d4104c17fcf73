// Grid plans (网格调整方案): the bodies and responses of /api/blocks and /api/plans*.
// A plan assigns every block of one community to a grid: an existing grid id, or "new:N" for a
// new grid numbered N. Grids the plan assigns no block to are removed when it is applied.
import { z } from 'zod';
import { booleanParam, idNumber, idParam, MAX_ID } from './api/query.ts';

const id = idNumber;

/** An existing grid's id, or `new:N` for a new grid with number N (1–999). */
export const gridKey = z.union([
  id,
  z.string().regex(/^new:([1-9][0-9]{0,2})$/, { message: '新网格写作 new:编号 (a new grid is written new:N, N 1–999)' }),
]);
export type GridKey = z.infer<typeof gridKey>;

export const planAssignment = z.object({ block: id, grid: gridKey }).strict();
export type PlanAssignment = z.infer<typeof planAssignment>;

/** Most communities have a few hundred blocks; the cap only stops absurd bodies early. */
export const MAX_PLAN_ASSIGNMENTS = 20_000;
/** Request bodies of the plan routes may be this large (~2,000 assignments fit many times over). */
export const PLAN_BODY_LIMIT_BYTES = 1024 * 1024;

export const createPlanBody = z.object({
  community: id,
  title: z.string().trim().max(200).optional(),
  assignments: z.array(planAssignment).min(1).max(MAX_PLAN_ASSIGNMENTS),
}).strict();
export type CreatePlanBody = z.infer<typeof createPlanBody>;

export const PLAN_STATUSES = ['draft', 'applied', 'reverted', 'superseded'] as const;
export const planStatus = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof planStatus>;

/** RFC 7946 geometry as the server returns it (coordinates are not re-validated on the way out). */
export const geometry = z.object({ type: z.string(), coordinates: z.unknown().optional(), geometries: z.unknown().optional() });

export const PLAN_ERROR_CODES = [
  'invalid_block', // a block's polygon is not valid
  'block_outside', // a block extends outside its community
  'block_overlap', // two blocks overlap
  'block_gap', // the blocks leave part of the community uncovered
  'blocks_changed', // the community's blocks are no longer the ones the plan assigns
  'multi_part', // a grid's blocks do not form one connected polygon
  'outside', // a grid extends outside its community
  'overlap', // two grids overlap
  'gap', // part of the community lies in no grid
  'too_small', // a grid's area is below the minimum
  'empty_grid', // a grid holds no household
  'number_taken', // new:N names a number an existing grid keeps
  'unknown_grid', // an existing grid id that is not the community's
  'invalid_geometry', // an imported polygon is not valid (self-intersection, …)
  'sliver', // a block split would leave a part below the minimum area
] as const;
export const planErrorCode = z.enum(PLAN_ERROR_CODES);
export type PlanErrorCode = z.infer<typeof planErrorCode>;

/** One problem of a plan: a message in Chinese (English) and the geometry to highlight. */
export const planError = z.object({
  code: planErrorCode,
  /** the grid's number (existing or new), when the problem belongs to one grid */
  grid: z.number().int().nullable().optional(),
  block: z.number().int().nullable().optional(),
  /** the plan, when several plans are applied together */
  plan: z.number().int().optional(),
  message: z.string(),
  geometry: geometry.nullable(),
});
export type PlanError = z.infer<typeof planError>;

export const validateResponse = z.object({ ok: z.boolean(), errors: z.array(planError) });
export type ValidateResponse = z.infer<typeof validateResponse>;

/** One block as GET /api/blocks returns it (a GeoJSON feature's properties). */
export const blockProps = z.object({
  id: z.number(),
  code: z.string(),
  community_id: z.number(),
  grid_id: z.number().nullable(),
  households: z.number(),
  in_difficulty: z.number(),
  cadres: z.number(),
  area_m2: z.number(),
});
export type BlockProps = z.infer<typeof blockProps>;

/** GET /api/blocks?community=: the community's blocks, with the layout version they belong to. */
export const blockCollection = z.object({
  type: z.literal('FeatureCollection'),
  /** the community's layout version these blocks belong to (a foreign member, as RFC 7946 allows) */
  layout_version: z.number(),
  features: z.array(z.object({
    type: z.literal('Feature'),
    id: z.number(),
    geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
    properties: blockProps,
  })),
});
export type BlockCollection = z.infer<typeof blockCollection>;

export const planSummary = z.object({
  id,
  community_id: id,
  community_name: z.string(),
  status: planStatus,
  title: z.string(),
  author: z.string(),
  created_at: z.string(),
  applied_at: z.string().nullable(),
  reverted_at: z.string().nullable(),
  base_version: z.number().int(),
  /** false when the community's layout changed since the draft was made */
  current: z.boolean(),
});
export type PlanSummary = z.infer<typeof planSummary>;

/** GET /api/plans */
export const planList = z.object({ plans: z.array(planSummary) });
export type PlanList = z.infer<typeof planList>;

/** Figures of one grid of a plan. grid_id is null for a grid the plan creates. */
export const planGrid = z.object({
  key: z.string(), // "123" (existing grid id) or "new:N"
  grid_id: z.number().int().nullable(),
  number: z.number().int(),
  name: z.string(),
  blocks: z.number().int(),
  households: z.number().int(),
  in_difficulty: z.number().int(),
  area_km2: z.number(),
  /** households now in another grid that this grid would take */
  households_in: z.number().int(),
  /** households now in this grid that would leave it (existing grids only) */
  households_out: z.number().int(),
});
export type PlanGrid = z.infer<typeof planGrid>;

export const planDetail = planSummary.extend({
  grids: z.array(planGrid),
  /** existing grids the plan assigns no block to: removed on apply */
  removed_grids: z.array(z.object({ grid_id: z.number().int(), number: z.number().int(), name: z.string(), households: z.number().int() })),
  /** households that would change grid, by (from, to) */
  moves: z.array(z.object({ from: z.number().int(), to: z.string(), households: z.number().int() })),
  households_moving: z.number().int(),
  assignments: z.array(z.object({ block: z.number().int(), grid: z.string() })),
});
export type PlanDetail = z.infer<typeof planDetail>;

/** One grid of GET /api/plans/:id/geojson: what POST /api/plans/import reads back. */
export const planExportProps = z.object({
  key: z.string(),
  grid_id: z.number().int().nullable(),
  number: z.number().int(),
  code: z.string(),
  name: z.string(),
  community_id: z.number().int(),
  blocks: z.number().int(),
  households: z.number().int(),
  in_difficulty: z.number().int(),
  area_km2: z.number(),
});
export type PlanExportProps = z.infer<typeof planExportProps>;

/** GET /api/plans/:id/geojson: the plan's grids as RFC 7946 GeoJSON, the plan itself a foreign member. */
export const planExport = z.object({
  type: z.literal('FeatureCollection'),
  plan: z.object({
    id: z.number().int(), title: z.string(), status: planStatus, community_id: z.number().int(),
    community_code: z.string(), community_name: z.string(), base_version: z.number().int(),
  }),
  features: z.array(z.object({ type: z.literal('Feature'), id: z.string(), geometry, properties: planExportProps })),
});
export type PlanExport = z.infer<typeof planExport>;

export const applyResponse = z.object({
  plan: id,
  layout_version: z.number().int(),
  households_moved: z.number().int(),
  grids_created: z.array(z.number().int()),
  grids_removed: z.array(z.number().int()),
});
export type ApplyResponse = z.infer<typeof applyResponse>;

/** Most drafts applied together: one per community, and a city has dozens (Enshi: 33). */
export const MAX_PLANS_APPLIED_TOGETHER = 200;

/**
 * Drafts of different communities applied together, all or none (a city-wide redraw): one
 * stale or invalid draft and none is applied (409 or 422 naming it).
 */
export const applyPlansBody = z
  .object({
    plans: z.array(id).min(1).max(MAX_PLANS_APPLIED_TOGETHER)
      .refine((ids) => new Set(ids).size === ids.length, { message: '每个方案只能列出一次 (list each plan once)' }),
  })
  .strict();
export type ApplyPlansBody = z.infer<typeof applyPlansBody>;

export const applyPlansResponse = z.object({ applied: z.array(applyResponse) });
export type ApplyPlansResponse = z.infer<typeof applyPlansResponse>;

export const revertResponse = z.object({
  plan: id,
  layout_version: z.number().int(),
  households_moved: z.number().int(),
});
export type RevertResponse = z.infer<typeof revertResponse>;

/**
 * GET /api/plans/:id/revert-preview: what reverting the plan would do, computed by the revert
 * itself and rolled back, so the confirmation's figures are exactly what the revert then does.
 */
export const revertPreview = z.object({
  plan: id,
  households_moved: z.number().int(),
  /** grids the plan removed, which the revert brings back */
  grids_restored: z.number().int(),
  /** grids the plan created, which the revert removes */
  grids_removed: z.number().int(),
  /** grids that keep their id and get their outline before the plan back */
  grids_reshaped: z.number().int(),
});
export type RevertPreview = z.infer<typeof revertPreview>;

/** Longitude/latitude pairs, finite and in range: "bad coordinates" is a 400 before PostGIS sees them. */
const position = z
  .array(z.number().finite())
  .min(2)
  .max(3)
  .refine((p) => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90, { message: '坐标超出经纬度范围 (coordinates out of lon/lat range)' });
const ring = z.array(position).min(4, { message: '环至少 4 个点 (a ring needs at least 4 positions)' });
export const importGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

/** A grid of an imported plan: an existing grid (grid_id) or a new one (number), as /geojson writes them. */
export const importFeature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.object({
    grid_id: idNumber.nullable().optional(),
    number: z.number().int().min(1).max(999),
  }).passthrough(),
  geometry: importGeometry,
});

export const importPlanBody = z.object({
  community: id,
  title: z.string().trim().max(200).optional(),
  geojson: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(importFeature).min(1).max(999),
  }).passthrough(),
}).strict();
export type ImportPlanBody = z.infer<typeof importPlanBody>;

/** Uploaded plan files (GeoJSON, zipped Shapefile, GeoPackage) may be this large. */
export const IMPORT_FILE_LIMIT_BYTES = 20 * 1024 * 1024;
/** File names a planner may import, by extension. */
export const IMPORT_FILE_EXTENSIONS = ['.geojson', '.json', '.zip', '.gpkg'] as const;
/**
 * The coordinate systems a file may be in: `auto` reads it from the file (a GeoJSON's `crs`, a
 * Shapefile's .prj, a GeoPackage's spatial reference table). GCJ-02 (火星坐标, the offset lon/lat
 * of Amap and Tencent maps) has no EPSG code and files rarely say so: the planner names it.
 */
export const IMPORT_CRS = ['auto', 'EPSG:4326', 'EPSG:4490', 'EPSG:4547', 'GCJ-02'] as const;
export type ImportCrs = (typeof IMPORT_CRS)[number];

/**
 * POST /api/plans/import-file (multipart/form-data): these text fields and one `file`.
 * `dry_run` (default true) reads, reprojects and checks the file and reports what the draft
 * would change, saving nothing; `dry_run=false` saves the draft.
 */
export const importFileFields = z.object({
  community: idParam,
  title: z.string().trim().max(200).optional(),
  crs: z.enum(IMPORT_CRS, { message: `坐标系应为 ${IMPORT_CRS.join('、')} 之一 (crs: one of ${IMPORT_CRS.join(', ')})` }).default('auto'),
  dry_run: booleanParam.default(true),
}).strict();
export type ImportFileFields = z.input<typeof importFileFields>;

/** A problem of an imported file, naming its feature (第 N 个要素) or grid; the import's PlanError codes and invalid_file / invalid_feature / invalid_plan. */
export const importProblem = z.object({ code: z.string(), message: z.string(), grid: z.number().int().nullable().optional(), geometry: geometry.nullable().optional() });
export type ImportProblem = z.infer<typeof importProblem>;

/** What an uploaded file held and how it was read. */
export const importFileInfo = z.object({
  name: z.string(),
  format: z.enum(['geojson', 'shapefile', 'geopackage']),
  bytes: z.number().int(),
  /** the layer read (a Shapefile's or a GeoPackage table's name) */
  layer: z.string().nullable(),
  features: z.number().int(),
  /** the coordinate system found in the file (or named by the planner), as a code and in words */
  crs: z.object({ code: z.string(), name: z.string(), source: z.enum(['file', 'chosen', 'default']), reprojected: z.boolean() }),
  /** notes on the reading (an assumed coordinate system, say), in Chinese and English */
  warnings: z.array(z.string()),
});
export type ImportFileInfo = z.infer<typeof importFileInfo>;

/**
 * The answer to an import of a file: the dry run's report (`plan` null, nothing saved), or the
 * saved draft's summary in `plan`. `ok` false carries the problems, each naming its feature; the
 * figures are those of the draft the file would make.
 */
export const importFileReport = z.object({
  dry_run: z.boolean(),
  ok: z.boolean(),
  file: importFileInfo,
  errors: z.array(importProblem),
  grids: z.array(z.object({ key: z.string(), grid_id: z.number().int().nullable(), number: z.number().int(), name: z.string(), blocks: z.number().int(),
    households: z.number().int(), households_in: z.number().int(), households_out: z.number().int() })),
  removed_grids: z.array(z.object({ grid_id: z.number().int(), number: z.number().int(), name: z.string().nullable(), households: z.number().int() })),
  blocks_moving: z.number().int(),
  households_moving: z.number().int(),
  plan: planSummary.nullable(),
});
export type ImportFileReport = z.infer<typeof importFileReport>;

/** A split must leave every part at least this large (a sliver is a slip of the pen). */
export const MIN_BLOCK_PART_M2 = 20;
/** At most this many blocks cut by one line. */
export const MAX_BLOCKS_PER_SPLIT = 50;

/**
 * POST /api/blocks/split: a line drawn across blocks of one community cuts each block it crosses
 * from edge to edge into its parts; `layout_version` is the layout the planner drew on (409 when
 * the community changed since).
 */
export const splitBlocksBody = z.object({
  community: id,
  layout_version: z.number().int().min(0).max(MAX_ID),
  line: z.object({
    type: z.literal('LineString', { message: '应为 LineString (the line must be a GeoJSON LineString)' }),
    coordinates: z.array(position).min(2, { message: '线至少 2 个点 (a line needs at least 2 positions)' }).max(500, { message: '线最多 500 个点 (a line has at most 500 positions)' }),
  }).strict(),
}).strict();
export type SplitBlocksBody = z.infer<typeof splitBlocksBody>;

export const splitBlocksResponse = z.object({
  layout_version: z.number().int(),
  /** each block cut: its id (kept by its largest part) and the ids of all its parts */
  blocks: z.array(z.object({ id: z.number(), parts: z.array(z.number()) })),
});
export type SplitBlocksResponse = z.infer<typeof splitBlocksResponse>;

/**
 * POST /api/blocks/edge: redraws the shared edge between two neighbouring blocks of one
 * community (街区边界重画). `line` is the new edge: it runs across the two blocks from their
 * outline to their outline; the side that overlaps a block's old shape most stays that block.
 */
export const redrawEdgeBody = z.object({
  community: id,
  layout_version: z.number().int().min(0).max(MAX_ID),
  blocks: z.tuple([id, id], { message: '应为两个街区 (blocks must name two blocks)' })
    .refine(([a, b]) => a !== b, { message: '应为两个不同的街区 (the two blocks must differ)' }),
  line: splitBlocksBody.shape.line,
}).strict();
export type RedrawEdgeBody = z.infer<typeof redrawEdgeBody>;

export const redrawEdgeResponse = z.object({
  /** the redraw's id: POST /api/blocks/edge/:id/revert undoes it while the layout is still this one */
  redraw: z.number().int(),
  layout_version: z.number().int(),
  /** households whose block changed, and of those, how many changed grid (the blocks lie in two grids) */
  households_moved: z.number().int(),
  households_changed_grid: z.number().int(),
});
export type RedrawEdgeResponse = z.infer<typeof redrawEdgeResponse>;

/** POST /api/blocks/edge/:id/revert: the layout version after the undo, and the households put back. */
export const revertEdgeResponse = z.object({
  layout_version: z.number().int(),
  households_moved: z.number().int(),
});
export type RevertEdgeResponse = z.infer<typeof revertEdgeResponse>;
