import { describe, expect, it } from 'vitest';
import { assignmentToRecord, checkAssignment, createAssignment, withLock, type Assignment } from './assignment.ts';
import { autoBalance, autoBalanceAsync, type BalanceResult } from './balance.ts';
import { latticeGraph } from './graph.ts';
import { planStats } from './stats.ts';

// 24 × 12 lattice, 6 vertical stripes 1, 2, 3, 4, 6 and 8 columns wide: from −80 % to +110 % of the mean
const W = 24, H = 12;
const g = latticeGraph(W, H, (x, y) => 5 + ((x * 7 + y * 13) % 11));
const stripes = (widths: number[]) => {
  const stripe = (x: number) => {
    let acc = 0, k = 0;
    while (x >= acc + widths[k]) acc += widths[k++];
    return String(k + 1);
  };
  return createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, stripe(i % W)])));
};
const unbalanced = () => stripes([1, 2, 3, 4, 6, 8]);

function expectValid(r: BalanceResult, grids: number, tolerance = 0.1) {
  const s = planStats(r.assignment, { target: r.target });
  expect(s.grids).toHaveLength(grids);
  for (const grid of s.grids) expect(Math.abs(grid.deviation)).toBeLessThanOrEqual(tolerance * r.target + 1e-9);
  expect(checkAssignment(r.assignment).ok).toBe(true);
  expect(s.balance.households).toBe(planStats(unbalanced()).balance.households);
}

describe('auto-balance (ReCom with short bursts)', () => {
  it('brings an unbalanced lattice within ±10 % of the target, contiguous, moving fewer households than a redraw', () => {
    const before = planStats(unbalanced());
    expect(before.balance.maxDeviationPct).toBeGreaterThan(80);
    const r = autoBalance(unbalanced(), { seed: 1 });
    expect(r.status).toBe('ok');
    expect(r.reasons).toEqual([]);
    expectValid(r, 6);
    expect(r.after.maxDeviationPct).toBeLessThanOrEqual(10 + 1e-9);
    expect(r.before.maxDeviationPct).toBeCloseTo(before.balance.maxDeviationPct, 9);
    // at least the households the small stripes lack must move; far fewer than all of them
    expect(r.movedHouseholds).toBeGreaterThan(0);
    expect(r.movedHouseholds).toBeLessThan(0.5 * before.balance.households);
    expect(r.movedHouseholds).toBe(planStats(r.assignment, { base: unbalanced() }).movedHouseholds);
    expect(r.steps).toBeGreaterThan(0);
  });

  it('weighs compactness: the default plan draws less boundary between grids than moved households alone', () => {
    const meanPP = (r: BalanceResult) => {
      const s = planStats(r.assignment).grids;
      return s.reduce((a, x) => a + x.polsbyPopper, 0) / s.length;
    };
    const plain = autoBalance(unbalanced(), { seed: 1, compactness: 0 });
    const compact = autoBalance(unbalanced(), { seed: 1 });
    expect(plain.status).toBe('ok');
    expect(compact.status).toBe('ok');
    expect(meanPP(compact)).toBeGreaterThan(meanPP(plain));
  });

  it('aims at a target the caller gives: every deviation is measured against it, and one too far from the mean is refused', () => {
    const total = planStats(unbalanced()).balance.households;
    const target = Math.round((total / 6) * 1.05);
    const r = autoBalance(unbalanced(), { seed: 1, target, tolerance: 0.1 });
    expect(r.status).toBe('ok');
    expect(r.target).toBe(target);
    expectValid(r, 6);
    // the result's figures are the table's figures at that target
    expect(r.after.maxDeviationPct).toBeCloseTo(planStats(r.assignment, { target }).balance.maxDeviationPct, 9);
    // 6 grids cannot all hold about half the mean: refused before any step, naming the numbers
    const far = autoBalance(unbalanced(), { seed: 1, target: Math.round(total / 12), tolerance: 0.1 });
    expect(far.status).toBe('impossible');
    expect(far.steps).toBe(0);
    expect(far.reasons[0].message).toContain(`目标 ${Math.round(total / 12)} 户 ±10%`);
  });

  it('moves nothing when the grids are already balanced', () => {
    const even = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, String(1 + Math.floor((i % W) / 4))])));
    const r = autoBalance(even, { seed: 3, tolerance: 0.2 });
    expect(planStats(even).balance.maxDeviationPct).toBeLessThan(20);
    expect(r.status).toBe('ok');
    expect(r.movedHouseholds).toBe(0);
  });

  it('is deterministic for a seed, and the async run (sliced, yielding) gives the same plan', async () => {
    const a = autoBalance(unbalanced(), { seed: 7 });
    const b = autoBalance(unbalanced(), { seed: 7 });
    expect(assignmentToRecord(b.assignment)).toEqual(assignmentToRecord(a.assignment));
    expect(b.steps).toBe(a.steps);
    const c = await autoBalanceAsync(unbalanced(), { seed: 7 }, 5);
    expect(assignmentToRecord(c.assignment)).toEqual(assignmentToRecord(a.assignment));
    const other = autoBalance(unbalanced(), { seed: 8 });
    expect(other.status).toBe('ok');
  });

  it('never touches a locked grid', () => {
    // lock stripe 1 at the left edge (4 columns wide of 24, 6 grids: about the target already)
    const locked = withLock(stripes([4, 1, 2, 3, 6, 8]), '1', true);
    const target = planStats(locked).balance.households / 6;
    expect(Math.abs(planStats(locked).grids.find((s) => s.key === '1')!.households - target)).toBeLessThan(0.1 * target);
    const r = autoBalance(locked, { seed: 2 });
    expect(r.status).toBe('ok');
    expectValid(r, 6);
    const i1 = locked.grids.indexOf('1');
    for (let b = 0; b < g.n; b++) expect(r.assignment.blockGrid[b] === i1).toBe(locked.blockGrid[b] === i1);
  });

  it('adds and removes grids to reach the number asked for', () => {
    const more = autoBalance(unbalanced(), { seed: 1, grids: 8, newGridKey: (i) => `new:${6 + i}` });
    expect(more.status).toBe('ok');
    expect(more.addedGrids).toEqual(['new:7', 'new:8']);
    expectValid(more, 8);
    const fewer = autoBalance(unbalanced(), { seed: 1, grids: 4 });
    expect(fewer.status).toBe('ok');
    expect(fewer.removedGrids).toHaveLength(2);
    expectValid(fewer, 4);
  });

  it('reports progress and stops when asked, with a valid plan', () => {
    const seen: number[] = [];
    const r = autoBalance(unbalanced(), {
      seed: 1, progressEvery: 10, onProgress: (p) => seen.push(p.steps), shouldStop: () => seen.length >= 2,
    });
    expect(r.status).toBe('cancelled');
    expect(r.steps).toBe(20);
    expect(checkAssignment(r.assignment).ok).toBe(true);
    const ac = new AbortController();
    ac.abort();
    expect(autoBalance(unbalanced(), { signal: ac.signal }).status).toBe('cancelled');
  });

  describe('says why it cannot', () => {
    const reasons = (a: Assignment, opts = {}) => {
      const r = autoBalance(a, { seed: 1, ...opts });
      expect(r.status).toBe('impossible');
      expect(r.assignment).toBe(a);
      return r.reasons;
    };

    it('a block larger than a grid may hold', () => {
      const big = latticeGraph(4, 1, (x) => (x === 0 ? 100 : 10));
      const a = createAssignment(big, { 1: 'a', 2: 'a', 3: 'b', 4: 'b' });
      expect(reasons(a)).toEqual([expect.objectContaining({ code: 'block_too_large', block: 1, message: expect.stringContaining('地块 1 有 100 户') })]);
    });

    it('a locked grid outside the tolerance', () => {
      expect(reasons(withLock(unbalanced(), '6', true))).toEqual([
        expect.objectContaining({ code: 'locked_out_of_tolerance', grid: '6', message: expect.stringMatching(/已锁定.*超出容差/) }),
      ]);
    });

    it('locked grids leaving a remainder that cannot fit', () => {
      // 4 blocks of 10 in a row: a (10) | b (10) | c (20); target 40 / 2 = 20 ± 2 per grid
      const line = latticeGraph(4, 1, () => 10);
      const a = createAssignment(line, { 1: 'a', 2: 'b', 3: 'b', 4: 'c' });
      // ask for 2 grids with b (20) locked: a and c, apart, are two regions needing a grid each
      expect(reasons(withLock(a, 'b', true), { grids: 2 })).toEqual([expect.objectContaining({ code: 'bad_grid_count' })]);
      // 3 grids, target 13.3 ± 1.3: b (20) locked is out of tolerance
      expect(reasons(withLock(a, 'b', true), { grids: 3 })[0].code).toBe('locked_out_of_tolerance');
      // a (10) | x (20, locked) | c (30): target 60 / 3 = 20; x fits, but a and c, apart, cannot trade
      const six = latticeGraph(6, 1, () => 10);
      const b = createAssignment(six, { 1: 'a', 2: 'x', 3: 'x', 4: 'c', 5: 'c', 6: 'c' });
      expect(reasons(withLock(b, 'x', true), { grids: 3 })).toEqual([
        expect.objectContaining({ code: 'locked_remainder', message: expect.stringContaining('锁定网格之外的第 1 片地块共 10 户') }),
        expect.objectContaining({ code: 'locked_remainder', message: expect.stringContaining('第 2 片地块共 30 户') }),
      ]);
    });

    it('an impossible number of grids', () => {
      expect(reasons(unbalanced(), { grids: 0 })[0].code).toBe('bad_grid_count');
      expect(reasons(unbalanced(), { grids: g.n + 1 })[0].code).toBe('bad_grid_count');
    });

    it('a tolerance the blocks are too coarse for: best effort, not_reached', () => {
      const r = autoBalance(unbalanced(), { seed: 1, tolerance: 0.001, maxSteps: 300 });
      expect(r.status).toBe('not_reached');
      expect(r.reasons[0].message).toMatch(/未达到/);
      expect(checkAssignment(r.assignment).ok).toBe(true);
      expect(r.after.maxDeviationPct).toBeLessThan(r.before.maxDeviationPct);
    });
  });
});
