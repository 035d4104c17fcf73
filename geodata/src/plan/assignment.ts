// An assignment of every block to a grid, with locked grids, and the stroke that paints blocks
// into a grid. A stroke never silently breaks the invariants (every grid contiguous and not
// empty, every block in exactly one grid): applyStroke reports which grid broke and why.
import type { BlockGraph } from './graph.ts';

/** A grid's key: an existing grid's id ("123") or a new grid ("new:12"), as the plans API takes. */
export type GridKey = string;

export interface Assignment {
  readonly graph: BlockGraph;
  /** Grids by index. Append-only along a plan's history, so a grid's index never changes. */
  readonly grids: readonly GridKey[];
  /** Block index → grid index. */
  readonly blockGrid: Int32Array;
  readonly locked: ReadonlySet<GridKey>;
}

export class AssignmentError extends Error {}

/** Block id → grid key (a Map, or a plain record as JSON gives it). */
export type GridOf = ReadonlyMap<number, GridKey | number> | Readonly<Record<string, GridKey | number>>;

export function createAssignment(
  graph: BlockGraph,
  gridOf: GridOf,
  options: { locked?: Iterable<GridKey>; grids?: readonly GridKey[] } = {},
): Assignment {
  const grids: GridKey[] = [...(options.grids ?? [])];
  const index = new Map(grids.map((k, i) => [k, i]));
  const lookup = gridOf instanceof Map ? (id: number) => gridOf.get(id) : (id: number) => (gridOf as Record<string, GridKey | number>)[id];
  const blockGrid = new Int32Array(graph.n);
  const missing: number[] = [];
  for (let i = 0; i < graph.n; i++) {
    const raw = lookup(graph.ids[i]);
    if (raw === undefined || raw === null) {
      missing.push(graph.ids[i]);
      continue;
    }
    const key = String(raw);
    let gi = index.get(key);
    if (gi === undefined) {
      gi = grids.length;
      grids.push(key);
      index.set(key, gi);
    }
    blockGrid[i] = gi;
  }
  if (missing.length)
    throw new AssignmentError(
      `${missing.length} 个地块没有网格 (${missing.length} blocks have no grid): ${missing.slice(0, 10).join(', ')}`,
    );
  return { graph, grids, blockGrid, locked: new Set(options.locked ?? []) };
}

/** Block id → grid key, only non-empty grids: what a plan stores. */
export function assignmentToRecord(a: Assignment): Record<string, GridKey> {
  const out: Record<string, GridKey> = {};
  for (let i = 0; i < a.graph.n; i++) out[a.graph.ids[i]] = a.grids[a.blockGrid[i]];
  return out;
}

export interface SerializedAssignment {
  grids: GridKey[];
  blocks: Record<string, GridKey>;
  locked: GridKey[];
}

export function serializeAssignment(a: Assignment): SerializedAssignment {
  return { grids: [...a.grids], blocks: assignmentToRecord(a), locked: [...a.locked] };
}

export function deserializeAssignment(graph: BlockGraph, s: SerializedAssignment): Assignment {
  return createAssignment(graph, s.blocks, { grids: s.grids, locked: s.locked });
}

export function withLock(a: Assignment, key: GridKey, locked: boolean): Assignment {
  const set = new Set(a.locked);
  if (locked) set.add(key);
  else set.delete(key);
  return { ...a, locked: set };
}

/** Grids that hold at least one block, in index order. */
export function activeGrids(a: Assignment): GridKey[] {
  const used = new Uint8Array(a.grids.length);
  for (let i = 0; i < a.blockGrid.length; i++) used[a.blockGrid[i]] = 1;
  return a.grids.filter((_, gi) => used[gi]);
}

// ---------------------------------------------------------------------------------------------
// Invariants

export type ViolationCode = 'unknown_block' | 'locked' | 'empty' | 'not_contiguous' | 'unassigned';

export interface Violation {
  code: ViolationCode;
  grid?: GridKey;
  block?: number;
  /** not_contiguous: the number of parts */
  parts?: number;
  /** Chinese (English) */
  message: string;
}

export interface InvariantReport {
  ok: boolean;
  violations: Violation[];
}

export interface ReportOptions {
  /** A grid may lose all its blocks (the plan removes it). */
  allowEmpty?: boolean;
  /**
   * How a grid is named in both halves of a message (the page's own name in the reader's
   * language, "第3网格" or "Grid 3"); where it gives none, "网格 <key>" and "grid <key>".
   */
  label?: (key: GridKey) => string | undefined;
}

const defaultLabel = (key: GridKey) => (key.startsWith('new:') ? `新网格 ${key.slice(4)}` : `网格 ${key}`);
const defaultLabelEn = (key: GridKey) => (key.startsWith('new:') ? `new grid ${key.slice(4)}` : `grid ${key}`);

/** A grid's name for the Chinese and the English half of a message (see ReportOptions.label). */
export function gridNames(label?: (key: GridKey) => string | undefined) {
  return {
    zh: (key: GridKey) => label?.(key) ?? defaultLabel(key),
    en: (key: GridKey) => label?.(key) ?? defaultLabelEn(key),
  };
}

// BFS scratch per graph: a visit stamp and a stack, reused so a check allocates nothing.
const scratch = new WeakMap<BlockGraph, { stamp: Uint32Array; stack: Int32Array; epoch: number }>();
function scratchFor(g: BlockGraph) {
  let s = scratch.get(g);
  if (!s) {
    s = { stamp: new Uint32Array(g.n), stack: new Int32Array(g.n), epoch: 0 };
    scratch.set(g, s);
  }
  if (++s.epoch === 0xffffffff) {
    s.stamp.fill(0);
    s.epoch = 1;
  }
  return s;
}

/**
 * The number of blocks in grid gi and how many connected parts they form (BFS over the
 * adjacency restricted to the grid). parts = 0 for an empty grid.
 */
export function gridParts(g: BlockGraph, blockGrid: Int32Array, gi: number): { blocks: number; parts: number } {
  const s = scratchFor(g);
  const { stamp, stack, epoch } = s;
  let blocks = 0, parts = 0;
  for (let i = 0; i < g.n; i++) {
    if (blockGrid[i] !== gi || stamp[i] === epoch) continue;
    parts++;
    let top = 0;
    stack[top++] = i;
    stamp[i] = epoch;
    while (top > 0) {
      const v = stack[--top];
      blocks++;
      for (let k = g.adjStart[v]; k < g.adjStart[v + 1]; k++) {
        const u = g.adj[k];
        if (blockGrid[u] === gi && stamp[u] !== epoch) {
          stamp[u] = epoch;
          stack[top++] = u;
        }
      }
    }
  }
  return { blocks, parts };
}

function gridViolations(a: Assignment, gi: number, opts: ReportOptions, out: Violation[]) {
  const name = gridNames(opts.label);
  const key = a.grids[gi];
  const { blocks, parts } = gridParts(a.graph, a.blockGrid, gi);
  if (blocks === 0) {
    if (!opts.allowEmpty) out.push({ code: 'empty', grid: key, message: `${name.zh(key)}没有地块了 (${name.en(key)} would be empty)` });
  } else if (parts > 1) {
    out.push({
      code: 'not_contiguous',
      grid: key,
      parts,
      message: `${name.zh(key)}不连通，分成 ${parts} 块 (${name.en(key)} would be split into ${parts} parts)`,
    });
  }
}

/** Checks the whole assignment: every block in a grid, every grid contiguous and (unless allowed) not empty. */
export function checkAssignment(a: Assignment, opts: ReportOptions = {}): InvariantReport {
  const violations: Violation[] = [];
  for (let i = 0; i < a.graph.n; i++) {
    const gi = a.blockGrid[i];
    if (gi < 0 || gi >= a.grids.length)
      violations.push({ code: 'unassigned', block: a.graph.ids[i], message: `地块 ${a.graph.ids[i]} 不在任何网格 (block ${a.graph.ids[i]} is in no grid)` });
  }
  for (let gi = 0; gi < a.grids.length; gi++) gridViolations(a, gi, { allowEmpty: true, ...opts }, violations);
  // a grid that was empty from the start (a listed key with no blocks) is only reported when asked
  return { ok: violations.length === 0, violations };
}

export interface BlockChange {
  /** block index */
  block: number;
  /** grid indices */
  from: number;
  to: number;
}

export interface StrokeResult {
  /** The assignment after the stroke, even when the report is not ok (the caller decides). */
  assignment: Assignment;
  changes: BlockChange[];
  /** Keys of the grids the stroke changed (sources and destination). */
  touched: GridKey[];
  report: InvariantReport;
}

/**
 * Paints the blocks (by id) into grid `toGrid` (a new key creates the grid). Only the grids the
 * stroke touches are checked: the sources may have been split or emptied, the destination may
 * not touch the painted blocks.
 */
export function applyStroke(
  a: Assignment,
  blockIds: Iterable<number>,
  toGrid: GridKey,
  opts: ReportOptions = {},
): StrokeResult {
  const name = gridNames(opts.label);
  const violations: Violation[] = [];
  let grids = a.grids;
  let to = grids.indexOf(toGrid);
  if (to < 0) {
    grids = [...grids, toGrid];
    to = grids.length - 1;
  }
  if (a.locked.has(toGrid))
    violations.push({ code: 'locked', grid: toGrid, message: `${name.zh(toGrid)}已锁定 (${name.en(toGrid)} is locked)` });
  const blockGrid = a.blockGrid.slice();
  const changes: BlockChange[] = [];
  const lockedSources = new Set<GridKey>();
  for (const id of blockIds) {
    const b = a.graph.indexOf.get(id);
    if (b === undefined) {
      violations.push({ code: 'unknown_block', block: id, message: `没有地块 ${id} (unknown block ${id})` });
      continue;
    }
    const from = blockGrid[b];
    if (from === to) continue;
    if (a.locked.has(grids[from])) lockedSources.add(grids[from]);
    blockGrid[b] = to;
    changes.push({ block: b, from, to });
  }
  for (const key of lockedSources)
    violations.push({ code: 'locked', grid: key, message: `${name.zh(key)}已锁定 (${name.en(key)} is locked)` });
  const next: Assignment = { graph: a.graph, grids, blockGrid, locked: a.locked };
  const touchedIdx = new Set<number>();
  for (const c of changes) {
    touchedIdx.add(c.from);
    touchedIdx.add(c.to);
  }
  for (const gi of touchedIdx) gridViolations(next, gi, opts, violations);
  return { assignment: next, changes, touched: [...touchedIdx].map((gi) => grids[gi]), report: { ok: violations.length === 0, violations } };
}

/** Applies block changes (by index) without checks: undo/redo of steps that were valid. */
export function applyChanges(a: Assignment, changes: readonly BlockChange[], reverse = false): Assignment {
  const blockGrid = a.blockGrid.slice();
  for (const c of changes) blockGrid[c.block] = reverse ? c.from : c.to;
  return { ...a, blockGrid };
}
