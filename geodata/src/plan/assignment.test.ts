import { describe, expect, it } from 'vitest';
import { applyStroke, checkAssignment, createAssignment, deserializeAssignment, serializeAssignment, withLock } from './assignment.ts';
import { latticeGraph } from './graph.ts';

// 4 × 4 lattice, ids row by row (1..4 bottom row); grid "1" the left half, "2" the right half
const g = latticeGraph(4, 4);
const id = (x: number, y: number) => y * 4 + x + 1;
const halves = () => {
  const m = new Map<number, string>();
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) m.set(id(x, y), x < 2 ? '1' : '2');
  return createAssignment(g, m);
};

describe('assignment and strokes', () => {
  it('needs every block assigned', () => {
    expect(() => createAssignment(g, new Map([[1, '1']]))).toThrow(/15 个地块没有网格/);
    expect(checkAssignment(halves()).ok).toBe(true);
  });

  it('applies a stroke that keeps both grids contiguous', () => {
    const a = halves();
    const r = applyStroke(a, [id(2, 0), id(2, 1)], '1');
    expect(r.report).toEqual({ ok: true, violations: [] });
    expect(r.changes).toHaveLength(2);
    expect(r.touched.sort()).toEqual(['1', '2']);
    expect(r.assignment.grids[r.assignment.blockGrid[id(2, 0) - 1]]).toBe('1');
    expect(a.blockGrid[id(2, 0) - 1]).toBe(1); // the input is not mutated
  });

  it('reports a stroke that splits the source grid, naming the grid and the parts', () => {
    // taking row y = 1 of grid 2 leaves its row y = 0 cut off from rows 2–3
    const r = applyStroke(halves(), [id(2, 1), id(3, 1)], '1');
    expect(r.report.ok).toBe(false);
    expect(r.report.violations).toEqual([
      expect.objectContaining({ code: 'not_contiguous', grid: '2', parts: 2, message: '网格 2不连通，分成 2 块 (grid 2 would be split into 2 parts)' }),
    ]);
    // the page's own name of the grid, in its reader's language, in both halves (never the key alone)
    const named = applyStroke(halves(), [id(2, 1), id(3, 1)], '1', { label: (key) => (key === '2' ? 'Grid 7' : undefined) });
    expect(named.report.violations[0].message).toBe('Grid 7不连通，分成 2 块 (Grid 7 would be split into 2 parts)');
  });

  it('reports a destination that does not touch the painted blocks', () => {
    const r = applyStroke(halves(), [id(3, 3)], 'new:1');
    expect(r.report.ok).toBe(true); // one block: a new contiguous grid
    const r2 = applyStroke(halves(), [id(3, 3), id(3, 0)], 'new:1');
    expect(r2.report.violations).toEqual([expect.objectContaining({ code: 'not_contiguous', grid: 'new:1', parts: 2 })]);
  });

  it('reports an emptied grid unless removing it is allowed', () => {
    const left = [0, 1, 2, 3].flatMap((y) => [id(0, y), id(1, y)]);
    const r = applyStroke(halves(), left, '2');
    expect(r.report.violations).toEqual([expect.objectContaining({ code: 'empty', grid: '1' })]);
    expect(applyStroke(halves(), left, '2', { allowEmpty: true }).report.ok).toBe(true);
  });

  it('reports locked grids and unknown blocks', () => {
    const a = withLock(halves(), '2', true);
    expect(applyStroke(a, [id(2, 0)], '1').report.violations).toEqual([expect.objectContaining({ code: 'locked', grid: '2' })]);
    expect(applyStroke(a, [id(1, 0)], '2').report.violations).toEqual([expect.objectContaining({ code: 'locked', grid: '2' })]);
    expect(applyStroke(halves(), [999], '1').report.violations).toEqual([expect.objectContaining({ code: 'unknown_block', block: 999 })]);
  });

  it('round-trips through JSON', () => {
    const a = withLock(applyStroke(halves(), [id(2, 0)], 'new:3').assignment, '1', true);
    const b = deserializeAssignment(g, JSON.parse(JSON.stringify(serializeAssignment(a))));
    expect(b.grids).toEqual(a.grids);
    expect(Array.from(b.blockGrid)).toEqual(Array.from(a.blockGrid));
    expect([...b.locked]).toEqual(['1']);
  });
});
