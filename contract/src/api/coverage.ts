// GET /api/coverage?kind=…: per grid, how many households a kind of cadre is linked to. Aggregates
// only (no person, no household), scoped like the boundaries, cached per data version.
import { z } from 'zod';

/** The cadre kinds whose coverage the command centre compares. */
export const COVERAGE_KINDS = ['in_service', 'sunk', 'grid_worker'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

export const coverageQuery = z
  .object({
    kind: z.enum(COVERAGE_KINDS, { message: '干部类型应为 in_service、sunk 或 grid_worker (kind must be in_service, sunk or grid_worker)' }).default('in_service'),
  })
  .strict();

export const coverageRow = z.object({
  grid_id: z.number(),
  households: z.number(),
  /** Households linked to at least one cadre of the kind. */
  covered: z.number(),
});
export const coverageResponse = z.object({ kind: z.enum(COVERAGE_KINDS), grids: z.array(coverageRow) });
export type CoverageResponse = z.infer<typeof coverageResponse>;
