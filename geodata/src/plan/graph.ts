// The block graph: atomic blocks (households, area, perimeter) and which blocks share a boundary,
// with the length they share. Pure TypeScript (no Node or DOM imports): the same code runs in the
// server's CLI and in the browser's Web Worker.
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export interface BlockGraph {
  /** Number of blocks; blocks are addressed by index 0..n-1 internally. */
  readonly n: number;
  /** Block ids by index. */
  readonly ids: readonly number[];
  readonly indexOf: ReadonlyMap<number, number>;
  readonly households: Float64Array;
  readonly inDifficulty: Float64Array;
  /** Linked cadres per block (a count; see cadreIds for exact distinct counts per grid). */
  readonly cadres: Float64Array;
  /** Optional: the ids of the cadres linked to each block's households, for distinct counts. */
  readonly cadreIds?: readonly (readonly number[])[];
  /** m² */
  readonly area: Float64Array;
  /** m, every ring (holes too) */
  readonly perimeter: Float64Array;
  /** Adjacency in CSR form: neighbours of i are adj[adjStart[i] .. adjStart[i+1]). */
  readonly adjStart: Int32Array;
  readonly adj: Int32Array;
  /** Shared boundary length (m) of each adjacency entry. */
  readonly adjLength: Float64Array;
}

export interface BlockSpec {
  id: number;
  households: number;
  inDifficulty?: number;
  cadres?: number;
  cadreIds?: number[];
  area: number;
  perimeter: number;
}

export interface EdgeSpec {
  /** block ids */
  a: number;
  b: number;
  /** shared boundary length, m */
  length: number;
}

/** Builds a graph from plain specs (tests, fixtures, or a graph sent over postMessage). */
export function createBlockGraph(blocks: readonly BlockSpec[], edges: readonly EdgeSpec[]): BlockGraph {
  const n = blocks.length;
  const indexOf = new Map<number, number>();
  blocks.forEach((b, i) => {
    if (indexOf.has(b.id)) throw new Error(`duplicate block id ${b.id}`);
    indexOf.set(b.id, i);
  });
  // merge duplicate edges (both directions, or several shared pieces) into one length per pair
  const pair = new Map<number, number>();
  const pairs: [number, number, number][] = [];
  for (const e of edges) {
    const a = indexOf.get(e.a);
    const b = indexOf.get(e.b);
    if (a === undefined || b === undefined) throw new Error(`edge names an unknown block (${e.a}, ${e.b})`);
    if (a === b || !(e.length > 0)) continue;
    const key = Math.min(a, b) * n + Math.max(a, b);
    const at = pair.get(key);
    if (at === undefined) {
      pair.set(key, pairs.length);
      pairs.push([Math.min(a, b), Math.max(a, b), e.length]);
    } else pairs[at][2] += e.length;
  }
  const degree = new Int32Array(n);
  for (const [a, b] of pairs) {
    degree[a]++;
    degree[b]++;
  }
  const adjStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i] + degree[i];
  const fill = adjStart.slice(0, n);
  const adj = new Int32Array(adjStart[n]);
  const adjLength = new Float64Array(adjStart[n]);
  // sorted pairs give each block's neighbours in ascending order: deterministic iteration
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [a, b, len] of pairs) {
    adj[fill[a]] = b;
    adjLength[fill[a]++] = len;
  }
  for (const [a, b, len] of pairs) {
    adj[fill[b]] = a;
    adjLength[fill[b]++] = len;
  }
  for (let i = 0; i < n; i++) {
    // neighbours of i from the second pass (those < i) were appended after those > i; sort each row
    const s = adjStart[i], e = adjStart[i + 1];
    const row = Array.from(adj.subarray(s, e), (v, k) => [v, adjLength[s + k]] as const).sort((p, q) => p[0] - q[0]);
    row.forEach(([v, len], k) => {
      adj[s + k] = v;
      adjLength[s + k] = len;
    });
  }
  const hasCadreIds = blocks.some((b) => b.cadreIds !== undefined);
  return {
    n,
    ids: blocks.map((b) => b.id),
    indexOf,
    households: Float64Array.from(blocks, (b) => b.households),
    inDifficulty: Float64Array.from(blocks, (b) => b.inDifficulty ?? 0),
    cadres: Float64Array.from(blocks, (b) => b.cadreIds?.length ?? b.cadres ?? 0),
    cadreIds: hasCadreIds ? blocks.map((b) => b.cadreIds ?? []) : undefined,
    area: Float64Array.from(blocks, (b) => b.area),
    perimeter: Float64Array.from(blocks, (b) => b.perimeter),
    adjStart,
    adj,
    adjLength,
  };
}

/** Shared boundary length between blocks i and j by index (0 when not adjacent). */
export function sharedLength(g: BlockGraph, i: number, j: number): number {
  for (let k = g.adjStart[i]; k < g.adjStart[i + 1]; k++) if (g.adj[k] === j) return g.adjLength[k];
  return 0;
}

/** The plain, structured-clone-friendly form of a graph (postMessage, JSON, localStorage). */
export interface BlockGraphData {
  blocks: BlockSpec[];
  edges: EdgeSpec[];
}

export function graphToData(g: BlockGraph): BlockGraphData {
  const blocks: BlockSpec[] = g.ids.map((id, i) => ({
    id,
    households: g.households[i],
    inDifficulty: g.inDifficulty[i],
    cadres: g.cadres[i],
    ...(g.cadreIds ? { cadreIds: [...g.cadreIds[i]] } : {}),
    area: g.area[i],
    perimeter: g.perimeter[i],
  }));
  const edges: EdgeSpec[] = [];
  for (let i = 0; i < g.n; i++)
    for (let k = g.adjStart[i]; k < g.adjStart[i + 1]; k++)
      if (g.adj[k] > i) edges.push({ a: g.ids[i], b: g.ids[g.adj[k]], length: g.adjLength[k] });
  return { blocks, edges };
}

export function graphFromData(d: BlockGraphData): BlockGraph {
  return createBlockGraph(d.blocks, d.edges);
}

// ---------------------------------------------------------------------------------------------
// From GeoJSON polygons

export interface BlockProperties {
  id?: number;
  households?: number;
  in_difficulty?: number;
  cadres?: number;
  cadre_ids?: number[];
  [key: string]: unknown;
}

export interface BuildOptions {
  /**
   * Segments that do not match another block's segment exactly (vertex for vertex) are matched
   * by overlap when they lie within this distance (m) of each other: imported blocks whose
   * neighbours put vertices at different places along a shared edge (T-junctions) still connect.
   */
  tolerance?: number;
  /** Reuse the graph built for this key (e.g. the community id and data version). */
  cacheKey?: string;
}

const EARTH_RADIUS = 6371008.8;
const byCollection = new WeakMap<object, BlockGraph>();
const byKey = new Map<string, BlockGraph>();
const KEY_CACHE_SIZE = 8;

/**
 * Builds the block graph from block polygons that tile an area (one Feature per block, id in
 * `properties.id` or `feature.id`). Lengths and areas are in metres on a local equirectangular
 * projection (a community spans a few km: the error is far below a metre). Blocks touching only
 * at a point are not adjacent, as in PostGIS, where their union is a MultiPolygon.
 * Cached: the same collection object (or the same cacheKey) returns the same graph.
 */
export function buildBlockGraph(
  fc: FeatureCollection<Polygon | MultiPolygon, BlockProperties | null>,
  options: BuildOptions = {},
): BlockGraph {
  const cached = byCollection.get(fc) ?? (options.cacheKey !== undefined ? byKey.get(options.cacheKey) : undefined);
  if (cached) return cached;
  const graph = buildUncached(fc.features, options.tolerance ?? 0.2);
  byCollection.set(fc, graph);
  if (options.cacheKey !== undefined) {
    if (byKey.size >= KEY_CACHE_SIZE) byKey.delete(byKey.keys().next().value!);
    byKey.set(options.cacheKey, graph);
  }
  return graph;
}

function blockId(f: Feature<Polygon | MultiPolygon, BlockProperties | null>, i: number): number {
  const id = f.properties?.id ?? f.id;
  const n = typeof id === 'string' ? Number(id) : id;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`block feature ${i} has no numeric id`);
  return n;
}

function ringsOf(geom: Polygon | MultiPolygon): Position[][] {
  return geom.type === 'Polygon' ? geom.coordinates : geom.coordinates.flat();
}

interface Segment {
  block: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  len: number;
}

function buildUncached(features: Feature<Polygon | MultiPolygon, BlockProperties | null>[], tol: number): BlockGraph {
  // local projection about the mean vertex
  let sumLon = 0, sumLat = 0, count = 0;
  for (const f of features)
    for (const ring of ringsOf(f.geometry))
      for (const p of ring) {
        sumLon += p[0];
        sumLat += p[1];
        count++;
      }
  const lon0 = count ? sumLon / count : 0;
  const lat0 = count ? sumLat / count : 0;
  const kx = (EARTH_RADIUS * Math.cos((lat0 * Math.PI) / 180) * Math.PI) / 180;
  const ky = (EARTH_RADIUS * Math.PI) / 180;
  const px = (p: Position) => (p[0] - lon0) * kx;
  const py = (p: Position) => (p[1] - lat0) * ky;
  // exact matching quantises coordinates to 1e-9° (~0.1 mm)
  const q = (v: number) => Math.round(v * 1e9);

  const blocks: BlockSpec[] = [];
  const edges: EdgeSpec[] = [];
  const exact = new Map<string, { block: number; at: number; matched: boolean }>();
  const segments: Segment[] = [];
  const matched: boolean[] = [];

  features.forEach((f, bi) => {
    const id = blockId(f, bi);
    const props = f.properties ?? {};
    let area = 0, perimeter = 0;
    for (const polygon of f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) {
      polygon.forEach((ring, r) => {
        let twice = 0;
        for (let k = 0; k + 1 < ring.length; k++) {
          const a = ring[k], b = ring[k + 1];
          const x1 = px(a), y1 = py(a), x2 = px(b), y2 = py(b);
          twice += x1 * y2 - x2 * y1;
          const len = Math.hypot(x2 - x1, y2 - y1);
          if (len === 0) continue;
          perimeter += len;
          const seg: Segment = { block: id, x1, y1, x2, y2, len };
          const ka = `${q(a[0])},${q(a[1])}`, kb = `${q(b[0])},${q(b[1])}`;
          const key = ka < kb ? `${ka};${kb}` : `${kb};${ka}`;
          const other = exact.get(key);
          if (other && other.block !== id && !other.matched) {
            other.matched = true;
            matched[other.at] = true;
            edges.push({ a: other.block, b: id, length: len });
            segments.push(seg);
            matched.push(true);
          } else {
            if (!other) exact.set(key, { block: id, at: segments.length, matched: false });
            segments.push(seg);
            matched.push(false);
          }
        }
        area += r === 0 ? Math.abs(twice) / 2 : -Math.abs(twice) / 2;
      });
    }
    blocks.push({
      id,
      households: Number(props.households ?? 0),
      inDifficulty: Number(props.in_difficulty ?? 0),
      cadres: Number(props.cadres ?? 0),
      ...(Array.isArray(props.cadre_ids) ? { cadreIds: props.cadre_ids.map(Number) } : {}),
      area,
      perimeter,
    });
  });

  edges.push(...overlapEdges(segments.filter((_, i) => !matched[i]), tol));
  return createBlockGraph(blocks, edges);
}

/**
 * Shared lengths between segments of different blocks that are collinear within `tol` metres
 * and overlap, found through a uniform bucket grid (segments not matched vertex for vertex).
 */
function overlapEdges(segs: Segment[], tol: number): EdgeSpec[] {
  if (segs.length < 2 || !(tol > 0)) return [];
  const cell = 50;
  const buckets = new Map<string, number[]>();
  const cellsOf = (s: Segment, fn: (key: string) => void) => {
    const x0 = Math.floor((Math.min(s.x1, s.x2) - tol) / cell), x1 = Math.floor((Math.max(s.x1, s.x2) + tol) / cell);
    const y0 = Math.floor((Math.min(s.y1, s.y2) - tol) / cell), y1 = Math.floor((Math.max(s.y1, s.y2) + tol) / cell);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) fn(`${x},${y}`);
  };
  segs.forEach((s, i) =>
    cellsOf(s, (key) => {
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }),
  );
  const out: EdgeSpec[] = [];
  const seen = new Set<number>();
  segs.forEach((s, i) => {
    const ux = (s.x2 - s.x1) / s.len, uy = (s.y2 - s.y1) / s.len;
    cellsOf(s, (key) => {
      for (const j of buckets.get(key)!) {
        if (j <= i) continue;
        const t = segs[j];
        if (t.block === s.block || seen.has(i * segs.length + j)) continue;
        seen.add(i * segs.length + j);
        // both ends of t within tol of s's line
        const d1 = Math.abs((t.x1 - s.x1) * uy - (t.y1 - s.y1) * ux);
        const d2 = Math.abs((t.x2 - s.x1) * uy - (t.y2 - s.y1) * ux);
        if (d1 > tol || d2 > tol) continue;
        const u1 = (t.x1 - s.x1) * ux + (t.y1 - s.y1) * uy;
        const u2 = (t.x2 - s.x1) * ux + (t.y2 - s.y1) * uy;
        const overlap = Math.min(s.len, Math.max(u1, u2)) - Math.max(0, Math.min(u1, u2));
        if (overlap > tol) out.push({ a: s.block, b: t.block, length: overlap });
      }
    });
  });
  return out;
}

/**
 * A lattice of w × h square blocks (ids 1..w·h, row by row, side `cell` metres): the fixture
 * the tests and the bench build plans on. households(x, y) gives each block's households.
 */
export function latticeGraph(
  w: number,
  h: number,
  households: (x: number, y: number) => number = () => 10,
  cell = 100,
): BlockGraph {
  const blocks: BlockSpec[] = [];
  const edges: EdgeSpec[] = [];
  const id = (x: number, y: number) => y * w + x + 1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      blocks.push({ id: id(x, y), households: households(x, y), area: cell * cell, perimeter: 4 * cell });
      if (x + 1 < w) edges.push({ a: id(x, y), b: id(x + 1, y), length: cell });
      if (y + 1 < h) edges.push({ a: id(x, y), b: id(x, y + 1), length: cell });
    }
  return createBlockGraph(blocks, edges);
}
