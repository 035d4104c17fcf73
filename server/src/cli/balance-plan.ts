// What `pnpm balance` does, as functions the CLI and its test share: read one community's blocks
// and grids, run auto-balance (geodata/src/plan), and format the before/after balance table.
import type pg from 'pg';
import {
  autoBalance,
  buildBlockGraph,
  createAssignment,
  planStats,
  type Assignment,
  type BalanceOptions,
  type BalanceResult,
  type GridKey,
  type PreviewStats,
} from '@grid-atlas/geodata/plan';
import { HTTPException } from 'hono/http-exception';
import { createDraft } from '../plans/drafts.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;
type BlockCollection = Parameters<typeof buildBlockGraph>[0];

export class BalanceCliError extends Error {}

export interface CommunityGrid {
  id: number;
  number: number;
  code: string;
  name: string;
}

export interface CommunityBlocks {
  community: { id: number; code: string; name: string };
  grids: CommunityGrid[];
  assignment: Assignment;
  /** households per grid over the whole city: the preview's reference */
  cityMean: number;
}

/** Reads a community's blocks (with households, in difficulty and linked cadres) and grids. */
export async function loadCommunityBlocks(db: Queryable, code: string): Promise<CommunityBlocks> {
  if (!/^\d{12}$/.test(code)) throw new BalanceCliError(`社区代码应为 12 位数字 (a community code has 12 digits): ${code}`);
  const c = await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM communities WHERE code = $1', [code]);
  if (!c.rows.length) throw new BalanceCliError(`没有代码为 ${code} 的社区 (no community with code ${code})`);
  const community = c.rows[0];
  const grids = (await db.query<CommunityGrid>(
    'SELECT id, number, code, name FROM grids WHERE community_id = $1 ORDER BY number', [community.id])).rows;
  const blocks = (await db.query<{ id: number; grid_id: number; geom: BlockCollection['features'][number]['geometry']; households: number; in_difficulty: number; cadre_ids: number[] }>(
    `SELECT b.id, b.grid_id, ST_AsGeoJSON(b.geom)::json AS geom,
            count(DISTINCT h.id)::int AS households,
            count(DISTINCT h.id) FILTER (WHERE h.in_difficulty)::int AS in_difficulty,
            coalesce(array_agg(DISTINCT l.cadre_id) FILTER (WHERE l.cadre_id IS NOT NULL), '{}') AS cadre_ids
       FROM blocks b
       LEFT JOIN households h ON h.block_id = b.id
       LEFT JOIN cadre_household_links l ON l.household_id = h.id
      WHERE b.community_id = $1
      GROUP BY b.id ORDER BY b.id`, [community.id])).rows;
  if (!blocks.length) throw new BalanceCliError(`社区 ${code} 还没有地块 (community ${code} has no blocks yet)`);
  const fc: BlockCollection = {
    type: 'FeatureCollection',
    features: blocks.map((b) => ({
      type: 'Feature',
      geometry: b.geom,
      properties: { id: b.id, households: b.households, in_difficulty: b.in_difficulty, cadre_ids: b.cadre_ids },
    })),
  };
  const graph = buildBlockGraph(fc);
  const assignment = createAssignment(graph, new Map(blocks.map((b) => [b.id, String(b.grid_id)])), {
    grids: grids.map((g) => String(g.id)),
  });
  const mean = await db.query<{ mean: number }>(
    'SELECT (SELECT count(*) FROM households WHERE grid_id IS NOT NULL)::float8 / greatest(1, (SELECT count(*) FROM grids)) AS mean');
  return { community, grids, assignment, cityMean: mean.rows[0].mean };
}

/** Runs auto-balance; new grids are numbered after the community's highest grid number. */
export function balanceCommunity(data: CommunityBlocks, options: BalanceOptions = {}): BalanceResult {
  const maxNumber = Math.max(0, ...data.grids.map((g) => g.number));
  return autoBalance(data.assignment, {
    newGridKey: (i) => `new:${maxNumber + i}`,
    label: gridLabeller(data),
    ...options,
  });
}

/** "第3网格" for an existing grid (by id), "新第12网格" for a new one. */
export function gridLabeller(data: CommunityBlocks): (key: GridKey) => string {
  const byId = new Map(data.grids.map((g) => [String(g.id), g]));
  return (key) => (key.startsWith('new:') ? `新第${key.slice(4)}网格` : byId.has(key) ? `第${byId.get(key)!.number}网格` : `网格 ${key}`);
}

/** The plan's assignments as the plans API takes them: grid = existing grid id or "new:N". */
export function planAssignments(a: Assignment): { block: number; grid: number | `new:${number}` }[] {
  return a.graph.ids.map((id, b) => {
    const key = a.grids[a.blockGrid[b]];
    return { block: id, grid: key.startsWith('new:') ? (key as `new:${number}`) : Number(key) };
  });
}

const pad = (s: string, w: number, right = false) => {
  // CJK characters take two columns in a terminal
  const width = [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(0, w - width));
  return right ? fill + s : s + fill;
};
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;

/** The before/after table: one row per grid, then the balance summary. */
export function formatBalanceTable(data: CommunityBlocks, r: BalanceResult): string {
  const label = gridLabeller(data);
  const before = planStats(data.assignment, { target: r.target });
  const after: PreviewStats = planStats(r.assignment, { target: r.target, base: data.assignment });
  const keys = [...new Set([...before.grids.map((g) => g.key), ...after.grids.map((g) => g.key)])];
  const b = new Map(before.grids.map((g) => [g.key, g]));
  const a = new Map(after.grids.map((g) => [g.key, g]));
  const head = ['网格 grid', '户 before', '偏差 dev', 'PP', '户 after', '偏差 dev', 'PP'];
  const widths = [14, 10, 9, 6, 10, 9, 6];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], i > 0)).join('  ');
  const out = [line(head), '-'.repeat(widths.reduce((s, w) => s + w + 2, -2))];
  for (const key of keys) {
    const x = b.get(key), y = a.get(key);
    out.push(line([
      label(key),
      x ? String(x.households) : '—', x ? signed(x.deviationPct) : '', x ? x.polsbyPopper.toFixed(2) : '',
      y ? String(y.households) : '(removed)', y ? signed(y.deviationPct) : '', y ? y.polsbyPopper.toFixed(2) : '',
    ]));
  }
  const sum = (s: PreviewStats) =>
    `min ${s.balance.min} · max ${s.balance.max} · std ${s.balance.std.toFixed(1)} · (max−min)/target ${s.balance.spread.toFixed(2)} · 最大偏差 max dev ${s.balance.maxDeviationPct.toFixed(1)}%`;
  out.push('');
  out.push(`目标 target: ${r.target.toFixed(1)} 户/网格 (${r.grids} grids, ±${(100 * r.tolerance).toFixed(0)}%); 全市平均 city mean ${data.cityMean.toFixed(1)}`);
  out.push(`调整前 before: ${sum(before)}`);
  out.push(`调整后 after:  ${sum(after)}`);
  out.push(`移动 moved: ${r.movedHouseholds} 户 households, ${r.movedBlocks} 个地块 blocks; ${r.steps} ReCom steps in ${r.elapsedMs.toFixed(0)} ms`);
  return out.join('\n');
}

/**
 * Stores the proposal as a draft plan of the community through the plans' own createDraft (plans/drafts.ts)
 * (the same checks as POST /api/plans, and its audit entry). The plan records the layout version
 * it was made against, so applying it after the grids changed is refused as stale.
 */
export async function saveDraftPlan(
  client: pg.ClientBase,
  data: CommunityBlocks,
  a: Assignment,
  title: string,
  actor: string,
): Promise<number> {
  const community = await client.query<{ id: number; layout_version: number }>(
    'SELECT id, layout_version FROM communities WHERE id = $1', [data.community.id]);
  const list = planAssignments(a).map((r) => ({
    block: r.block,
    grid_id: typeof r.grid === 'number' ? r.grid : null,
    new_number: typeof r.grid === 'string' ? Number(r.grid.slice(4)) : null,
  }));
  try {
    return await createDraft(client, community.rows[0], title, list, { userId: null, actor, ip: null });
  } catch (err) {
    if (err instanceof HTTPException) throw new BalanceCliError(`无法保存草稿 (cannot save the draft): ${err.message}`);
    throw err;
  }
}
