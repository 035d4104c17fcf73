// The planner's editing session: the current assignment, its live preview statistics and the
// undo/redo history in one object. A stroke that would break an invariant is refused, not applied.
import {
  applyStroke,
  deserializeAssignment,
  serializeAssignment,
  withLock,
  type Assignment,
  type BlockChange,
  type GridKey,
  type InvariantReport,
  type ReportOptions,
  type SerializedAssignment,
} from './assignment.ts';
import type { BlockGraph } from './graph.ts';
import { PlanHistory, type HistoryStep, type SerializedHistory } from './history.ts';
import { PlanPreview, type PreviewStats } from './stats.ts';

export interface EditorOptions extends ReportOptions {
  /** Households per grid to measure deviation against (the city mean, say); default the plan's mean. */
  target?: number;
  historyLimit?: number;
}

export interface SerializedEditor {
  version: 1;
  base: SerializedAssignment;
  current: SerializedAssignment;
  history: SerializedHistory;
}

export interface EditResult {
  ok: boolean;
  report: InvariantReport;
  /** blocks that changed grid (0 when refused) */
  changed: number;
}

export class PlanEditor {
  assignment: Assignment;
  readonly preview: PlanPreview;
  readonly history: PlanHistory;

  constructor(
    readonly base: Assignment,
    private readonly options: EditorOptions = {},
    current?: Assignment,
    history?: PlanHistory,
  ) {
    this.assignment = current ?? base;
    this.preview = new PlanPreview(this.assignment, { target: options.target, base });
    this.history = history ?? new PlanHistory(options.historyLimit ?? 200);
  }

  get graph(): BlockGraph {
    return this.base.graph;
  }

  stats(): PreviewStats {
    return this.preview.stats();
  }

  /** Paints blocks (ids) into a grid; refused with the report when a grid would break. */
  stroke(blockIds: Iterable<number>, toGrid: GridKey): EditResult {
    const r = applyStroke(this.assignment, blockIds, toGrid, this.options);
    if (!r.report.ok) return { ok: false, report: r.report, changed: 0 };
    if (r.changes.length === 0) return { ok: true, report: r.report, changed: 0 };
    this.commit(r.assignment, r.changes);
    this.history.push({ moves: this.moves(r.assignment, r.changes) });
    return { ok: true, report: r.report, changed: r.changes.length };
  }

  /**
   * Removes a grid: all its blocks go to the unlocked neighbouring grid it shares the longest
   * boundary with (one stroke, so it stays contiguous). Refused when it has no such neighbour.
   */
  removeGrid(key: GridKey): EditResult {
    const a = this.assignment;
    const gi = a.grids.indexOf(key);
    const g = this.graph;
    const shared = new Map<number, number>();
    const blocks: number[] = [];
    if (gi >= 0) {
      for (let b = 0; b < g.n; b++) {
        if (a.blockGrid[b] !== gi) continue;
        blocks.push(g.ids[b]);
        for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
          const other = a.blockGrid[g.adj[k]];
          if (other !== gi && !a.locked.has(a.grids[other])) shared.set(other, (shared.get(other) ?? 0) + g.adjLength[k]);
        }
      }
    }
    let into = -1;
    for (const [other, len] of shared) if (into < 0 || len > shared.get(into)!) into = other;
    if (into < 0) {
      const message = blocks.length ? `${key} 没有未锁定的相邻网格可并入 (no unlocked neighbour to merge into)` : `${key} 已没有地块 (the grid is empty)`;
      return { ok: false, changed: 0, report: { ok: false, violations: [{ code: blocks.length ? 'locked' : 'empty', grid: key, message }] } };
    }
    const r = applyStroke(a, blocks, a.grids[into], { ...this.options, allowEmpty: true });
    if (!r.report.ok) return { ok: false, report: r.report, changed: 0 };
    this.commit(r.assignment, r.changes);
    this.history.push({ label: `remove ${key}`, moves: this.moves(r.assignment, r.changes) });
    return { ok: true, report: r.report, changed: r.changes.length };
  }

  /** Replaces the whole assignment (an auto-balance proposal) as one undoable step. */
  replace(next: Assignment, label?: string): number {
    if (next.graph !== this.graph) throw new Error('proposal is on another block graph');
    let a = this.assignment;
    const changes: BlockChange[] = [];
    for (let b = 0; b < this.graph.n; b++) {
      const key = next.grids[next.blockGrid[b]];
      const [a2, to] = this.gridIndex(a, key);
      a = a2;
      if (a.blockGrid[b] !== to) changes.push({ block: b, from: a.blockGrid[b], to });
    }
    const blockGrid = a.blockGrid.slice();
    for (const c of changes) blockGrid[c.block] = c.to;
    const after: Assignment = { ...a, blockGrid, locked: next.locked };
    this.commit(after, changes);
    if (changes.length) this.history.push({ ...(label ? { label } : {}), moves: this.moves(after, changes) });
    return changes.length;
  }

  undo(): boolean {
    const step = this.history.undo();
    if (!step) return false;
    this.play(step, true);
    return true;
  }

  redo(): boolean {
    const step = this.history.redo();
    if (!step) return false;
    this.play(step, false);
    return true;
  }

  setLocked(key: GridKey, locked: boolean) {
    this.assignment = withLock(this.assignment, key, locked);
    this.preview.update(this.assignment, []);
  }

  toJSON(): SerializedEditor {
    return {
      version: 1,
      base: serializeAssignment(this.base),
      current: serializeAssignment(this.assignment),
      history: this.history.toJSON(),
    };
  }

  /** Restores a session saved with toJSON (e.g. from localStorage after a reload). */
  static fromJSON(graph: BlockGraph, raw: unknown, options: EditorOptions = {}): PlanEditor {
    const s = raw as SerializedEditor;
    if (!s || s.version !== 1 || !s.base || !s.current) throw new Error('不是有效的规划草稿 (not a saved plan session)');
    const base = deserializeAssignment(graph, s.base);
    const current = deserializeAssignment(graph, s.current);
    return new PlanEditor(base, options, current, PlanHistory.fromJSON(s.history));
  }

  private gridIndex(a: Assignment, key: GridKey): [Assignment, number] {
    const gi = a.grids.indexOf(key);
    if (gi >= 0) return [a, gi];
    return [{ ...a, grids: [...a.grids, key] }, a.grids.length];
  }

  private commit(next: Assignment, changes: BlockChange[]) {
    this.assignment = next;
    this.preview.update(next, changes);
  }

  private moves(a: Assignment, changes: BlockChange[]): HistoryStep['moves'] {
    return changes.map((c) => [this.graph.ids[c.block], a.grids[c.from], a.grids[c.to]]);
  }

  private play(step: HistoryStep, reverse: boolean) {
    let a = this.assignment;
    const changes: BlockChange[] = [];
    for (const [id, fromKey, toKey] of step.moves) {
      const b = this.graph.indexOf.get(id);
      if (b === undefined) continue;
      let from: number, to: number;
      [a, from] = this.gridIndex(a, reverse ? toKey : fromKey);
      [a, to] = this.gridIndex(a, reverse ? fromKey : toKey);
      changes.push({ block: b, from, to });
    }
    const blockGrid = a.blockGrid.slice();
    for (const c of changes) blockGrid[c.block] = c.to;
    this.commit({ ...a, blockGrid }, changes);
  }
}
