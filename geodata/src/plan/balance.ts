// Auto-balance: proposes grids for a community, every grid within a tolerance of the target,
// contiguous, respecting locked grids, moving as few households as possible.
//
// Method: ReCom (recombination, DeFord–Duchin–Solomon; cf. GerryChain's recom) run as "short
// bursts" (Cannon et al.): from the current grids, each step merges two adjacent grids, draws a
// random spanning tree of their blocks (random-weight Kruskal) and cuts one tree edge, so both
// parts are connected by construction. A burst is k steps; each burst restarts from the best plan
// seen, scored by (households beyond the tolerance, moved households + weighted boundary length
// between grids, largest deviation). Then a cleanup
// pass moves single blocks back to their original grid wherever that keeps tolerance and
// contiguity. Deterministic for a seed (a time limit, when given, is the one exception).
//
// The pieces live beside it: balance-prep.ts (grid count, target, refusals), spanning-tree.ts
// (the random spanning tree of two grids) and cut-search.ts (which tree edge to cut). This file
// keeps the chain: the state, the random draws, the bursts, the cleanup and the result.
import type { Assignment, GridKey } from './assignment.ts';
import { gridParts } from './assignment.ts';
import type { BlockGraph } from './graph.ts';
import { createRng, type Rng } from '../generate/random.ts';
import { balanceOf, type BalanceStats } from './stats.ts';
import { balanceSize, checkBalance, regionOfGrid, type BalanceReason } from './balance-prep.ts';
import { SubgraphTree } from './spanning-tree.ts';
import { findCuts, nearestHalfCut, subtreeKeepsFirst } from './cut-search.ts';

export type { BalanceReason, BalanceReasonCode } from './balance-prep.ts';

export interface BalanceOptions {
  /** Number of grids wanted; default the current number. */
  grids?: number;
  /**
   * Households per grid the plan aims at; default total households / grids. Every deviation (the
   * tolerance, the score, the result's figures) is measured against it.
   */
  target?: number;
  /** Allowed relative deviation from the target; default 0.1 (±10 %). */
  tolerance?: number;
  seed?: number;
  /** Steps per burst (default 10). */
  burstLength?: number;
  /** ReCom steps at most (default 10,000). */
  maxSteps?: number;
  /** Once within tolerance, stop after this many bursts without a better plan (default 60). */
  patience?: number;
  /** Wall-clock budget for the ReCom phase; makes the result depend on the machine's speed. */
  timeLimitMs?: number;
  /**
   * Weight of compactness against moved households: the score's second term is moved households
   * + w · (total households / the plan's boundary length between grids at the start) · the boundary
   * length now. With the default 0.2, doubling the boundary between grids costs as much as moving
   * 20 % of the households (on Enshi's largest communities: mean Polsby-Popper ~0.6 instead of
   * ~0.53, for ~5–10 % more households moved). 0: moved households only.
   */
  compactness?: number;
  /** Key of the i-th new grid (i = 1, 2, …) when more grids are asked for; default "new:i". */
  newGridKey?: (i: number) => GridKey;
  /** How a grid is named in both halves of a reason; default "网格 <key>" / "grid <key>". */
  label?: (key: GridKey) => string | undefined;
  onProgress?: (p: BalanceProgress) => void;
  /** Steps between progress callbacks (default 200). */
  progressEvery?: number;
  signal?: AbortSignal;
  shouldStop?: () => boolean;
}

export interface BalanceProgress {
  phase: 'recom' | 'cleanup' | 'done';
  steps: number;
  maxSteps: number;
  /** of the best plan so far */
  maxDeviationPct: number;
  movedHouseholds: number;
  withinTolerance: boolean;
  elapsedMs: number;
}

export type BalanceStatus = 'ok' | 'not_reached' | 'impossible' | 'cancelled';

export interface BalanceResult {
  status: BalanceStatus;
  /** Why not 'ok' (empty when ok). */
  reasons: BalanceReason[];
  /** The proposal (the input unchanged when impossible). */
  assignment: Assignment;
  grids: number;
  target: number;
  tolerance: number;
  before: BalanceStats;
  after: BalanceStats;
  movedHouseholds: number;
  movedBlocks: number;
  addedGrids: GridKey[];
  removedGrids: GridKey[];
  steps: number;
  /** ReCom steps that found a cut */
  accepted: number;
  cleanupMoves: number;
  elapsedMs: number;
  stepsPerSecond: number;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The balancing run as a state machine, so the async driver can pause between slices. */
class Balancer {
  readonly g: BlockGraph;
  readonly n: number;
  readonly keys: GridKey[];
  readonly lockedKeys: ReadonlySet<GridKey>;
  locked: Uint8Array;
  active: Uint8Array;
  cur: Int32Array;
  hh: Float64Array;
  readonly baseIdx: Int32Array;
  moved = 0;
  /** total boundary length (m) between different grids, and its weight in the score */
  boundary = 0;
  readonly alpha: number;
  bestBoundary = 0;
  readonly rng: Rng;
  readonly N: number;
  readonly T: number;
  readonly tol: number;
  readonly tolAbs: number;
  readonly maxSteps: number;
  readonly burst: number;
  readonly patience: number;
  readonly label?: (key: GridKey) => string | undefined;
  steps = 0;
  accepted = 0;
  cleanupMoves = 0;
  added: GridKey[] = [];
  removed: GridKey[] = [];
  // best plan of the short bursts
  bestCur: Int32Array;
  bestHh: Float64Array;
  bestMoved = 0;
  bestScore: [number, number, number] = [Infinity, Infinity, Infinity];
  sinceBetter = 0;
  inBurst = 0;
  startedAt = now();
  recomMs = 0;
  /** the spanning tree of the step (its buffers reused by every step) */
  private readonly tree: SubgraphTree;
  /** acceptable cuts of the step's tree */
  private readonly cand: Int32Array;
  private pairs: number[] = [];
  private seen = new Uint32Array(0);
  private hot = new Uint32Array(0);
  private epoch = 0;

  constructor(readonly input: Assignment, readonly opts: BalanceOptions) {
    const g = (this.g = input.graph);
    const n = (this.n = g.n);
    this.keys = [...input.grids];
    this.lockedKeys = input.locked;
    this.cur = input.blockGrid.slice();
    this.baseIdx = input.blockGrid.slice();
    const G = this.keys.length;
    this.locked = Uint8Array.from(this.keys, (k) => (input.locked.has(k) ? 1 : 0));
    this.active = new Uint8Array(G);
    this.hh = new Float64Array(G);
    for (let b = 0; b < n; b++) {
      this.active[this.cur[b]] = 1;
      this.hh[this.cur[b]] += g.households[b];
    }
    let activeCount = 0;
    for (let gi = 0; gi < G; gi++) activeCount += this.active[gi];
    const size = balanceSize(g.households, activeCount, opts);
    const total = size.total;
    this.N = size.grids;
    this.tol = size.tolerance;
    this.T = size.target;
    this.tolAbs = size.toleranceHouseholds;
    for (let b = 0; b < n; b++)
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++)
        if (g.adj[k] > b && this.cur[g.adj[k]] !== this.cur[b]) this.boundary += g.adjLength[k];
    this.alpha = this.boundary > 0 ? ((opts.compactness ?? 0.2) * total) / this.boundary : 0;
    this.bestBoundary = this.boundary;
    this.rng = createRng(opts.seed ?? 1);
    this.maxSteps = opts.maxSteps ?? 10_000;
    this.burst = Math.max(1, opts.burstLength ?? 10);
    this.patience = opts.patience ?? 60;
    this.label = opts.label;
    this.bestCur = this.cur.slice();
    this.bestHh = this.hh.slice();
    this.tree = new SubgraphTree(g);
    this.cand = new Int32Array(n);
  }

  activeHouseholds(hh = this.hh): number[] {
    const out: number[] = [];
    for (let gi = 0; gi < this.keys.length; gi++) if (this.active[gi]) out.push(hh[gi]);
    return out;
  }

  /** Impossibility checks, then adding or removing grids to reach N. */
  prepare(): BalanceReason[] {
    const { g, n } = this;
    const checked = checkBalance({
      g, keys: this.keys, cur: this.cur, active: this.active, locked: this.locked, hh: this.hh,
      grids: this.N, target: this.T, tolerance: this.tol, label: this.label,
    });
    if ('reasons' in checked) return checked.reasons;
    const { region, gridsPerRegion: k } = checked;
    const C = k.length;
    const compOf = (gi: number) => regionOfGrid(this.cur, region, gi);

    // Reach N grids: merge the smallest grid into its smallest neighbour, or split the largest.
    let newIndex = 0;
    for (let c = 0; c < C; c++) {
      const gridsIn = () => {
        const out: number[] = [];
        for (let gi = 0; gi < this.keys.length; gi++) if (this.active[gi] && !this.locked[gi] && compOf(gi) === c) out.push(gi);
        return out;
      };
      let have = gridsIn().length;
      while (have > k[c]) {
        const list = gridsIn().sort((a, b) => this.hh[a] - this.hh[b] || a - b);
        const small = list[0];
        let into = -1;
        for (let b = 0; b < n; b++) {
          if (this.cur[b] !== small) continue;
          for (let e = g.adjStart[b]; e < g.adjStart[b + 1]; e++) {
            const o = this.cur[g.adj[e]];
            if (o !== small && !this.locked[o] && (into < 0 || this.hh[o] < this.hh[into] || (this.hh[o] === this.hh[into] && o < into))) into = o;
          }
        }
        for (let b = 0; b < n; b++) if (this.cur[b] === small) this.relabel(b, into);
        this.active[small] = 0;
        this.removed.push(this.keys[small]);
        have--;
      }
      while (have < k[c]) {
        const list = gridsIn().sort((a, b) => this.hh[b] - this.hh[a] || a - b);
        let done = false;
        for (const big of list) {
          let key: GridKey;
          do key = (this.opts.newGridKey ?? ((i: number) => `new:${i}`))(++newIndex);
          while (this.keys.includes(key));
          if (this.splitInTwo(big, this.keys.length)) {
            this.keys.push(key);
            this.added.push(key);
            done = true;
            break;
          }
          newIndex--;
        }
        if (!done) break;
        have++;
      }
    }
    this.bestCur = this.cur.slice();
    this.bestHh = this.hh.slice();
    this.bestMoved = this.moved;
    this.bestBoundary = this.boundary;
    this.bestScore = this.score();
    return [];
  }

  private relabel(b: number, to: number) {
    const from = this.cur[b];
    if (from === to) return;
    const h = this.g.households[b];
    this.hh[from] -= h;
    this.hh[to] += h;
    if (from === this.baseIdx[b]) this.moved += h;
    else if (to === this.baseIdx[b]) this.moved -= h;
    const g = this.g;
    for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
      const c = this.cur[g.adj[k]];
      if (c === from) this.boundary += g.adjLength[k];
      else if (c === to) this.boundary -= g.adjLength[k];
    }
    this.cur[b] = to;
  }

  private growGrids(gi: number) {
    if (gi < this.hh.length) return;
    const grow = <A extends Float64Array | Uint8Array>(a: A, make: (len: number) => A): A => {
      const out = make(gi + 8);
      out.set(a);
      return out;
    };
    this.hh = grow(this.hh, (l) => new Float64Array(l));
    this.bestHh = grow(this.bestHh, (l) => new Float64Array(l));
    this.locked = grow(this.locked, (l) => new Uint8Array(l));
    this.active = grow(this.active, (l) => new Uint8Array(l));
  }

  /** Splits grid gi into gi and a new grid newGi, as near halves as a few random trees allow. */
  private splitInTwo(gi: number, newGi: number): boolean {
    const t = this.tree;
    let bestV = -1, bestD = Infinity;
    let chosen: { pre: Int32Array; pos: Int32Array; size: Int32Array } | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const m = t.build(this.cur, this.baseIdx, gi, gi, 0, this.rng);
      if (m < 2) return false;
      const { node, off } = nearestHalfCut(t);
      if (off < bestD) {
        bestD = off;
        bestV = node;
        chosen = { pre: t.pre.slice(0, m), pos: t.pos.slice(0, m), size: t.size.slice(0, m) };
      }
    }
    if (!chosen || bestV < 0) return false;
    this.growGrids(newGi);
    this.active[newGi] = 1;
    const start = chosen.pos[bestV], end = start + chosen.size[bestV];
    for (let i = start; i < end; i++) this.relabel(t.mem[chosen.pre[i]], newGi);
    t.clear();
    return true;
  }

  /**
   * (households beyond the tolerance summed over grids, moved households, largest deviation),
   * compared lexicographically. The first term is 0 exactly when every grid is within tolerance,
   * like the largest deviation, but it also rewards bringing in one of two equally bad grids,
   * which a max alone would not see (and a burst would then throw the progress away).
   */
  score(hh = this.hh, moved = this.moved): [number, number, number] {
    // second term: moved households plus the weighted boundary between grids (compactness)
    let worst = 0, excess = 0;
    for (let gi = 0; gi < this.keys.length; gi++)
      if (this.active[gi]) {
        const d = Math.abs(hh[gi] - this.T);
        worst = Math.max(worst, d);
        if (d > this.tolAbs) excess += d - this.tolAbs;
      }
    // round so float noise does not make equal plans look better
    return [Math.round(excess * 1e6) / 1e6, Math.round((moved + this.alpha * this.boundary) * 1e6) / 1e6, this.T > 0 ? worst / this.T : 0];
  }

  private static better(a: [number, number, number], b: [number, number, number]) {
    return a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2] - 1e-12)));
  }

  /** One ReCom step. Returns whether a cut was made. */
  step(): boolean {
    const { g, rng, T, tolAbs } = this;
    // adjacent pairs of unlocked grids, and the worst grid
    const G = this.keys.length;
    let worst = -1, worstDev = -1;
    for (let gi = 0; gi < G; gi++)
      if (this.active[gi] && !this.locked[gi]) {
        const d = Math.abs(this.hh[gi] - T);
        if (d > worstDev) {
          worstDev = d;
          worst = gi;
        }
      }
    const pairs = this.pairs;
    pairs.length = 0;
    if (this.seen.length < G * G) this.seen = new Uint32Array(G * G);
    const seen = this.seen;
    const epoch = ++this.epoch;
    for (let b = 0; b < this.n; b++) {
      const ga = this.cur[b];
      if (this.locked[ga]) continue;
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
        const gb = this.cur[g.adj[k]];
        if (gb <= ga || this.locked[gb]) continue;
        const key = ga * G + gb;
        if (seen[key] !== epoch) {
          seen[key] = epoch;
          pairs.push(ga, gb);
        }
      }
    }
    if (!pairs.length) return false;
    let pa: number, pb: number;
    const pick = (list: number[]) => list[Math.floor(rng.next() * list.length)];
    const all = () => {
      const i = 2 * Math.floor((rng.next() * pairs.length) / 2);
      return i;
    };
    let i: number;
    if (worstDev > tolAbs) {
      // out of tolerance: mostly work on the worst grid
      const withWorst: number[] = [];
      if (rng.next() < 0.6) for (let j = 0; j < pairs.length; j += 2) if (pairs[j] === worst || pairs[j + 1] === worst) withWorst.push(j);
      i = withWorst.length ? pick(withWorst) : all();
    } else {
      // within tolerance: mostly work on pairs holding blocks that left one for the other, where
      // a new cut can give households back
      const hot: number[] = [];
      if (rng.next() < 0.7) {
        if (this.hot.length < G * G) this.hot = new Uint32Array(G * G);
        for (let b = 0; b < this.n; b++) {
          const c = this.cur[b], o = this.baseIdx[b];
          if (c !== o) this.hot[c < o ? c * G + o : o * G + c] = epoch;
        }
        for (let j = 0; j < pairs.length; j += 2) if (this.hot[pairs[j] * G + pairs[j + 1]] === epoch) hot.push(j);
      }
      i = hot.length ? pick(hot) : all();
    }
    pa = pairs[i];
    pb = pairs[i + 1];
    const cross = rng.next() < 0.5 ? 1 : 0;
    const t = this.tree;
    const m = t.build(this.cur, this.baseIdx, pa, pb, cross, rng);
    if (m < 2) return false;
    const pairDev = Math.max(Math.abs(this.hh[pa] - T), Math.abs(this.hh[pb] - T));
    const greedy = rng.next() < 0.5;
    if (greedy) t.cutLengths();
    const { count, best } = findCuts(t, {
      target: T, bound: Math.max(tolAbs, pairDev) + 1e-9, greedy, outOfTolerance: pairDev > tolAbs, alpha: this.alpha,
    }, this.cand);
    if (count === 0) {
      t.clear();
      return false;
    }
    const v = greedy ? best : this.cand[Math.floor(rng.next() * count)];
    // label the subtree with whichever grid keeps more households where they were
    const subLabel = subtreeKeepsFirst(t, v) ? pa : pb;
    const restLabel = subLabel === pa ? pb : pa;
    const start = t.pos[v], end = start + t.size[v];
    for (let i = 0; i < m; i++) {
      const p = t.pos[i];
      this.relabel(t.mem[i], p >= start && p < end ? subLabel : restLabel);
    }
    t.clear();
    return true;
  }

  /** Runs ReCom steps until done or the deadline; returns true when the ReCom phase is over. */
  run(deadline = Infinity): boolean {
    const t0 = now();
    const every = this.opts.progressEvery ?? 200;
    const limitAt = this.opts.timeLimitMs !== undefined ? this.startedAt + this.opts.timeLimitMs : Infinity;
    try {
      while (this.steps < this.maxSteps) {
        if (this.bestScore[0] === 0 && this.sinceBetter >= this.patience) return true;
        if (this.stopRequested()) return true;
        const t = now();
        if (t > limitAt) return true;
        if (t > deadline) return false;
        if (this.step()) this.accepted++;
        this.steps++;
        const s = this.score();
        if (Balancer.better(s, this.bestScore)) {
          this.bestScore = s;
          this.bestCur.set(this.cur);
          this.bestHh.set(this.hh);
          this.bestMoved = this.moved;
          this.bestBoundary = this.boundary;
          this.sinceBetter = 0;
          this.inBurst = 0; // a new best starts a fresh burst from itself
        }
        // a stalled search gets longer bursts (up to 8×): a path out of a local optimum may need
        // more steps through worse plans than a short burst allows
        if (++this.inBurst >= this.burst * Math.min(8, 1 + Math.floor(this.sinceBetter / 10))) {
          this.inBurst = 0;
          this.sinceBetter++;
          this.cur.set(this.bestCur);
          this.hh.set(this.bestHh);
          this.moved = this.bestMoved;
          this.boundary = this.bestBoundary;
        }
        if (this.opts.onProgress && this.steps % every === 0) this.opts.onProgress(this.progress('recom'));
      }
      return true;
    } finally {
      this.recomMs += now() - t0;
    }
  }

  stopRequested(): boolean {
    return !!(this.opts.signal?.aborted || this.opts.shouldStop?.());
  }

  progress(phase: BalanceProgress['phase']): BalanceProgress {
    return {
      phase,
      steps: this.steps,
      maxSteps: this.maxSteps,
      maxDeviationPct: 100 * this.bestScore[2],
      movedHouseholds: this.bestMoved,
      withinTolerance: this.bestScore[0] === 0,
      elapsedMs: now() - this.startedAt,
    };
  }

  /** Back to the best plan, then single-block moves back to the original grid that keep every rule and lower the score. */
  cleanup() {
    this.cur.set(this.bestCur);
    this.hh.set(this.bestHh);
    this.moved = this.bestMoved;
    this.boundary = this.bestBoundary;
    const { g, n, T, tolAbs } = this;
    const count = new Int32Array(this.hh.length);
    for (let b = 0; b < n; b++) count[this.cur[b]]++;
    // largest blocks first: each move gives back the most households
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => g.households[b] - g.households[a] || a - b);
    for (let pass = 0; pass < 20; pass++) {
      let movedAny = false;
      for (const b of order) {
        const from = this.cur[b], to = this.baseIdx[b];
        if (from === to || !this.active[to] || this.locked[to] || this.locked[from] || count[from] < 2) continue;
        let touches = false;
        for (let k = g.adjStart[b]; k < g.adjStart[b + 1] && !touches; k++) touches = this.cur[g.adj[k]] === to;
        if (!touches) continue;
        const h = g.households[b];
        const before = Math.max(Math.abs(this.hh[from] - T), Math.abs(this.hh[to] - T));
        const after = Math.max(Math.abs(this.hh[from] - h - T), Math.abs(this.hh[to] + h - T));
        if (after > Math.max(tolAbs, before) + 1e-9) continue;
        // the move must also pay for any boundary it adds
        let dB = 0;
        for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
          const c = this.cur[g.adj[k]];
          if (c === from) dB += g.adjLength[k];
          else if (c === to) dB -= g.adjLength[k];
        }
        if (-h + this.alpha * dB >= 0) continue;
        this.cur[b] = to;
        const ok = gridParts(g, this.cur, from).parts === 1;
        this.cur[b] = from;
        if (!ok) continue;
        this.relabel(b, to);
        count[from]--;
        count[to]++;
        this.cleanupMoves++;
        movedAny = true;
      }
      if (!movedAny) break;
    }
  }
}

function result(bal: Balancer, status: BalanceStatus, reasons: BalanceReason[]): BalanceResult {
  const input = bal.input;
  const beforeHh: number[] = [];
  const hh0 = new Float64Array(input.grids.length);
  const used = new Uint8Array(input.grids.length);
  for (let b = 0; b < bal.n; b++) {
    hh0[input.blockGrid[b]] += bal.g.households[b];
    used[input.blockGrid[b]] = 1;
  }
  for (let gi = 0; gi < input.grids.length; gi++) if (used[gi]) beforeHh.push(hh0[gi]);
  const impossible = status === 'impossible';
  const assignment: Assignment = impossible
    ? input
    : { graph: bal.g, grids: [...bal.keys], blockGrid: bal.cur.slice(), locked: input.locked };
  let movedBlocks = 0, moved = 0;
  for (let b = 0; b < bal.n; b++)
    if (assignment.grids[assignment.blockGrid[b]] !== input.grids[input.blockGrid[b]]) {
      movedBlocks++;
      moved += bal.g.households[b];
    }
  const elapsedMs = now() - bal.startedAt;
  return {
    status,
    reasons,
    assignment,
    grids: bal.N,
    target: bal.T,
    tolerance: bal.tol,
    before: balanceOf(beforeHh, bal.T),
    after: impossible ? balanceOf(beforeHh, bal.T) : balanceOf(bal.activeHouseholds(), bal.T),
    movedHouseholds: moved,
    movedBlocks,
    addedGrids: impossible ? [] : bal.added,
    removedGrids: impossible ? [] : bal.removed,
    steps: bal.steps,
    accepted: bal.accepted,
    cleanupMoves: bal.cleanupMoves,
    elapsedMs,
    stepsPerSecond: bal.recomMs > 0 ? (1000 * bal.steps) / bal.recomMs : 0,
  };
}

function finish(bal: Balancer): BalanceResult {
  const cancelled = bal.stopRequested();
  bal.cleanup();
  const s = bal.score();
  bal.opts.onProgress?.(bal.progress('done'));
  if (cancelled)
    return result(bal, 'cancelled', [{ code: 'cancelled', message: '已取消，给出目前最好的方案 (cancelled: the best plan so far)' }]);
  if (s[0] > 0)
    return result(bal, 'not_reached', [{
      code: 'not_reached',
      message: `${bal.steps} 步后最大偏差仍为 ${(100 * s[2]).toFixed(1)}%，未达到 ±${(100 * bal.tol).toFixed(0)}%；地块太粗或形状所限，可增加步数或放宽容差 ` +
        `(after ${bal.steps} steps the largest deviation is still ${(100 * s[2]).toFixed(1)}%, not within ±${(100 * bal.tol).toFixed(0)}%: try more steps or a wider tolerance)`,
    }]);
  return result(bal, 'ok', []);
}

/** Runs auto-balance to the end on the calling thread. */
export function autoBalance(a: Assignment, options: BalanceOptions = {}): BalanceResult {
  const bal = new Balancer(a, options);
  const reasons = bal.prepare();
  if (reasons.length) return result(bal, 'impossible', reasons);
  bal.run();
  return finish(bal);
}

/**
 * The same run in slices of `sliceMs`, yielding to the event loop between them so a Web Worker
 * can receive a cancel message (the AbortSignal / shouldStop are checked every step). The plan
 * does not depend on the slicing: same seed, same result.
 */
export async function autoBalanceAsync(a: Assignment, options: BalanceOptions = {}, sliceMs = 25): Promise<BalanceResult> {
  const bal = new Balancer(a, options);
  const reasons = bal.prepare();
  if (reasons.length) return result(bal, 'impossible', reasons);
  while (!bal.run(now() + sliceMs)) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  return finish(bal);
}
