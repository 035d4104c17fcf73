import { describe, expect, it } from 'vitest';
import { createAssignment, latticeGraph } from '@grid-atlas/geodata/plan';
import { blocksBounds, brushBlocks, carryColours, diffBlocks, freeGridNumber, colourGrids, gridAdjacency, gridLabelPoints, ringCentroid } from './blocks.ts';

// 6 × 3 lattice (block index = y * 6 + x), grids by column pairs: a | b | c
const g = latticeGraph(6, 3, () => 1);
const stripes = () => createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, 'abc'[Math.floor((i % 6) / 2)]])));

describe('planner block helpers', () => {
  it('grows a brush ring by ring, and keeps it to one grid when asked', () => {
    expect(brushBlocks(g, 7, 1)).toEqual([7]);
    expect(brushBlocks(g, 7, 2).sort((x, y) => x - y)).toEqual([1, 6, 7, 8, 13]);
    expect(brushBlocks(g, 7, 3)).toHaveLength(10);
    const a = stripes();
    // block 7 is (1,1) in grid a; its neighbour 8 is (2,1) in grid b
    expect(brushBlocks(g, 7, 2, a.blockGrid, a.blockGrid[7]).sort((x, y) => x - y)).toEqual([1, 6, 7, 13]);
  });

  it('carries colours to the grids that hold the same blocks after a reload with new keys', () => {
    const before = stripes();
    const colours = new Map([['a', 0], ['b', 3], ['c', 5]]);
    // "b" was a new grid, now saved as "17"; "a" and "c" keep their keys; one block of c went to a
    const after = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, i === 4 ? 'a' : ['a', '17', 'c'][Math.floor((i % 6) / 2)]])));
    const carried = carryColours(before, colours, after);
    expect(carried).toEqual(new Map([['a', 0], ['17', 3], ['c', 5]]));
    // two grids made of one old grid's blocks: the larger part keeps the colour, the other is left to colourGrids
    const split = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, i % 6 < 2 ? (i < 12 ? 'x' : 'y') : 'abc'[Math.floor((i % 6) / 2)]])));
    const c2 = carryColours(before, colours, split);
    expect(c2.get('x')).toBe(0);
    expect(c2.has('y')).toBe(false);
    expect(colourGrids(split, 6, c2).get('y')).not.toBe(0);
  });

  it('gives neighbouring grids different colours and keeps colours already given', () => {
    const a = stripes();
    expect([...gridAdjacency(a).get(1)!].sort()).toEqual([0, 2]);
    const c = colourGrids(a, 6);
    expect(c.get('a')).not.toBe(c.get('b'));
    expect(c.get('b')).not.toBe(c.get('c'));
    const again = colourGrids(a, 6, new Map([['a', 4]]));
    expect(again.get('a')).toBe(4);
    expect(again.get('b')).not.toBe(4);
  });

  it('puts each grid label on one of its own blocks', () => {
    const a = stripes();
    const centroids = Array.from({ length: g.n }, (_, i) => [i % 6, Math.floor(i / 6)] as [number, number]);
    const labels = gridLabelPoints(a, centroids);
    expect(labels.get('a')).toEqual([0, 1]);
    expect(labels.get('c')![0]).toBeGreaterThanOrEqual(4);
    expect(ringCentroid([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]])).toEqual([1, 1]);
  });

  it("frames the blocks' outer rings, of polygons and multipolygons alike", () => {
    const square = (x: number, y: number) => [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]];
    expect(blocksBounds([
      { geometry: { type: 'Polygon', coordinates: square(2, 3) } },
      // the second part of a multipolygon counts; a hole never reaches past its shell
      { geometry: { type: 'MultiPolygon', coordinates: [square(0, 5), square(7, -1)] } },
    ])).toEqual([0, -1, 8, 6]);
  });

  it('lists the blocks two assignments put in different grids', () => {
    const a = stripes();
    expect(diffBlocks(a, a)).toEqual([]);
    // block 2 (column 2, grid b) and block 9 (column 3, grid b) painted into grid a
    const b = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, i === 2 || i === 9 ? 'a' : 'abc'[Math.floor((i % 6) / 2)]])));
    expect(diffBlocks(a, b)).toEqual([2, 9]);
    expect(diffBlocks(b, a)).toEqual([2, 9]);
  });

  it('finds the lowest grid number not in use', () => {
    expect(freeGridNumber([])).toBe(1);
    expect(freeGridNumber([1, 2, 4])).toBe(3);
    expect(freeGridNumber([3, 1, 2])).toBe(4);
  });
});
