// What the planner map needs from the block graph besides the editor: the blocks a brush covers,
// a colour per grid that differs from its neighbours', where to put each grid's label, the blocks
// two assignments put in different grids, the community's bounds and a free grid number.
// Pure functions over the graph and the assignment (no map, no DOM), tested beside this file.
import type { Assignment, BlockGraph, GridKey } from '@grid-atlas/geodata/plan';

/**
 * The blocks (by index) a brush of size `size` covers around block `start`: size 1 is the block
 * itself, size 2 adds its neighbours, size 3 their neighbours too. Only blocks of `onlyGrid`
 * (a grid index) are taken when it is given, so a big brush does not spill into a third grid.
 */
export function brushBlocks(g: BlockGraph, start: number, size: number, blockGrid?: Int32Array, onlyGrid?: number): number[] {
  const seen = new Set<number>([start]);
  let ring = [start];
  for (let r = 1; r < size; r++) {
    const next: number[] = [];
    for (const b of ring) {
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
        const n = g.adj[k];
        if (seen.has(n)) continue;
        if (blockGrid && onlyGrid !== undefined && blockGrid[n] !== onlyGrid) continue;
        seen.add(n);
        next.push(n);
      }
    }
    ring = next;
  }
  return [...seen];
}

/** Grid indices that share a block boundary, per grid index. */
export function gridAdjacency(a: Assignment): Map<number, Set<number>> {
  const g = a.graph;
  const adj = new Map<number, Set<number>>();
  for (let b = 0; b < g.n; b++) {
    const gi = a.blockGrid[b];
    if (!adj.has(gi)) adj.set(gi, new Set());
    for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
      const other = a.blockGrid[g.adj[k]];
      if (other !== gi) adj.get(gi)!.add(other);
    }
  }
  return adj;
}

/**
 * A palette slot per grid such that neighbouring grids differ (greedy colouring, largest degree
 * first, the least-used free slot; planar maps rarely need more than 5 slots). Grids already
 * coloured keep their slot, so a stroke never repaints the whole map; a new grid takes a slot
 * none of its neighbours has.
 */
export function colourGrids(a: Assignment, slots: number, previous: ReadonlyMap<GridKey, number> = new Map()): Map<GridKey, number> {
  const adj = gridAdjacency(a);
  const out = new Map<GridKey, number>();
  for (const [key, slot] of previous) if (a.grids.includes(key)) out.set(key, slot);
  const count = new Array<number>(slots).fill(0);
  for (const slot of out.values()) if (slot < slots) count[slot]++;
  const order = [...adj.keys()].sort((x, y) => adj.get(y)!.size - adj.get(x)!.size || x - y);
  for (const gi of order) {
    const key = a.grids[gi];
    if (out.has(key)) continue;
    const used = new Set([...adj.get(gi)!].map((n) => out.get(a.grids[n])).filter((s) => s !== undefined));
    // The least-used free slot: the whole palette gets used, so grids far apart differ too.
    let slot = -1;
    for (let k = 0; k < slots; k++) if (!used.has(k) && (slot < 0 || count[k] < count[slot])) slot = k;
    if (slot < 0) slot = 0;
    count[slot]++;
    out.set(key, slot);
  }
  return out;
}

/**
 * Colours carried across a reload whose grid keys change (a plan applied: "new:2" becomes a real
 * grid id; a plan reverted): each grid of `after` takes the colour of the grid of `before` that
 * held most of its blocks (matched by block id), each colour given once; the rest stay free for
 * colourGrids to fill.
 */
export function carryColours(before: Assignment, colours: ReadonlyMap<GridKey, number>, after: Assignment): Map<GridKey, number> {
  const was = new Map<number, GridKey>();
  for (let b = 0; b < before.graph.n; b++) was.set(before.graph.ids[b], before.grids[before.blockGrid[b]]);
  const shared = new Map<GridKey, Map<GridKey, number>>();
  for (let b = 0; b < after.graph.n; b++) {
    const from = was.get(after.graph.ids[b]);
    if (from === undefined) continue;
    const to = after.grids[after.blockGrid[b]];
    const m = shared.get(to) ?? new Map<GridKey, number>();
    m.set(from, (m.get(from) ?? 0) + 1);
    shared.set(to, m);
  }
  // Largest overlaps first, so a grid that kept most of its blocks keeps its colour.
  const pairs: [GridKey, GridKey, number][] = [];
  for (const [to, m] of shared) for (const [from, n] of m) pairs.push([to, from, n]);
  pairs.sort((x, y) => y[2] - x[2] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out = new Map<GridKey, number>();
  const taken = new Set<GridKey>();
  for (const [to, from] of pairs) {
    if (out.has(to) || taken.has(from) || !colours.has(from)) continue;
    out.set(to, colours.get(from)!);
    taken.add(from);
  }
  return out;
}

/** Centroid of a polygon's outer ring (shoelace; lon/lat are fine at a block's size). */
export function ringCentroid(ring: readonly (readonly number[])[]): [number, number] {
  let a2 = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j], [x1, y1] = ring[i];
    const f = x0 * y1 - x1 * y0;
    a2 += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a2) < 1e-18) return [ring[0][0], ring[0][1]];
  return [cx / (3 * a2), cy / (3 * a2)];
}

/**
 * Where each non-empty grid's label goes: the centroid of its block nearest to the area-weighted
 * mean of its blocks' centroids, so the label always sits on the grid, even an L-shaped one.
 */
export function gridLabelPoints(a: Assignment, centroids: readonly [number, number][]): Map<GridKey, [number, number]> {
  const g = a.graph;
  const sum = new Map<number, { x: number; y: number; w: number }>();
  for (let b = 0; b < g.n; b++) {
    const gi = a.blockGrid[b];
    const w = Math.max(g.area[b], 1e-9);
    const s = sum.get(gi) ?? { x: 0, y: 0, w: 0 };
    s.x += centroids[b][0] * w;
    s.y += centroids[b][1] * w;
    s.w += w;
    sum.set(gi, s);
  }
  const best = new Map<number, { b: number; d: number }>();
  for (let b = 0; b < g.n; b++) {
    const gi = a.blockGrid[b];
    const s = sum.get(gi)!;
    const d = (centroids[b][0] - s.x / s.w) ** 2 + (centroids[b][1] - s.y / s.w) ** 2;
    const cur = best.get(gi);
    if (!cur || d < cur.d) best.set(gi, { b, d });
  }
  const out = new Map<GridKey, [number, number]>();
  for (const [gi, { b }] of best) out.set(a.grids[gi], centroids[b]);
  return out;
}

/** The bounds [minX, minY, maxX, maxY] of the blocks' outer rings (the whole community in view). */
export function blocksBounds(features: readonly { geometry: unknown }[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of features) {
    const geom = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
    const rings = (geom.type === 'Polygon' ? [geom.coordinates[0]] : (geom.coordinates as number[][][][]).map((p) => p[0])) as number[][][];
    for (const ring of rings) for (const [x, y] of ring) { minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y); }
  }
  return [minX, minY, maxX, maxY];
}

/** Blocks (by index) whose grid differs between two assignments on the same graph. */
export function diffBlocks(before: Assignment, after: Assignment): number[] {
  const out: number[] = [];
  for (let b = 0; b < before.graph.n; b++) if (before.grids[before.blockGrid[b]] !== after.grids[after.blockGrid[b]]) out.push(b);
  return out;
}

/** The lowest grid number not in use (a new grid takes it). */
export function freeGridNumber(numbers: readonly number[]): number {
  const used = new Set(numbers);
  let n = 1;
  while (used.has(n)) n++;
  return n;
}
