// GET /api/coverage?kind=…: per grid, how many households a kind of cadre is linked to. Aggregates
// only (no person, no household), scoped like the boundaries, cached per data version.
import { z } from 'zod';

/** The cadre kinds whose coverage the command centre compares; `any`: a cadre of any of them. */
export const COVERAGE_KINDS = ['in_service', 'sunk', 'grid_worker', 'any'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];
/** What the command centre calls each coverage kind. */
export const COVERAGE_KIND_LABELS: Record<CoverageKind, string> = {
  in_service: '在职党员',
  sunk: '下沉党员',
  grid_worker: '网格员',
  any: '各类干部',
};

export const coverageQuery = z
  .object({
    kind: z.enum(COVERAGE_KINDS, { message: '干部类型应为 in_service、sunk、grid_worker 或 any (kind must be in_service, sunk, grid_worker or any)' }).default('in_service'),
    /** `heat=1` adds `cells`: covered households counted per HEAT_CELL_DEG cell (for heatmaps). */
    heat: z.enum(['1'], { message: 'heat 只能为 1 (heat must be 1)' }).optional(),
  })
  .strict();

export const coverageRow = z.object({
  grid_id: z.number(),
  households: z.number(),
  /** Households linked to at least one cadre of the kind. */
  covered: z.number(),
});
/** Heatmap cells are this many degrees square (about 100 m): counts, never single households. */
export const HEAT_CELL_DEG = 0.001;
/** A heat cell: its centre's lon and lat and the covered households in it. */
export const heatCell = z.tuple([z.number(), z.number(), z.number()]);
export const coverageResponse = z.object({ kind: z.enum(COVERAGE_KINDS), grids: z.array(coverageRow), cells: z.array(heatCell).optional() });
export type CoverageResponse = z.infer<typeof coverageResponse>;
