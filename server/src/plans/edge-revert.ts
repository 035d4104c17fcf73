// Undoing an edge redraw exactly (撤销重画). A redraw records, in its own transaction and before
// it changes anything, the two blocks' shapes and (for a grid line) the two grids' shapes, and
// afterwards which households, cadres, cases, needs and 红色尖刀班 tasks it moved and where each
// was. The revert puts every one back, byte for byte, while the community's layout is still the
// one the redraw left (later redraws undone first, newest first, as an undo stack); once a plan,
// a cut or an import has changed it the revert is refused (409), as a plan's revert is. Its own
// layout version is new, so drafts drawn on the redrawn blocks are superseded.
import type pg from 'pg';
import { HTTPException } from 'hono/http-exception';
import type { RevertEdgeResponse } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import type { Actor } from './apply.ts';

/** Where each thing a redraw may move was before it: ids and grid ids (and households' blocks). */
interface Prior {
  households: { id: number[]; block: number[]; grid: number[] };
  cadres: { id: number[]; grid: number[] };
  cases: { id: number[]; grid: number[] };
  needs: { id: number[]; grid: number[] };
  tasks: { id: number[]; grid: number[] };
}

/**
 * Records the redraw about to happen: its row, the shapes it will change, and where everything it
 * may move is now. `grids` are the grids that will be dissolved again (none for an edge inside one
 * grid). Call before the blocks change; finish with `recordMoves` after.
 */
export async function snapshotEdge(client: pg.ClientBase, community: number, versionAfter: number, blocks: [number, number],
  grids: number[], who: Actor): Promise<{ id: number; prior: Prior }> {
  const id = (await client.query<{ id: number }>(
    'INSERT INTO edge_redraws (community_id, version_after, blocks, created_by) VALUES ($1, $2, $3, $4) RETURNING id',
    [community, versionAfter, blocks, who.userId])).rows[0].id;
  await client.query(
    `INSERT INTO edge_redraw_shapes (redraw_id, kind, ref_id, geom)
     SELECT $1::int, 'block', id, geom FROM blocks WHERE id = ANY ($2::int[])
     UNION ALL SELECT $1::int, 'grid', id, geom FROM grids WHERE id = ANY ($3::int[])`, [id, blocks, grids]);
  // The households of the two blocks change block; those of the two grids may change grid. The
  // cadres of the two grids follow their homes. Cases, needs and tasks are placed again over the
  // whole community (apply.ts moveCases), so all of the community's are read.
  const h = (await client.query<{ id: number[]; block: number[]; grid: number[] }>(
    `SELECT coalesce(array_agg(id ORDER BY id), '{}') AS id, coalesce(array_agg(block_id ORDER BY id), '{}') AS block,
            coalesce(array_agg(grid_id ORDER BY id), '{}') AS grid
       FROM households WHERE block_id = ANY ($1::int[]) OR grid_id = ANY ($2::int[])`, [blocks, grids])).rows[0];
  const pairs = async (sql: string, params: unknown[]) =>
    (await client.query<{ id: number[]; grid: number[] }>(
      `SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') AS id, coalesce(array_agg(x.grid_id ORDER BY x.id), '{}') AS grid FROM (${sql}) x`, params)).rows[0];
  return {
    id,
    prior: {
      households: h,
      cadres: await pairs('SELECT id, grid_id FROM cadres WHERE grid_id = ANY ($1::int[])', [grids]),
      cases: await pairs('SELECT id, grid_id FROM cases WHERE community_id = $1', [community]),
      needs: await pairs('SELECT id, grid_id FROM needs WHERE community_id = $1', [community]),
      tasks: await pairs('SELECT k.id, k.grid_id FROM vanguard_tasks k JOIN vanguard_teams t ON t.id = k.team_id WHERE t.community_id = $1', [community]),
    },
  };
}

/** Keeps, of the things `snapshotEdge` read, those the redraw moved, with where each was. */
export async function recordMoves(client: pg.ClientBase, id: number, prior: Prior): Promise<void> {
  const moved = async (table: string, p: { id: number[]; grid: number[] }) =>
    (await client.query<{ id: number[]; grid: number[] }>(
      `SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') AS id, coalesce(array_agg(x.grid ORDER BY x.id), '{}') AS grid
         FROM unnest($1::int[], $2::int[]) AS x (id, grid) JOIN ${table} t ON t.id = x.id
        WHERE t.grid_id IS DISTINCT FROM x.grid`, [p.id, p.grid])).rows[0];
  const h = (await client.query<{ id: number[]; block: number[]; grid: number[] }>(
    `SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') AS id, coalesce(array_agg(x.block ORDER BY x.id), '{}') AS block,
            coalesce(array_agg(x.grid ORDER BY x.id), '{}') AS grid
       FROM unnest($1::int[], $2::int[], $3::int[]) AS x (id, block, grid) JOIN households t ON t.id = x.id
      WHERE t.block_id IS DISTINCT FROM x.block OR t.grid_id IS DISTINCT FROM x.grid`,
    [prior.households.id, prior.households.block, prior.households.grid])).rows[0];
  const [cadres, cases, needs, tasks] = [
    await moved('cadres', prior.cadres), await moved('cases', prior.cases),
    await moved('needs', prior.needs), await moved('vanguard_tasks', prior.tasks),
  ];
  await client.query(
    `UPDATE edge_redraws SET household_ids = $2, household_blocks = $3, household_grids = $4, cadre_ids = $5, cadre_grids = $6,
            case_ids = $7, case_grids = $8, need_ids = $9, need_grids = $10, task_ids = $11, task_grids = $12
      WHERE id = $1`,
    [id, h.id, h.block, h.grid, cadres.id, cadres.grid, cases.id, cases.grid, needs.id, needs.grid, tasks.id, tasks.grid]);
}

interface RedrawRow {
  id: number; community_id: number; version_after: number; reverted_at: Date | null; blocks: number[];
  household_ids: number[]; household_blocks: number[]; household_grids: number[];
  cadre_ids: number[]; cadre_grids: number[]; case_ids: number[]; case_grids: number[];
  need_ids: number[]; need_grids: number[]; task_ids: number[]; task_grids: number[];
}

/** Puts back everything redraw `id` changed; 409 when it is undone already or the layout moved on. */
export async function revertEdge(client: pg.ClientBase, id: number, who: Actor): Promise<RevertEdgeResponse> {
  const r = (await client.query<RedrawRow>('SELECT * FROM edge_redraws WHERE id = $1 FOR UPDATE', [id])).rows[0];
  const c = (await client.query<{ layout_version: number }>(
    'SELECT layout_version FROM communities WHERE id = $1 FOR UPDATE', [r.community_id])).rows[0];
  if (r.reverted_at) throw new HTTPException(409, { message: '这次边界重画已撤销 (this edge redraw is undone already)' });
  // The layout must be the one this redraw left: nothing since, or only later redraws that are
  // undone again (each redraw and each undo moves the version by one, so their count accounts for
  // every version since; a plan, a cut or an import in between leaves one over).
  const later = (await client.query<{ n: number; live: number }>(
    `SELECT count(*)::int AS n, (count(*) FILTER (WHERE reverted_at IS NULL))::int AS live
       FROM edge_redraws WHERE community_id = $1 AND id > $2`, [r.community_id, id])).rows[0];
  if (later.live > 0) {
    throw new HTTPException(409, { message: '请先撤销之后的边界重画 (undo the later edge redraws first)' });
  }
  if (c.layout_version !== r.version_after + 2 * later.n) {
    throw new HTTPException(409, {
      message: '重画之后本社区的网格又有变化（方案应用、切分或另一次重画），不能再撤销这次重画 (the layout changed since this redraw; it can no longer be undone)',
    });
  }
  for (const kind of ['block', 'grid'] as const) {
    await client.query(
      `UPDATE ${kind === 'block' ? 'blocks' : 'grids'} t SET geom = s.geom FROM edge_redraw_shapes s
        WHERE s.redraw_id = $1 AND s.kind = $2 AND t.id = s.ref_id`, [id, kind]);
  }
  await client.query(
    `UPDATE households h SET block_id = x.block, grid_id = x.grid FROM unnest($1::int[], $2::int[], $3::int[]) AS x (id, block, grid)
      WHERE h.id = x.id`, [r.household_ids, r.household_blocks, r.household_grids]);
  for (const [table, ids, grids] of [
    ['cadres', r.cadre_ids, r.cadre_grids], ['cases', r.case_ids, r.case_grids],
    ['needs', r.need_ids, r.need_grids], ['vanguard_tasks', r.task_ids, r.task_grids],
  ] as const) {
    await client.query(`UPDATE ${table} t SET grid_id = x.grid FROM unnest($1::int[], $2::int[]) AS x (id, grid) WHERE t.id = x.id`, [ids, grids]);
  }
  const version = c.layout_version + 1;
  await client.query('UPDATE communities SET layout_version = $2 WHERE id = $1', [r.community_id, version]);
  await client.query(`UPDATE plans SET status = 'superseded' WHERE community_id = $1 AND status = 'draft' AND base_version < $2`, [r.community_id, version]);
  await client.query('UPDATE edge_redraws SET reverted_at = now(), reverted_by = $2 WHERE id = $1', [id, who.userId]);
  await audit(client, {
    ...who, action: 'revert', entity: 'block', entityId: r.community_id,
    before: { layout_version: c.layout_version },
    after: {
      layout_version: version, edge_redraw: id, blocks: r.blocks, households_moved: r.household_ids.length,
      cadres_moved: r.cadre_ids.length, cases_moved: r.case_ids.length, needs_moved: r.need_ids.length, tasks_moved: r.task_ids.length,
    },
  });
  return { layout_version: version, households_moved: r.household_ids.length };
}
