import { describe, expect, it } from 'vitest';
import { comparePlans, gridNumber, type BlockFigures, type PlanSide } from './compare.ts';

// Six blocks in a row; block id k holds 10·k households and k 困难户.
const blocks = new Map<number, BlockFigures>([1, 2, 3, 4, 5, 6].map((k) => [k, { households: 10 * k, in_difficulty: k }]));

// A: existing grids 101 (number 1) and 102 (number 2), split 1–3 | 4–6.
const a: PlanSide = {
  assignments: [1, 2, 3, 4, 5, 6].map((block) => ({ block, grid: block <= 3 ? 101 : 102 })),
  numbers: new Map([['101', 1], ['102', 2]]),
};
// B: grid 1 keeps 1–2, grid 2 takes 3–4, a new grid 3 takes 5–6.
const b: PlanSide = {
  assignments: [1, 2, 3, 4, 5, 6].map((block) => ({ block, grid: block <= 2 ? '101' : block <= 4 ? '102' : 'new:3' })),
  numbers: new Map([['101', 1], ['102', 2]]),
};

describe('comparing two plans', () => {
  it('gives each grid number its households in both plans and the difference', () => {
    const c = comparePlans(a, b, blocks, 70);
    expect(c.rows).toEqual([
      { number: 1, a: { blocks: 3, households: 60, in_difficulty: 6 }, b: { blocks: 2, households: 30, in_difficulty: 3 }, diff: -30, diffDifficulty: -3 },
      { number: 2, a: { blocks: 3, households: 150, in_difficulty: 15 }, b: { blocks: 2, households: 70, in_difficulty: 7 }, diff: -80, diffDifficulty: -8 },
      { number: 3, a: null, b: { blocks: 2, households: 110, in_difficulty: 11 }, diff: 110, diffDifficulty: 11 },
    ]);
  });

  it('lists the blocks whose grid differs and the households on them', () => {
    const c = comparePlans(a, b, blocks, 70);
    // block 3 goes 1 → 2, blocks 5 and 6 go 2 → 3; block 4 stays in grid 2
    expect(c.differing).toEqual([3, 5, 6]);
    expect(c.differingHouseholds).toBe(30 + 50 + 60);
    expect(c.differingDifficulty).toBe(3 + 5 + 6);
    expect(comparePlans(a, a, blocks, 70).differing).toEqual([]);
  });

  it('measures each plan by its largest deviation from the target', () => {
    const c = comparePlans(a, b, blocks, 70);
    expect(c.maxDeviationA).toBeCloseTo((100 * 80) / 70, 6); // grid 2: 150 against 70
    expect(c.maxDeviationB).toBeCloseTo((100 * 40) / 70, 6); // grid 1: 30, grid 3: 110
    expect(comparePlans(a, b, blocks, 0).maxDeviationA).toBeNull();
  });

  it('matches grids by number, so an existing grid and a new grid of the same number are one row', () => {
    const renumbered: PlanSide = { assignments: a.assignments.map((x) => ({ block: x.block, grid: x.grid === 101 ? 'new:1' : x.grid })), numbers: new Map([['102', 2]]) };
    expect(gridNumber(renumbered, 'new:1')).toBe(1);
    expect(gridNumber(renumbered, 999)).toBeNull();
    const c = comparePlans(a, renumbered, blocks, 70);
    expect(c.differing).toEqual([]);
    expect(c.rows.map((r) => r.diff)).toEqual([0, 0]);
  });

  it('counts a block only one plan assigns as differing, and a block not loaded as holding no one', () => {
    const more: PlanSide = { assignments: [...b.assignments, { block: 7, grid: '101' }], numbers: b.numbers };
    const c = comparePlans(b, more, blocks, 70);
    expect(c.differing).toEqual([7]);
    expect(c.differingHouseholds).toBe(0);
    expect(c.rows[0].b!.blocks).toBe(3);
  });
});
