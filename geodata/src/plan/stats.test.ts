import { describe, expect, it } from 'vitest';
import { applyStroke, createAssignment } from './assignment.ts';
import { createBlockGraph, latticeGraph } from './graph.ts';
import { createRng } from '../generate/random.ts';
import { PlanPreview, balanceOf, planStats } from './stats.ts';

describe('preview statistics', () => {
  it('Polsby-Popper: π/4 for a square (one block, or 2 × 2 blocks minus their shared edges); 0.698 for a 1 × 2 rectangle', () => {
    const one = latticeGraph(1, 1);
    expect(planStats(createAssignment(one, { 1: 'a' })).grids[0].polsbyPopper).toBeCloseTo(Math.PI / 4, 12);
    const four = latticeGraph(2, 2);
    const s = planStats(createAssignment(four, { 1: 'a', 2: 'a', 3: 'a', 4: 'a' })).grids[0];
    expect(s.perimeter).toBe(800);
    expect(s.area).toBe(40_000);
    expect(s.polsbyPopper).toBeCloseTo(Math.PI / 4, 12);
    const two = planStats(createAssignment(latticeGraph(2, 1), { 1: 'a', 2: 'a' })).grids[0];
    expect(two.polsbyPopper).toBeCloseTo((4 * Math.PI * 20_000) / 600 ** 2, 12);
  });

  it('matches hand-computed figures', () => {
    const g = createBlockGraph(
      [
        { id: 1, households: 10, inDifficulty: 1, cadres: 2, area: 1, perimeter: 4 },
        { id: 2, households: 20, inDifficulty: 0, cadres: 1, area: 1, perimeter: 4 },
        { id: 3, households: 30, inDifficulty: 3, cadres: 4, area: 1, perimeter: 4 },
      ],
      [{ a: 1, b: 2, length: 1 }, { a: 2, b: 3, length: 1 }],
    );
    const s = planStats(createAssignment(g, { 1: 'x', 2: 'y', 3: 'y' }), { target: 25 });
    expect(s.grids.map(({ key, households, inDifficulty, cadres, deviation, deviationPct, perimeter }) => ({ key, households, inDifficulty, cadres, deviation, deviationPct, perimeter }))).toEqual([
      { key: 'x', households: 10, inDifficulty: 1, cadres: 2, deviation: -15, deviationPct: -60, perimeter: 4 },
      { key: 'y', households: 50, inDifficulty: 3, cadres: 5, deviation: 25, deviationPct: 100, perimeter: 6 },
    ]);
    expect(s.balance).toEqual({ grids: 2, households: 60, target: 25, min: 10, max: 50, mean: 30, std: 20, spread: 1.6, maxDeviationPct: 100 });
    // default target: the mean of the plan's grids
    expect(planStats(createAssignment(g, { 1: 'x', 2: 'y', 3: 'y' })).balance.target).toBe(30);
    expect(balanceOf([], 10)).toMatchObject({ grids: 0, min: 0, max: 0, std: 0 });
  });

  it('counts a cadre linked to two blocks of one grid once when the graph knows cadre ids', () => {
    const g = createBlockGraph(
      [
        { id: 1, households: 1, cadreIds: [7, 8], area: 1, perimeter: 4 },
        { id: 2, households: 1, cadreIds: [8, 9], area: 1, perimeter: 4 },
      ],
      [{ a: 1, b: 2, length: 1 }],
    );
    const a = createAssignment(g, { 1: 'x', 2: 'x' });
    const p = new PlanPreview(a);
    expect(p.stats().grids[0].cadres).toBe(3);
    const r = applyStroke(a, [2], 'y');
    p.update(r.assignment, r.changes);
    expect(p.stats().grids.map((x) => x.cadres)).toEqual([2, 2]);
  });

  it('stays equal to a from-scratch computation over 300 random strokes, moved households included', () => {
    const g = latticeGraph(12, 10, (x, y) => 1 + ((x * 31 + y * 17) % 9));
    const base = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, String(1 + Math.floor((i % 12) / 3))])));
    let a = base;
    const p = new PlanPreview(a, { target: 30 });
    const rng = createRng(5);
    let applied = 0;
    for (let k = 0; k < 300; k++) {
      const start = rng.int(1, g.n);
      const r = applyStroke(a, [start, start + 1].filter((i) => i <= g.n), String(rng.int(1, 5)), { allowEmpty: true });
      if (!r.report.ok) continue;
      a = r.assignment;
      p.update(a, r.changes);
      applied++;
    }
    expect(applied).toBeGreaterThan(50);
    const fresh = planStats(a, { target: 30, base });
    const round = (s: typeof fresh) => JSON.parse(JSON.stringify(s, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
    expect(round(p.stats())).toEqual(round(fresh));
    expect(fresh.movedHouseholds).toBeGreaterThan(0);
    let moved = 0;
    for (let b = 0; b < g.n; b++) if (a.grids[a.blockGrid[b]] !== base.grids[base.blockGrid[b]]) moved += g.households[b];
    expect(fresh.movedHouseholds).toBe(moved);
  });
});
