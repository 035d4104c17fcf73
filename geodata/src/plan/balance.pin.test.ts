// Pins auto-balance's exact output for fixed inputs and seeds. The algorithm's helpers (spanning
// tree, cut search, preparation) live in their own modules; moving code between them must not
// change a single random draw, so any change to these fingerprints means the plans changed.
import { describe, expect, it } from 'vitest';
import { createAssignment, withLock, type Assignment } from './assignment.ts';
import { autoBalance, autoBalanceAsync, type BalanceOptions, type BalanceResult } from './balance.ts';
import { createBlockGraph, type BlockSpec, type EdgeSpec } from './graph.ts';

// 24 × 12 blocks with uneven households and uneven shared-edge lengths, so the compactness term
// and the greedy cut's boundary lengths matter; 6 stripes from −80 % to +110 % of the mean
const W = 24, H = 12;
const blocks: BlockSpec[] = [];
const edges: EdgeSpec[] = [];
const id = (x: number, y: number) => y * W + x + 1;
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    blocks.push({ id: id(x, y), households: 5 + ((x * 7 + y * 13) % 11), area: 10_000, perimeter: 400 });
    if (x + 1 < W) edges.push({ a: id(x, y), b: id(x + 1, y), length: 60 + ((x * 5 + y * 3) % 9) * 10 });
    if (y + 1 < H) edges.push({ a: id(x, y), b: id(x, y + 1), length: 70 + ((x * 2 + y * 7) % 7) * 10 });
  }
const g = createBlockGraph(blocks, edges);
const stripes = (widths: number[]): Assignment => {
  const stripe = (x: number) => {
    let acc = 0, k = 0;
    while (x >= acc + widths[k]) acc += widths[k++];
    return String(k + 1);
  };
  return createAssignment(g, Object.fromEntries(g.ids.map((i) => [i, stripe((i - 1) % W)])));
};

/** 32-bit FNV-1a of the text: a short stand-in for the whole block → grid list. */
const fnv = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

const fingerprint = (r: BalanceResult) => ({
  status: r.status,
  reasons: r.reasons.map((x) => x.code),
  plan: fnv(Array.from(r.assignment.blockGrid, (gi) => r.assignment.grids[gi]).join(',')),
  steps: r.steps,
  accepted: r.accepted,
  cleanupMoves: r.cleanupMoves,
  movedHouseholds: r.movedHouseholds,
  movedBlocks: r.movedBlocks,
  added: r.addedGrids,
  removed: r.removedGrids,
  maxDeviationPct: r.after.maxDeviationPct,
});

const runs: [string, () => Assignment, BalanceOptions][] = [
  ['default', () => stripes([1, 2, 3, 4, 6, 8]), { seed: 7 }],
  ['no compactness', () => stripes([1, 2, 3, 4, 6, 8]), { seed: 3, compactness: 0 }],
  ['more grids', () => stripes([1, 2, 3, 4, 6, 8]), { seed: 1, grids: 8 }],
  ['fewer grids', () => stripes([1, 2, 3, 4, 6, 8]), { seed: 2, grids: 4 }],
  ['locked grid', () => withLock(stripes([4, 1, 2, 3, 6, 8]), '1', true), { seed: 5 }],
  ['not reached', () => stripes([1, 2, 3, 4, 6, 8]), { seed: 1, tolerance: 0.001, maxSteps: 300 }],
];

describe('auto-balance output for fixed seeds', () => {
  it.each(runs)('%s', async (_name, input, opts) => {
    const r = autoBalance(input(), opts);
    expect(fingerprint(r)).toMatchSnapshot();
    expect(fingerprint(await autoBalanceAsync(input(), opts, 3))).toEqual(fingerprint(r));
  });
});
