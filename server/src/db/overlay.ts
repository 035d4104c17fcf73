// Polygon overlays (union, intersection, difference) in SQL, always in GEOS's fixed precision.
//
// The floating-point overlay can fail on nearly coincident edges, as neighbouring blocks and the
// grids dissolved from them have: GEOS then retries internally by throwing and catching an
// exception. Inside the embedded database (PostGIS compiled to WebAssembly) that exception ends
// the statement early WITHOUT an error: a SELECT answers no rows (even a count's only row is
// missing), an INSERT … SELECT inserts nothing, and the transaction goes on as if all was well.
// On the embedded demo dataset 23 of 3,269 block/neighbour-grid intersections did so. The
// fixed-precision overlay (snap-rounding to GRID_SIZE) takes no such path, on either backend.
//
// So every overlay the server runs goes through these helpers. They return SQL text: the
// arguments are SQL expressions written by our own code (column names, subqueries), never input.

/** The grid overlays snap to, in degrees: ~0.1 mm, far below any tolerance we judge by (1 m²). */
export const GRID_SIZE = 1e-9;

/** ST_Intersection(a, b) in fixed precision. */
export const intersection = (a: string, b: string) => `ST_Intersection(${a}, ${b}, ${GRID_SIZE})`;

/** ST_Difference(a, b) in fixed precision. */
export const difference = (a: string, b: string) => `ST_Difference(${a}, ${b}, ${GRID_SIZE})`;

/** ST_Union(a, b) of two geometries in fixed precision. */
export const union2 = (a: string, b: string) => `ST_Union(${a}, ${b}, ${GRID_SIZE})`;

/**
 * The ST_Union aggregate in fixed precision. The grid size is written into the SQL, not bound:
 * the embedded database cannot run an ST_Union aggregate whose statement has bind parameters
 * in it (see dataset/coverage.ts).
 */
export const unionAgg = (expr: string) => `ST_Union(${expr}, ${GRID_SIZE})`;
