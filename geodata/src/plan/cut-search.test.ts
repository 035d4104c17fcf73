import { describe, expect, it } from 'vitest';
import { createRng } from '../generate/random.ts';
import { findCuts, nearestHalfCut, subtreeKeepsFirst, type CutRule } from './cut-search.ts';
import { latticeGraph } from './graph.ts';
import { SubgraphTree } from './spanning-tree.ts';

// A path of 6 blocks of 10 households: its only spanning tree is the path, rooted at block 0, so
// node v's subtree is blocks v..5 (60 − 10·v households). Grid a held blocks 0–1, grid b 2–5.
const g = latticeGraph(6, 1, () => 10);
const cur = new Int32Array(6); // both grids are merged for the step: every block in grid 0
const base = Int32Array.from([0, 0, 1, 1, 1, 1]);
const tree = () => {
  const t = new SubgraphTree(g);
  expect(t.build(cur, base, 0, 1, 0, createRng(1))).toBe(6);
  return t;
};
const rule = (r: Partial<CutRule>): CutRule => ({ target: 30, bound: 10 + 1e-9, greedy: true, outOfTolerance: false, alpha: 0, ...r });

describe('cut search', () => {
  it('lists the cuts that leave both sides within the bound of the target', () => {
    const t = tree();
    const cand = new Int32Array(6);
    const { count } = findCuts(t, rule({ greedy: false }), cand);
    expect(Array.from(cand.subarray(0, count))).toEqual([2, 3, 4]);
    expect(findCuts(t, rule({ bound: 1e-9 }), cand).count).toBe(1);
    expect(findCuts(t, rule({ target: 100 }), cand)).toEqual({ count: 0, best: -1 });
  });

  it('within tolerance picks the cut that moves the fewest households from their grid', () => {
    // cut above block 2 gives back exactly the original grids
    expect(findCuts(tree(), rule({}), new Int32Array(6)).best).toBe(2);
  });

  it('out of tolerance picks the cut nearest the target first', () => {
    expect(findCuts(tree(), rule({ outOfTolerance: true }), new Int32Array(6)).best).toBe(3);
  });

  it('weighs the boundary a cut draws when alpha > 0', () => {
    // every cut of a path crosses one 100 m edge: equal lengths leave the choice to the households
    const t = tree();
    t.cutLengths();
    expect(Array.from(t.cutLen.subarray(1, 6))).toEqual([100, 100, 100, 100, 100]);
    expect(findCuts(t, rule({ alpha: 5 }), new Int32Array(6)).best).toBe(2);
  });

  it('labels a subtree with the grid that keeps more households where they were', () => {
    const t = tree();
    expect(subtreeKeepsFirst(t, 2)).toBe(false); // blocks 2–5 were all b
    expect(subtreeKeepsFirst(t, 4)).toBe(false);
    // block 5 alone: 30 households stay put either way, and a tie keeps the first grid
    expect(subtreeKeepsFirst(t, 5)).toBe(true);
    const flipped = new SubgraphTree(g);
    flipped.build(cur, Int32Array.from([1, 1, 0, 0, 0, 0]), 0, 1, 0, createRng(1));
    expect(subtreeKeepsFirst(flipped, 2)).toBe(true);
  });

  it('finds the cut nearest to halving the households', () => {
    expect(nearestHalfCut(tree())).toEqual({ node: 3, off: 0 });
  });
});
