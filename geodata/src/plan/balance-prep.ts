// Before auto-balance draws anything: how many grids, which target, and whether a plan within
// the tolerance can exist at all. Each refusal carries a reason the planner can act on (which
// grid, which block, which numbers). Kept apart from the chain because these are plain checks
// on the input, testable one by one, and because a refusal must never depend on the random
// search: an impossible request is answered before the first step.
import type { GridKey } from './assignment.ts';
import { gridNames, gridParts } from './assignment.ts';
import type { BlockGraph } from './graph.ts';

export type BalanceReasonCode =
  | 'bad_grid_count'
  | 'block_too_large'
  | 'locked_out_of_tolerance'
  | 'locked_remainder'
  | 'not_contiguous'
  | 'not_reached'
  | 'cancelled';

export interface BalanceReason {
  code: BalanceReasonCode;
  grid?: GridKey;
  block?: number;
  /** Chinese (English) */
  message: string;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
export const defaultGridLabel = (key: GridKey) => gridNames().zh(key);

export interface BalanceSize {
  /** grids wanted */
  grids: number;
  /** households per grid aimed at */
  target: number;
  /** relative tolerance, and the same in households */
  tolerance: number;
  toleranceHouseholds: number;
  /** households of the whole assignment */
  total: number;
}

/**
 * The number of grids (default: those holding blocks now), the target (default: total households
 * / grids; a given target ≤ 0 counts as none) and the tolerance (default ±10 %).
 */
export function balanceSize(
  households: Float64Array,
  activeGrids: number,
  opts: { grids?: number; target?: number; tolerance?: number },
): BalanceSize {
  const grids = opts.grids ?? activeGrids;
  const tolerance = opts.tolerance ?? 0.1;
  let total = 0;
  for (let b = 0; b < households.length; b++) total += households[b];
  const target = opts.target !== undefined && opts.target > 0 ? opts.target : grids > 0 ? total / grids : 0;
  return { grids, target, tolerance, toleranceHouseholds: tolerance * target, total };
}

export interface BalanceInput {
  g: BlockGraph;
  keys: readonly GridKey[];
  /** block → grid index */
  cur: Int32Array;
  /** per grid index: holds blocks, is locked, households */
  active: Uint8Array;
  locked: Uint8Array;
  hh: Float64Array;
  grids: number;
  target: number;
  tolerance: number;
  /** How a grid is named in both halves of a reason (see ReportOptions.label in assignment.ts). */
  label?: (key: GridKey) => string | undefined;
}

/**
 * The unlocked blocks fall into regions separated by locked grids (region[block], −1 for locked
 * blocks); grids cannot cross from one region to another, so each region gets its own number of
 * grids (gridsPerRegion) and must fit its households into them.
 */
export interface BalanceRegions {
  region: Int32Array;
  gridsPerRegion: number[];
}

/**
 * Every check that makes a plan within tolerance impossible: a grid count out of range, a locked
 * grid out of tolerance, a block too large for any grid, an unlocked grid already split, too few
 * grids for the regions, or a region whose households cannot make its grids. Returns the reasons
 * (the first failing group), or the regions with their grid counts when nothing is in the way.
 */
export function checkBalance(inp: BalanceInput): { reasons: BalanceReason[] } | BalanceRegions {
  const { g, keys, cur, active, locked, hh, grids: N, target: T, tolerance: tol } = inp;
  const name = gridNames(inp.label);
  const n = g.n;
  const reasons: BalanceReason[] = [];
  const lockedActive: number[] = [];
  let unlockedBlocks = 0;
  for (let gi = 0; gi < keys.length; gi++) if (active[gi] && locked[gi]) lockedActive.push(gi);
  for (let b = 0; b < n; b++) if (!locked[cur[b]]) unlockedBlocks++;
  const L = lockedActive.length;
  if (!Number.isInteger(N) || N < 1)
    return { reasons: [{ code: 'bad_grid_count', message: `网格数必须是正整数 (the number of grids must be a positive integer): ${N}` }] };
  if (N < L || N > L + unlockedBlocks)
    return { reasons: [{
      code: 'bad_grid_count',
      message: `${N} 个网格不可行：${L} 个已锁定，其余只有 ${unlockedBlocks} 个地块 (${N} grids impossible: ${L} locked, ${unlockedBlocks} blocks left to share)`,
    }] };
  const lo = T * (1 - tol), hi = T * (1 + tol);
  const within = `±${(100 * tol).toFixed(0)}%`;
  for (const gi of lockedActive)
    if (hh[gi] < lo || hh[gi] > hi)
      reasons.push({
        code: 'locked_out_of_tolerance',
        grid: keys[gi],
        message: `${name.zh(keys[gi])}已锁定，但有 ${hh[gi]} 户，偏离目标 ${T.toFixed(0)} 户 ${pct(hh[gi] / T - 1)}，超出容差 ${within} ` +
          `(${name.en(keys[gi])} is locked with ${hh[gi]} households, ${pct(hh[gi] / T - 1)} from the target ${T.toFixed(0)}, outside ${within})`,
      });
  const big: number[] = [];
  for (let b = 0; b < n; b++) if (!locked[cur[b]] && g.households[b] > hi) big.push(b);
  for (const b of big.slice(0, 5))
    reasons.push({
      code: 'block_too_large',
      block: g.ids[b],
      message: `地块 ${g.ids[b]} 有 ${g.households[b]} 户，一个网格最多 ${Math.floor(hi)} 户 (目标 ${T.toFixed(0)} 户 ${within}) ` +
        `(block ${g.ids[b]} alone has ${g.households[b]} households, more than a grid may hold: ${Math.floor(hi)})`,
    });
  for (let gi = 0; gi < keys.length; gi++) {
    if (!active[gi] || locked[gi]) continue;
    const { parts } = gridParts(g, cur, gi);
    if (parts > 1)
      reasons.push({
        code: 'not_contiguous',
        grid: keys[gi],
        message: `${name.zh(keys[gi])}现在就不连通 (${parts} 块)，请先修正 (${name.en(keys[gi])} is already split into ${parts} parts; fix it first)`,
      });
  }
  if (reasons.length) return { reasons };

  const { region, households: regionHh, blocks: regionBlocks } = unlockedRegions(g, cur, locked);
  const C = regionHh.length;
  const k = new Array<number>(C).fill(0);
  for (let gi = 0; gi < keys.length; gi++) if (active[gi] && !locked[gi]) k[regionOfGrid(cur, region, gi)]++;
  if (N - L < C)
    return { reasons: [{
      code: 'bad_grid_count',
      message: `锁定的网格把其余地块分成 ${C} 片，至少需要 ${L + C} 个网格 (locked grids split the rest into ${C} areas: at least ${L + C} grids are needed)`,
    }] };
  // share the grids to add or remove: an added grid goes to the region with the most households
  // per grid, a removed one comes from the region with the fewest
  let diff = N - L - k.reduce((s, x) => s + x, 0);
  while (diff > 0) {
    let best = -1;
    for (let c = 0; c < C; c++) if (k[c] < regionBlocks[c] && (best < 0 || regionHh[c] / k[c] > regionHh[best] / k[best])) best = c;
    if (best < 0) break;
    k[best]++;
    diff--;
  }
  while (diff < 0) {
    let best = -1;
    for (let c = 0; c < C; c++) if (k[c] > 1 && (best < 0 || regionHh[c] / k[c] < regionHh[best] / k[best])) best = c;
    if (best < 0) break;
    k[best]--;
    diff++;
  }
  for (let c = 0; c < C; c++) {
    const h = regionHh[c], each = (h / k[c]).toFixed(0);
    if (h < k[c] * lo - 1e-9 || h > k[c] * hi + 1e-9)
      reasons.push({
        code: 'locked_remainder',
        message: L
          ? `锁定网格之外的${C > 1 ? `第 ${c + 1} 片` : ''}地块共 ${h} 户，分成 ${k[c]} 个网格每格 ${each} 户，无法都在目标 ${T.toFixed(0)} 户 ${within} 之内 ` +
            `(outside the locked grids, ${h} households in ${k[c]} grids make ${each} each: not within ${within} of ${T.toFixed(0)})`
          : `${h} 户分成 ${k[c]} 个网格每格 ${each} 户，无法都在目标 ${T.toFixed(0)} 户 ${within} 之内 ` +
            `(${h} households cannot make ${k[c]} grids within ${within} of ${T.toFixed(0)})`,
      });
  }
  if (reasons.length) return { reasons };
  return { region, gridsPerRegion: k };
}

/** The region of grid gi's first block (−1 when it has none). */
export function regionOfGrid(cur: Int32Array, region: Int32Array, gi: number): number {
  for (let b = 0; b < cur.length; b++) if (cur[b] === gi) return region[b];
  return -1;
}

/** Connected regions of the blocks outside locked grids, with their households and block counts. */
export function unlockedRegions(g: BlockGraph, cur: Int32Array, locked: Uint8Array) {
  const n = g.n;
  const region = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const households: number[] = [], blocks: number[] = [];
  for (let s = 0; s < n; s++) {
    if (region[s] >= 0 || locked[cur[s]]) continue;
    const c = households.length;
    households.push(0);
    blocks.push(0);
    let top = 0;
    stack[top++] = s;
    region[s] = c;
    while (top) {
      const v = stack[--top];
      households[c] += g.households[v];
      blocks[c]++;
      for (let k = g.adjStart[v]; k < g.adjStart[v + 1]; k++) {
        const u = g.adj[k];
        if (region[u] < 0 && !locked[cur[u]]) {
          region[u] = c;
          stack[top++] = u;
        }
      }
    }
  }
  return { region, households, blocks };
}
