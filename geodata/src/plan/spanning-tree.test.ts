import { describe, expect, it } from 'vitest';
import { createRng } from '../generate/random.ts';
import { createAssignment } from './assignment.ts';
import { latticeGraph, sharedLength } from './graph.ts';
import { SubgraphTree } from './spanning-tree.ts';

// 6 × 5 blocks with uneven households: grid a is the left 2 columns, b the middle 2, c the right 2
const W = 6, H = 5;
const g = latticeGraph(W, H, (x, y) => 1 + ((x * 5 + y * 3) % 7));
const a = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, 'abc'[Math.floor((i % W) / 2)]])));
const [A, B] = [a.grids.indexOf('a'), a.grids.indexOf('b')];
// the "original" grids differ from the current ones: column 1 started in b
const base = a.blockGrid.map((gi, i) => (i % W === 1 ? B : gi));

/** The tree's nodes below v (v included), by walking parents: independent of the preorder. */
const below = (t: SubgraphTree, v: number) => {
  const out: number[] = [];
  for (let u = 0; u < t.m; u++) for (let x = u; x >= 0; x = t.parent[x]) if (x === v) { out.push(u); break; }
  return out;
};

describe('spanning tree of two grids', () => {
  it('spans exactly the blocks of both grids with graph edges, in a preorder whose subtrees are contiguous', () => {
    const t = new SubgraphTree(g);
    const m = t.build(a.blockGrid, base, A, B, 0, createRng(3));
    expect(m).toBe(20);
    const blocks = Array.from(t.mem.subarray(0, m));
    expect(blocks).toEqual(g.ids.map((_, i) => i).filter((i) => i % W < 4));
    blocks.forEach((b, i) => expect(t.loc[b]).toBe(i));
    expect(t.parent[0]).toBe(-1);
    for (let v = 1; v < m; v++) {
      // every node hangs on a neighbour in the graph, one level up
      expect(sharedLength(g, t.mem[v], t.mem[t.parent[v]])).toBeGreaterThan(0);
      expect(t.depth[v]).toBe(t.depth[t.parent[v]] + 1);
    }
    for (let v = 0; v < m; v++) {
      expect(t.pre[t.pos[v]]).toBe(v);
      const inSubtree = below(t, v);
      expect(new Set(Array.from(t.pre.subarray(t.pos[v], t.pos[v] + t.size[v])))).toEqual(new Set(inSubtree));
      const sum = (keep: (b: number) => boolean) => inSubtree.reduce((s, u) => s + (keep(t.mem[u]) ? g.households[t.mem[u]] : 0), 0);
      expect(t.sub[v]).toBe(sum(() => true));
      expect(t.subG[v]).toBe(sum((b) => base[b] === A));
      expect(t.subH[v]).toBe(sum((b) => base[b] === B));
    }
  });

  it('is the same tree for the same draws, and crosses between the grids once when cross edges weigh 1 more', () => {
    const t = new SubgraphTree(g);
    t.build(a.blockGrid, base, A, B, 1, createRng(9));
    const parents = Array.from(t.parent.subarray(0, t.m));
    let crossing = 0;
    for (let v = 1; v < t.m; v++) if (a.blockGrid[t.mem[v]] !== a.blockGrid[t.mem[t.parent[v]]]) crossing++;
    expect(crossing).toBe(1);
    t.build(a.blockGrid, base, A, B, 1, createRng(9));
    expect(Array.from(t.parent.subarray(0, t.m))).toEqual(parents);
    t.build(a.blockGrid, base, A, B, 1, createRng(10));
    expect(Array.from(t.parent.subarray(0, t.m))).not.toEqual(parents);
  });

  it('measures the boundary between each subtree and the rest of the two grids', () => {
    const t = new SubgraphTree(g);
    const m = t.build(a.blockGrid, base, A, B, 0, createRng(5));
    t.cutLengths();
    for (let v = 0; v < m; v++) {
      const inside = new Set(below(t, v).map((u) => t.mem[u]));
      let len = 0;
      for (const b of inside)
        for (let k = g.adjStart[b]; k < g.adjStart[b + 1]; k++) {
          const u = g.adj[k];
          if (!inside.has(u) && t.loc[u] >= 0) len += g.adjLength[k];
        }
      expect(t.cutLen[v]).toBeCloseTo(len, 9);
    }
  });

  it('answers 0 for blocks that are not connected, and forgets its blocks when cleared', () => {
    const t = new SubgraphTree(g);
    const C = a.grids.indexOf('c');
    expect(t.build(a.blockGrid, base, A, C, 0, createRng(1))).toBe(0);
    t.clear();
    expect(t.m).toBe(0);
    expect(Array.from(t.loc).every((x) => x === -1)).toBe(true);
  });
});
