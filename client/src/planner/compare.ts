// Two plans of one community side by side (方案对比): per grid number the households (and 困难户)
// each plan gives it and the difference, the blocks the two put in different grids with the
// households on them, and each plan's largest deviation from the target. A side is a plan's
// assignments (block id → grid key) and its grids' numbers (a draft's own detail, or the layout as
// it stands); the households come from the loaded blocks. Pure, so tested alone.

/** One side of a comparison: which grid each block is in, and each grid key's number. */
export interface PlanSide {
  assignments: readonly { block: number; grid: string | number }[];
  /** grid key ("123" or "new:N") → the grid's number; a "new:N" key missing here is number N */
  numbers: ReadonlyMap<string, number>;
}

/** A block's figures, from the loaded blocks. */
export interface BlockFigures {
  households: number;
  in_difficulty: number;
}

export interface GridFigures {
  blocks: number;
  households: number;
  in_difficulty: number;
}

export interface CompareRow {
  number: number;
  /** null: the plan has no grid of this number */
  a: GridFigures | null;
  b: GridFigures | null;
  /** households in B minus households in A */
  diff: number;
  diffDifficulty: number;
}

export interface Comparison {
  rows: CompareRow[];
  /** block ids whose grid number differs between A and B (or that only one plan assigns), ascending */
  differing: number[];
  differingHouseholds: number;
  differingDifficulty: number;
  /** the largest |households − target| / target of each plan's grids, in %; null without a target */
  maxDeviationA: number | null;
  maxDeviationB: number | null;
}

/** The grid number a side gives a key; null when it cannot tell. */
export function gridNumber(side: PlanSide, key: string | number): number | null {
  const k = String(key);
  const n = side.numbers.get(k);
  if (n !== undefined) return n;
  const m = /^new:(\d+)$/.exec(k);
  return m ? Number(m[1]) : null;
}

/** Block id → grid number of one side (blocks whose grid has no known number are left out). */
function numbersByBlock(side: PlanSide): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of side.assignments) {
    const n = gridNumber(side, a.grid);
    if (n !== null) out.set(a.block, n);
  }
  return out;
}

function gridFigures(byBlock: ReadonlyMap<number, number>, blocks: ReadonlyMap<number, BlockFigures>): Map<number, GridFigures> {
  const out = new Map<number, GridFigures>();
  for (const [block, n] of byBlock) {
    const f = out.get(n) ?? { blocks: 0, households: 0, in_difficulty: 0 };
    const b = blocks.get(block);
    f.blocks++;
    f.households += b?.households ?? 0;
    f.in_difficulty += b?.in_difficulty ?? 0;
    out.set(n, f);
  }
  return out;
}

function maxDeviation(grids: ReadonlyMap<number, GridFigures>, target: number): number | null {
  if (!(target > 0) || grids.size === 0) return null;
  let max = 0;
  for (const g of grids.values()) max = Math.max(max, (100 * Math.abs(g.households - target)) / target);
  return max;
}

/** Compares plan B against plan A on the loaded blocks' households, against one target. */
export function comparePlans(a: PlanSide, b: PlanSide, blocks: ReadonlyMap<number, BlockFigures>, target: number): Comparison {
  const byA = numbersByBlock(a), byB = numbersByBlock(b);
  const gridsA = gridFigures(byA, blocks), gridsB = gridFigures(byB, blocks);
  const numbers = [...new Set([...gridsA.keys(), ...gridsB.keys()])].sort((x, y) => x - y);
  const rows = numbers.map((number) => {
    const ga = gridsA.get(number) ?? null, gb = gridsB.get(number) ?? null;
    return {
      number, a: ga, b: gb,
      diff: (gb?.households ?? 0) - (ga?.households ?? 0),
      diffDifficulty: (gb?.in_difficulty ?? 0) - (ga?.in_difficulty ?? 0),
    };
  });
  const differing = [...new Set([...byA.keys(), ...byB.keys()])].filter((id) => byA.get(id) !== byB.get(id)).sort((x, y) => x - y);
  let differingHouseholds = 0, differingDifficulty = 0;
  for (const id of differing) {
    differingHouseholds += blocks.get(id)?.households ?? 0;
    differingDifficulty += blocks.get(id)?.in_difficulty ?? 0;
  }
  return { rows, differing, differingHouseholds, differingDifficulty, maxDeviationA: maxDeviation(gridsA, target), maxDeviationB: maxDeviation(gridsB, target) };
}
