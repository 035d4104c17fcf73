// Spanning trees of the blocks of one or two grids: ReCom's proposal. Cutting any one edge of a
// spanning tree leaves two connected parts, so a plan built from such cuts is contiguous by
// construction. The tree is a minimum spanning tree under random edge weights (Kruskal), which
// draws from the trees of the subgraph without building a uniform sampler.
//
// Kept apart from the balancer because it depends on nothing but the graph, the current and
// original block → grid indexes and the random draws: it can be checked on a small graph, and
// the balancer reads only its outputs. Every buffer is allocated once per graph and reused by
// each step (a step must not allocate: auto-balance runs thousands of them).
import type { BlockGraph } from './graph.ts';
import type { Rng } from '../generate/random.ts';

const ints = (count: number, length: number) => Array.from({ length: count }, () => new Int32Array(length));
const floats = (count: number, length: number) => Array.from({ length: count }, () => new Float64Array(length));

/**
 * A spanning tree of the blocks of grids ga ∪ gb, as local nodes 0..m−1 (mem[i] is node i's
 * block, loc[block] its node or −1), rooted at node 0: preorder (pre[k] is the k-th node, pos[v]
 * its place in pre, size[v] its subtree's node count, so v's subtree is pre[pos[v] .. pos[v] +
 * size[v])), parent and depth, and subtree households (sub; subG / subH: those of them whose
 * original grid is ga / gb). It also keeps every edge of the subgraph (ends ea/eb, length el) for
 * cutLengths.
 */
export class SubgraphTree {
  /** blocks in the tree (0 after clear) */
  m = 0;
  /** edges of the subgraph, tree or not */
  edgeCount = 0;
  readonly loc: Int32Array;
  readonly mem: Int32Array;
  readonly pre: Int32Array;
  readonly pos: Int32Array;
  readonly size: Int32Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly sub: Float64Array;
  readonly subG: Float64Array;
  readonly subH: Float64Array;
  /** boundary length between each node's subtree and the rest, after cutLengths */
  readonly cutLen: Float64Array;
  readonly ea: Int32Array;
  readonly eb: Int32Array;
  readonly el: Float64Array;
  private readonly ew: Float64Array;
  private readonly order: Uint32Array;
  private readonly uf: Int32Array;
  private readonly stack: Int32Array;
  // the tree's adjacency as linked lists: thead[v] → (tto, tnext) …
  private readonly thead: Int32Array;
  private readonly tnext: Int32Array;
  private readonly tto: Int32Array;

  constructor(readonly g: BlockGraph) {
    const n = g.n;
    // every adjacency is stored in both directions; + 1 keeps an edgeless graph's buffers non-empty
    const E = g.adj.length / 2 + 1;
    this.loc = new Int32Array(n).fill(-1);
    [this.mem, this.pre, this.pos, this.size, this.parent, this.depth, this.uf, this.stack, this.thead] = ints(9, n);
    [this.tnext, this.tto] = ints(2, 2 * n);
    [this.sub, this.subG, this.subH, this.cutLen] = floats(4, n);
    [this.ea, this.eb] = ints(2, E);
    [this.ew, this.el] = floats(2, E);
    this.order = new Uint32Array(E);
  }

  /** Forgets the last tree's blocks (loc back to −1). */
  clear() {
    for (let i = 0; i < this.m; i++) this.loc[this.mem[i]] = -1;
    this.m = 0;
  }

  /**
   * Builds the tree of the blocks whose grid in `cur` is ga or gb. Edges between the two grids
   * weigh `cross` more, so with cross = 1 the tree keeps each grid's own tree joined by one edge.
   * `base` is the original block → grid index (for subG / subH). Draws one random number per
   * edge of the subgraph, in block order. Returns the block count m, or 0 when the blocks are
   * not connected.
   */
  build(cur: Int32Array, base: Int32Array, ga: number, gb: number, cross: number, rng: Rng): number {
    const { g, loc, mem } = this;
    this.clear();
    let m = 0;
    for (let b = 0; b < g.n; b++)
      if (cur[b] === ga || cur[b] === gb) {
        loc[b] = m;
        mem[m++] = b;
      }
    this.m = m;
    const { ea, eb, ew, el, order, uf } = this;
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
          el[E] = g.adjLength[k];
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
    this.orderTree(m, base, ga, gb);
    return m;
  }

  /** Preorder, parents, depths and subtree sums of the tree just built. */
  private orderTree(m: number, base: Int32Array, ga: number, gb: number) {
    const { g, mem, thead, tnext, tto, pre, pos, size, sub, subG, subH, stack, parent, depth } = this;
    // preorder by an explicit stack; pos −1: unvisited, −2: queued
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
          pos[u] = -2;
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
      subG[i] = base[b] === ga ? h : 0;
      subH[i] = base[b] === gb ? h : 0;
    }
    for (let i = m - 1; i > 0; i--) {
      const v = pre[i];
      // parent: the tree neighbour with the smaller preorder position
      let par = -1;
      for (let k = thead[v]; k >= 0; k = tnext[k]) if (pos[tto[k]] < pos[v]) { par = tto[k]; break; }
      parent[v] = par;
      size[par] += size[v];
      sub[par] += sub[v];
      subG[par] += subG[v];
      subH[par] += subH[v];
    }
    parent[pre[0]] = -1;
    depth[pre[0]] = 0;
    for (let i = 1; i < m; i++) depth[pre[i]] = depth[parent[pre[i]]] + 1;
  }

  /**
   * cutLen[v]: the boundary length between the subtree of v and the rest, for every node at
   * once: each edge (x, y) adds its length to the nodes on the tree path from x and from y up to
   * (not including) their lowest common ancestor, the subtrees that hold one end only.
   */
  cutLengths() {
    const { cutLen, parent, depth, ea, eb, el } = this;
    cutLen.fill(0, 0, this.m);
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
}
