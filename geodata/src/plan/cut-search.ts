// Choosing which edge of a spanning tree to cut. Removing the edge above node v splits the tree
// into v's subtree and the rest; the cut is acceptable when both sides hold a number of
// households near the target. This is the whole of ReCom's balance constraint, written as pure
// functions of a built tree so the rule can be tested on small trees without running a chain;
// the balancer draws the random numbers and applies the cut.
import type { SubgraphTree } from './spanning-tree.ts';

export interface CutRule {
  /** households per grid aimed at */
  target: number;
  /** the most households either side may be off the target (tolerance, or the pair's current worst) */
  bound: number;
  /** whether to look for the best cut as well as list the acceptable ones */
  greedy: boolean;
  /** with greedy: true when the pair is out of tolerance, so being nearer the target comes first */
  outOfTolerance: boolean;
  /** weight of a cut's boundary length against moved households (needs tree.cutLengths() first) */
  alpha: number;
}

export interface CutChoice {
  /** acceptable cuts, listed in cand[0 .. count) as the node below the cut, in preorder */
  count: number;
  /** with greedy: the best acceptable cut's node, else −1 */
  best: number;
}

/**
 * Lists every acceptable cut of the tree into `cand`. With `greedy`, also picks the best: when
 * out of tolerance the one nearest the target (ties: the cheaper), else the cheapest (ties: the
 * nearer), where a cut's cost is the households it takes away from their original grid plus
 * alpha × the boundary it draws. The original grids are the tree's ga and gb (subG / subH).
 */
export function findCuts(t: SubgraphTree, rule: CutRule, cand: Int32Array): CutChoice {
  const { pre, sub, subG, subH, cutLen, m } = t;
  const { target: T, bound, greedy, outOfTolerance, alpha } = rule;
  const P = sub[pre[0]], totA = subG[pre[0]], totB = subH[pre[0]];
  let count = 0, best = -1, bestDev = Infinity, bestCost = Infinity;
  for (let i = 1; i < m; i++) {
    const v = pre[i];
    const s = sub[v];
    const d = Math.max(Math.abs(s - T), Math.abs(P - s - T));
    if (d > bound) continue;
    cand[count++] = v;
    if (greedy) {
      // households this cut moves away from their grid, plus the weighted boundary it draws
      const cost = P - Math.max(subG[v] + totB - subH[v], subH[v] + totA - subG[v]) + alpha * cutLen[v];
      const better = outOfTolerance
        ? d < bestDev - 1e-9 || (Math.abs(d - bestDev) <= 1e-9 && cost < bestCost)
        : cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && d < bestDev);
      if (better) {
        best = v;
        bestDev = d;
        bestCost = cost;
      }
    }
  }
  return { count, best };
}

/**
 * Whether v's subtree should keep grid ga (true) or gb: the labelling that leaves more
 * households in the grid they started in (ties: ga).
 */
export function subtreeKeepsFirst(t: SubgraphTree, v: number): boolean {
  const { pre, subG, subH } = t;
  const totA = subG[pre[0]], totB = subH[pre[0]];
  return subG[v] + totB - subH[v] >= subH[v] + totA - subG[v];
}

/** The cut nearest to halving the tree's households: its node and its distance from half (first found on ties). */
export function nearestHalfCut(t: SubgraphTree): { node: number; off: number } {
  const { pre, sub, m } = t;
  const P = sub[pre[0]];
  let node = -1, off = Infinity;
  for (let i = 1; i < m; i++) {
    const v = pre[i];
    const d = Math.abs(sub[v] - P / 2);
    if (d < off) {
      off = d;
      node = v;
    }
  }
  return { node, off };
}
