// Live preview statistics of a plan, updated per stroke from the blocks that changed grid
// (only the grids a stroke touches change; the summary over all grids is O(grids)).
import type { Assignment, BlockChange, GridKey } from './assignment.ts';
import type { BlockGraph } from './graph.ts';

export interface GridStats {
  key: GridKey;
  households: number;
  inDifficulty: number;
  /** Linked cadres: distinct when the graph has cadreIds, else the sum of the blocks' counts. */
  cadres: number;
  blocks: number;
  /** m² */
  area: number;
  /** m: the blocks' perimeters minus twice the boundary they share inside the grid */
  perimeter: number;
  /** 4πA/P²: 1 for a disc, π/4 for a square, towards 0 for a sprawling grid */
  polsbyPopper: number;
  /** households − target */
  deviation: number;
  /** 100 · deviation / target */
  deviationPct: number;
  locked: boolean;
}

export interface BalanceStats {
  /** non-empty grids */
  grids: number;
  households: number;
  target: number;
  min: number;
  max: number;
  mean: number;
  /** population standard deviation of households per grid */
  std: number;
  /** (max − min) / target */
  spread: number;
  /** the largest |households − target| / target, in % */
  maxDeviationPct: number;
}

export interface PreviewStats {
  grids: GridStats[];
  balance: BalanceStats;
  /** households (and blocks) whose grid differs from the base plan's */
  movedHouseholds: number;
  movedBlocks: number;
}

export interface PreviewOptions {
  /** Households per grid to measure deviation against; default the mean of the non-empty grids. */
  target?: number;
  /** The plan moves are counted against; default the assignment the preview starts from. */
  base?: Assignment;
}

/** Summary statistics of households per grid against a target. */
export function balanceOf(households: readonly number[], target: number): BalanceStats {
  const n = households.length;
  let min = Infinity, max = -Infinity, sum = 0, worst = 0;
  for (const h of households) {
    min = Math.min(min, h);
    max = Math.max(max, h);
    sum += h;
    worst = Math.max(worst, Math.abs(h - target));
  }
  const mean = n ? sum / n : 0;
  let sq = 0;
  for (const h of households) sq += (h - mean) ** 2;
  return {
    grids: n,
    households: sum,
    target,
    min: n ? min : 0,
    max: n ? max : 0,
    mean,
    std: n ? Math.sqrt(sq / n) : 0,
    spread: n && target > 0 ? (max - min) / target : 0,
    maxDeviationPct: target > 0 ? (100 * worst) / target : 0,
  };
}

export class PlanPreview {
  readonly graph: BlockGraph;
  private keys: GridKey[];
  private locked: ReadonlySet<GridKey>;
  private readonly cur: Int32Array;
  private readonly baseKey: GridKey[];
  private readonly fixedTarget: number | undefined;
  private hh: number[] = [];
  private diff: number[] = [];
  private cadreSum: number[] = [];
  private cadreSets: Map<number, number>[] | undefined;
  private count: number[] = [];
  private area: number[] = [];
  private perimSum: number[] = [];
  private internal: number[] = [];
  private moved = 0;
  private movedBlocks = 0;

  constructor(a: Assignment, options: PreviewOptions = {}) {
    this.graph = a.graph;
    this.keys = [...a.grids];
    this.locked = a.locked;
    this.cur = a.blockGrid.slice();
    this.fixedTarget = options.target;
    const base = options.base ?? a;
    if (base.graph !== a.graph) throw new Error('base plan is on another block graph');
    this.baseKey = Array.from(base.blockGrid, (gi) => base.grids[gi]);
    if (this.graph.cadreIds) this.cadreSets = [];
    for (let gi = 0; gi < this.keys.length; gi++) this.addGrid();
    const g = this.graph;
    for (let b = 0; b < g.n; b++) {
      const gi = this.cur[b];
      this.add(b, gi, 1);
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++)
        if (g.adj[k] > b && this.cur[g.adj[k]] === gi) this.internal[gi] += g.adjLength[k];
      if (this.keys[gi] !== this.baseKey[b]) {
        this.moved += g.households[b];
        this.movedBlocks++;
      }
    }
  }

  private addGrid() {
    this.hh.push(0);
    this.diff.push(0);
    this.cadreSum.push(0);
    this.cadreSets?.push(new Map());
    this.count.push(0);
    this.area.push(0);
    this.perimSum.push(0);
    this.internal.push(0);
  }

  private add(b: number, gi: number, sign: 1 | -1) {
    const g = this.graph;
    this.hh[gi] += sign * g.households[b];
    this.diff[gi] += sign * g.inDifficulty[b];
    this.cadreSum[gi] += sign * g.cadres[b];
    this.count[gi] += sign;
    this.area[gi] += sign * g.area[b];
    this.perimSum[gi] += sign * g.perimeter[b];
    if (this.cadreSets && g.cadreIds) {
      const set = this.cadreSets[gi];
      for (const c of g.cadreIds[b]) {
        const n = (set.get(c) ?? 0) + sign;
        if (n > 0) set.set(c, n);
        else set.delete(c);
      }
    }
  }

  /** Follows a stroke (or an undo/redo): `a` is the assignment after `changes`. */
  update(a: Assignment, changes: readonly BlockChange[]) {
    while (this.keys.length < a.grids.length) {
      this.keys.push(a.grids[this.keys.length]);
      this.addGrid();
    }
    this.locked = a.locked;
    const g = this.graph;
    for (const { block: b, to } of changes) {
      const from = this.cur[b];
      if (from === to) continue;
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
        const u = this.cur[g.adj[k]];
        if (u === from) this.internal[from] -= g.adjLength[k];
        else if (u === to) this.internal[to] += g.adjLength[k];
      }
      this.add(b, from, -1);
      this.add(b, to, 1);
      const was = this.keys[from] !== this.baseKey[b];
      const now = this.keys[to] !== this.baseKey[b];
      if (was !== now) {
        this.moved += now ? g.households[b] : -g.households[b];
        this.movedBlocks += now ? 1 : -1;
      }
      this.cur[b] = to;
    }
  }

  /** Households per grid to measure against. */
  target(): number {
    if (this.fixedTarget !== undefined) return this.fixedTarget;
    let sum = 0, n = 0;
    for (let gi = 0; gi < this.keys.length; gi++)
      if (this.count[gi] > 0) {
        sum += this.hh[gi];
        n++;
      }
    return n ? sum / n : 0;
  }

  stats(): PreviewStats {
    const target = this.target();
    const grids: GridStats[] = [];
    for (let gi = 0; gi < this.keys.length; gi++) {
      if (this.count[gi] === 0) continue;
      const perimeter = this.perimSum[gi] - 2 * this.internal[gi];
      const deviation = this.hh[gi] - target;
      grids.push({
        key: this.keys[gi],
        households: this.hh[gi],
        inDifficulty: this.diff[gi],
        cadres: this.cadreSets ? this.cadreSets[gi].size : this.cadreSum[gi],
        blocks: this.count[gi],
        area: this.area[gi],
        perimeter,
        polsbyPopper: perimeter > 0 ? (4 * Math.PI * this.area[gi]) / (perimeter * perimeter) : 0,
        deviation,
        deviationPct: target > 0 ? (100 * deviation) / target : 0,
        locked: this.locked.has(this.keys[gi]),
      });
    }
    return {
      grids,
      balance: balanceOf(grids.map((s) => s.households), target),
      movedHouseholds: this.moved,
      movedBlocks: this.movedBlocks,
    };
  }
}

/** One-off statistics of an assignment (no incremental state kept). */
export function planStats(a: Assignment, options: PreviewOptions = {}): PreviewStats {
  return new PlanPreview(a, options).stats();
}
