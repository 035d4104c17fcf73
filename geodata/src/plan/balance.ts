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
import type { Assignment, GridKey } from './assignment.ts';
import { gridParts } from './assignment.ts';
import type { BlockGraph } from './graph.ts';
import { createRng, type Rng } from '../generate/random.ts';
import { balanceOf, type BalanceStats } from './stats.ts';

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
  /** How a grid is named in reasons; default "网格 <key>". */
  label?: (key: GridKey) => string;
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

export type BalanceReasonCode =
  | 'bad_grid_count'
  | 'block_too_large'
  | 'locked_out_of_tolerance'
  | 'locked_remainder'
  | 'not_contiguous'
  | 'not_reached'
  | 'cancelled';

export interface BalanceReason {
  code: BalanceReasonCode;
  grid?: GridKey;
  block?: number;
  /** Chinese (English) */
  message: string;
}

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
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const defaultLabel = (key: GridKey) => (key.startsWith('new:') ? `新网格 ${key.slice(4)}` : `网格 ${key}`);

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
  readonly label: (key: GridKey) => string;
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
  // scratch for one step, sized n
  private loc: Int32Array;
  private mem: Int32Array;
  private ea: Int32Array;
  private eb: Int32Array;
  private ew: Float64Array;
  private order: Uint32Array;
  private uf: Int32Array;
  private thead: Int32Array;
  private tnext: Int32Array;
  private tto: Int32Array;
  private pre: Int32Array;
  private pos: Int32Array;
  private size: Int32Array;
  private sub: Float64Array;
  private subG: Float64Array;
  private subH: Float64Array;
  private cand: Int32Array;
  private stack: Int32Array;
  private el: Float64Array;
  private parent: Int32Array;
  private depth: Int32Array;
  private cutLen: Float64Array;
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
    this.N = opts.grids ?? activeCount;
    this.tol = opts.tolerance ?? 0.1;
    let total = 0;
    for (let b = 0; b < n; b++) total += g.households[b];
    this.T = opts.target !== undefined && opts.target > 0 ? opts.target : this.N > 0 ? total / this.N : 0;
    this.tolAbs = this.tol * this.T;
    for (let b = 0; b < n; b++)
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++)
        if (g.adj[k] > b && this.cur[g.adj[k]] !== this.cur[b]) this.boundary += g.adjLength[k];
    this.alpha = this.boundary > 0 ? ((opts.compactness ?? 0.2) * total) / this.boundary : 0;
    this.bestBoundary = this.boundary;
    this.rng = createRng(opts.seed ?? 1);
    this.maxSteps = opts.maxSteps ?? 10_000;
    this.burst = Math.max(1, opts.burstLength ?? 10);
    this.patience = opts.patience ?? 60;
    this.label = opts.label ?? defaultLabel;
    this.bestCur = this.cur.slice();
    this.bestHh = this.hh.slice();
    this.loc = new Int32Array(n).fill(-1);
    this.mem = new Int32Array(n);
    const E = g.adj.length / 2 + 1;
    this.ea = new Int32Array(E);
    this.eb = new Int32Array(E);
    this.ew = new Float64Array(E);
    this.order = new Uint32Array(E);
    this.uf = new Int32Array(n);
    this.thead = new Int32Array(n);
    this.tnext = new Int32Array(2 * n);
    this.tto = new Int32Array(2 * n);
    this.pre = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.size = new Int32Array(n);
    this.sub = new Float64Array(n);
    this.subG = new Float64Array(n);
    this.subH = new Float64Array(n);
    this.cand = new Int32Array(n);
    this.stack = new Int32Array(n);
    this.el = new Float64Array(E);
    this.parent = new Int32Array(n);
    this.depth = new Int32Array(n);
    this.cutLen = new Float64Array(n);
  }

  activeHouseholds(hh = this.hh): number[] {
    const out: number[] = [];
    for (let gi = 0; gi < this.keys.length; gi++) if (this.active[gi]) out.push(hh[gi]);
    return out;
  }

  /** Impossibility checks, then adding or removing grids to reach N. */
  prepare(): BalanceReason[] {
    const { g, n, N, T, tol } = this;
    const reasons: BalanceReason[] = [];
    const lockedActive: number[] = [];
    let unlockedBlocks = 0;
    for (let gi = 0; gi < this.keys.length; gi++) if (this.active[gi] && this.locked[gi]) lockedActive.push(gi);
    for (let b = 0; b < n; b++) if (!this.locked[this.cur[b]]) unlockedBlocks++;
    const L = lockedActive.length;
    if (!Number.isInteger(N) || N < 1)
      return [{ code: 'bad_grid_count', message: `网格数必须是正整数 (the number of grids must be a positive integer): ${N}` }];
    if (N < L || N > L + unlockedBlocks)
      return [{
        code: 'bad_grid_count',
        message: `${N} 个网格不可行：${L} 个已锁定，其余只有 ${unlockedBlocks} 个地块 (${N} grids impossible: ${L} locked, ${unlockedBlocks} blocks left to share)`,
      }];
    const lo = T * (1 - tol), hi = T * (1 + tol);
    for (const gi of lockedActive)
      if (this.hh[gi] < lo || this.hh[gi] > hi)
        reasons.push({
          code: 'locked_out_of_tolerance',
          grid: this.keys[gi],
          message: `${this.label(this.keys[gi])}已锁定，但有 ${this.hh[gi]} 户，偏离目标 ${T.toFixed(0)} 户 ${pct(this.hh[gi] / T - 1)}，超出容差 ±${(100 * tol).toFixed(0)}% ` +
            `(${this.keys[gi]} is locked with ${this.hh[gi]} households, ${pct(this.hh[gi] / T - 1)} from the target ${T.toFixed(0)}, outside ±${(100 * tol).toFixed(0)}%)`,
        });
    const big: number[] = [];
    for (let b = 0; b < n; b++) if (!this.locked[this.cur[b]] && g.households[b] > hi) big.push(b);
    for (const b of big.slice(0, 5))
      reasons.push({
        code: 'block_too_large',
        block: g.ids[b],
        message: `地块 ${g.ids[b]} 有 ${g.households[b]} 户，一个网格最多 ${Math.floor(hi)} 户 (目标 ${T.toFixed(0)} 户 ±${(100 * tol).toFixed(0)}%) ` +
          `(block ${g.ids[b]} alone has ${g.households[b]} households, more than a grid may hold: ${Math.floor(hi)})`,
      });
    for (let gi = 0; gi < this.keys.length; gi++) {
      if (!this.active[gi] || this.locked[gi]) continue;
      const { parts } = gridParts(g, this.cur, gi);
      if (parts > 1)
        reasons.push({
          code: 'not_contiguous',
          grid: this.keys[gi],
          message: `${this.label(this.keys[gi])}现在就不连通 (${parts} 块)，请先修正 (${this.keys[gi]} is already split into ${parts} parts; fix it first)`,
        });
    }
    if (reasons.length) return reasons;

    // Unlocked regions between locked grids: grids cannot cross from one to another, so each
    // region's households must fit its own grids.
    const comp = new Int32Array(n).fill(-1);
    const compHh: number[] = [], compBlocks: number[] = [];
    for (let s = 0; s < n; s++) {
      if (comp[s] >= 0 || this.locked[this.cur[s]]) continue;
      const c = compHh.length;
      compHh.push(0);
      compBlocks.push(0);
      let top = 0;
      this.stack[top++] = s;
      comp[s] = c;
      while (top) {
        const v = this.stack[--top];
        compHh[c] += g.households[v];
        compBlocks[c]++;
        for (let k = g.adjStart[v]; k < g.adjStart[v + 1]; k++) {
          const u = g.adj[k];
          if (comp[u] < 0 && !this.locked[this.cur[u]]) {
            comp[u] = c;
            this.stack[top++] = u;
          }
        }
      }
    }
    const C = compHh.length;
    const compOf = (gi: number) => {
      for (let b = 0; b < n; b++) if (this.cur[b] === gi) return comp[b];
      return -1;
    };
    const k = new Array<number>(C).fill(0);
    for (let gi = 0; gi < this.keys.length; gi++) if (this.active[gi] && !this.locked[gi]) k[compOf(gi)]++;
    if (N - L < C)
      return [{
        code: 'bad_grid_count',
        message: `锁定的网格把其余地块分成 ${C} 片，至少需要 ${L + C} 个网格 (locked grids split the rest into ${C} areas: at least ${L + C} grids are needed)`,
      }];
    let diff = N - L - k.reduce((s, x) => s + x, 0);
    while (diff > 0) {
      let best = -1;
      for (let c = 0; c < C; c++) if (k[c] < compBlocks[c] && (best < 0 || compHh[c] / k[c] > compHh[best] / k[best])) best = c;
      if (best < 0) break;
      k[best]++;
      diff--;
    }
    while (diff < 0) {
      let best = -1;
      for (let c = 0; c < C; c++) if (k[c] > 1 && (best < 0 || compHh[c] / k[c] < compHh[best] / k[best])) best = c;
      if (best < 0) break;
      k[best]--;
      diff++;
    }
    for (let c = 0; c < C; c++)
      if (compHh[c] < k[c] * lo - 1e-9 || compHh[c] > k[c] * hi + 1e-9)
        reasons.push({
          code: 'locked_remainder',
          message: L
            ? `锁定网格之外的${C > 1 ? `第 ${c + 1} 片` : ''}地块共 ${compHh[c]} 户，分成 ${k[c]} 个网格每格 ${(compHh[c] / k[c]).toFixed(0)} 户，无法都在目标 ${T.toFixed(0)} 户 ±${(100 * tol).toFixed(0)}% 之内 ` +
              `(outside the locked grids, ${compHh[c]} households in ${k[c]} grids make ${(compHh[c] / k[c]).toFixed(0)} each: not within ±${(100 * tol).toFixed(0)}% of ${T.toFixed(0)})`
            : `${compHh[c]} 户分成 ${k[c]} 个网格每格 ${(compHh[c] / k[c]).toFixed(0)} 户，无法都在目标 ${T.toFixed(0)} 户 ±${(100 * tol).toFixed(0)}% 之内 ` +
              `(${compHh[c]} households cannot make ${k[c]} grids within ±${(100 * tol).toFixed(0)}% of ${T.toFixed(0)})`,
        });
    if (reasons.length) return reasons;

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
    let bestV = -1, bestD = Infinity;
    let chosen: { pre: Int32Array; pos: Int32Array; size: Int32Array } | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const m = this.tree(gi, gi, 0);
      if (m < 2) return false;
      const P = this.sub[this.pre[0]];
      for (let i = 1; i < m; i++) {
        const v = this.pre[i];
        const d = Math.abs(this.sub[v] - P / 2);
        if (d < bestD) {
          bestD = d;
          bestV = v;
          chosen = { pre: this.pre.slice(0, m), pos: this.pos.slice(0, m), size: this.size.slice(0, m) };
        }
      }
    }
    if (!chosen || bestV < 0) return false;
    this.growGrids(newGi);
    this.active[newGi] = 1;
    const start = chosen.pos[bestV], end = start + chosen.size[bestV];
    for (let i = start; i < end; i++) this.relabel(this.mem[chosen.pre[i]], newGi);
    this.clearLoc();
    return true;
  }

  private mCount = 0;
  private edgeCount = 0;
  private clearLoc() {
    for (let i = 0; i < this.mCount; i++) this.loc[this.mem[i]] = -1;
    this.mCount = 0;
  }

  /**
   * A random spanning tree (random-weight Kruskal) of the blocks of grids ga ∪ gb, rooted at
   * local node 0, in preorder (pre, pos, size) with subtree households (sub; subG/subH: those
   * whose original grid is ga/gb). Edges between the two grids weigh `cross` more, so with
   * cross = 1 the tree keeps each grid's own tree joined by one edge. Returns the block count,
   * or 0 when the blocks are not connected.
   */
  private tree(ga: number, gb: number, cross: number): number {
    const { g, n, cur, loc, mem } = this;
    this.clearLoc();
    let m = 0;
    for (let b = 0; b < n; b++)
      if (cur[b] === ga || cur[b] === gb) {
        loc[b] = m;
        mem[m++] = b;
      }
    this.mCount = m;
    const { ea, eb, ew, order, uf, rng } = this;
    let E = 0;
    for (let i = 0; i < m; i++) {
      const b = mem[i];
      for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
        const u = g.adj[k];
        const j = loc[u];
        if (j > i) {
          ea[E] = i;
          eb[E] = j;
          ew[E] = rng.next() + (cur[b] !== cur[u] ? cross : 0);
          this.el[E] = g.adjLength[k];
          order[E] = E;
          E++;
        }
      }
    }
    const ord = order.subarray(0, E).sort((p, q) => ew[p] - ew[q]);
    for (let i = 0; i < m; i++) uf[i] = i;
    const find = (x: number) => {
      while (uf[x] !== x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
      }
      return x;
    };
    this.edgeCount = E;
    const { thead, tnext, tto } = this;
    thead.fill(-1, 0, m);
    let t = 0, joined = 0;
    for (let k = 0; k < E && joined < m - 1; k++) {
      const e = ord[k];
      const ra = find(ea[e]), rb = find(eb[e]);
      if (ra === rb) continue;
      uf[ra] = rb;
      joined++;
      tto[t] = eb[e]; tnext[t] = thead[ea[e]]; thead[ea[e]] = t++;
      tto[t] = ea[e]; tnext[t] = thead[eb[e]]; thead[eb[e]] = t++;
    }
    if (joined < m - 1) return 0;
    // preorder by an explicit stack; parent via pos (-1 unvisited)
    const { pre, pos, size, sub, subG, subH, stack } = this;
    pos.fill(-1, 0, m);
    let top = 0, p = 0;
    stack[top++] = 0;
    pos[0] = 0;
    while (top) {
      const v = stack[--top];
      pre[p] = v;
      pos[v] = p++;
      for (let k = thead[v]; k >= 0; k = tnext[k]) {
        const u = tto[k];
        if (pos[u] < 0) {
          pos[u] = -2; // queued
          stack[top++] = u;
        }
      }
    }
    // sizes and subtree sums in reverse preorder; a node's parent precedes it in preorder
    for (let i = 0; i < m; i++) {
      const b = mem[i];
      const h = g.households[b];
      size[i] = 1;
      sub[i] = h;
      subG[i] = this.baseIdx[b] === ga ? h : 0;
      subH[i] = this.baseIdx[b] === gb ? h : 0;
    }
    for (let i = m - 1; i > 0; i--) {
      const v = pre[i];
      // parent: the tree neighbour with the smaller preorder position
      let par = -1;
      for (let k = thead[v]; k >= 0; k = tnext[k]) if (pos[tto[k]] < pos[v]) { par = tto[k]; break; }
      this.parent[v] = par;
      size[par] += size[v];
      sub[par] += sub[v];
      subG[par] += subG[v];
      subH[par] += subH[v];
    }
    this.parent[pre[0]] = -1;
    this.depth[pre[0]] = 0;
    for (let i = 1; i < m; i++) this.depth[pre[i]] = this.depth[this.parent[pre[i]]] + 1;
    return m;
  }

  /**
   * cutLen[v]: the boundary length between the subtree of v and the rest, for every node at
   * once: each edge (x, y) adds its length to the nodes on the tree path from x and from y up to
   * (not including) their lowest common ancestor, the subtrees that hold one end only.
   */
  private cutLengths(m: number) {
    const { cutLen, parent, depth, ea, eb, el } = this;
    cutLen.fill(0, 0, m);
    for (let e = 0; e < this.edgeCount; e++) {
      let x = ea[e], y = eb[e];
      const L = el[e];
      while (x !== y) {
        if (depth[x] >= depth[y]) {
          cutLen[x] += L;
          x = parent[x];
        } else {
          cutLen[y] += L;
          y = parent[y];
        }
      }
    }
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
    const m = this.tree(pa, pb, cross);
    if (m < 2) return false;
    const { pre, sub, subG, subH, cand } = this;
    const P = sub[pre[0]], totA = subG[pre[0]], totB = subH[pre[0]];
    const pairDev = Math.max(Math.abs(this.hh[pa] - T), Math.abs(this.hh[pb] - T));
    const bound = Math.max(tolAbs, pairDev) + 1e-9;
    const greedy = rng.next() < 0.5;
    if (greedy) this.cutLengths(m);
    const { cutLen, alpha } = this;
    let nc = 0, bestI = -1, bestDev = Infinity, bestCost = Infinity;
    for (let i = 1; i < m; i++) {
      const v = pre[i];
      const s = sub[v];
      const d = Math.max(Math.abs(s - T), Math.abs(P - s - T));
      if (d > bound) continue;
      cand[nc++] = v;
      if (greedy) {
        // households this cut moves away from their grid, plus the weighted boundary it draws
        const cost = P - Math.max(subG[v] + totB - subH[v], subH[v] + totA - subG[v]) + alpha * cutLen[v];
        const better = pairDev > tolAbs
          ? d < bestDev - 1e-9 || (Math.abs(d - bestDev) <= 1e-9 && cost < bestCost)
          : cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && d < bestDev);
        if (better) {
          bestI = v;
          bestDev = d;
          bestCost = cost;
        }
      }
    }
    if (nc === 0) {
      this.clearLoc();
      return false;
    }
    const v = greedy ? bestI : cand[Math.floor(rng.next() * nc)];
    // label the subtree with whichever grid keeps more households where they were
    const keptIfA = subG[v] + totB - subH[v];
    const keptIfB = subH[v] + totA - subG[v];
    const subLabel = keptIfA >= keptIfB ? pa : pb;
    const restLabel = subLabel === pa ? pb : pa;
    const start = this.pos[v], end = start + this.size[v];
    for (let i = 0; i < m; i++) {
      const p = this.pos[i];
      this.relabel(this.mem[i], p >= start && p < end ? subLabel : restLabel);
    }
    this.clearLoc();
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
