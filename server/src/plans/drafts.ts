// Draft plans: a community's blocks assigned to grids (existing ones or new numbers), checked
// to name every block of the community exactly once, and saved with the layout version they
// were drawn on (applying a draft after the grids changed is refused as stale).
import type pg from 'pg';
import { audit } from '../audit/index.ts';
import { badRequest } from '../http/errors.ts';
import type { Actor } from './apply.ts';

export interface Assignment { block: number; grid_id: number | null; new_number: number | null }

/** Checks that the assignments name every block of the community exactly once, then saves a draft. */
export async function createDraft(client: pg.ClientBase, community: { id: number; layout_version: number }, title: string,
  list: Assignment[], who: Actor): Promise<number> {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const a of list) (seen.has(a.block) ? twice : seen).add(a.block);
  if (twice.size) throw badRequest(`街区重复分配 (blocks assigned more than once): ${[...twice].slice(0, 20).join(', ')}`);
  const blocks = (await client.query<{ id: number }>('SELECT id FROM blocks WHERE community_id = $1', [community.id])).rows.map((r) => r.id);
  const own = new Set(blocks);
  const unknown = [...seen].filter((b) => !own.has(b));
  if (unknown.length) throw badRequest(`街区不存在或不属于本社区 (unknown blocks, or blocks of another community): ${unknown.slice(0, 20).join(', ')}`);
  const missing = blocks.filter((b) => !seen.has(b));
  if (missing.length) throw badRequest(`有 ${missing.length} 个街区未分配，每个街区须分配一次 (every block must be assigned once; missing): ${missing.slice(0, 20).join(', ')}`);
  const grids = (await client.query<{ id: number; number: number }>('SELECT id, number FROM grids WHERE community_id = $1', [community.id])).rows;
  const gridIds = new Set(grids.map((g) => g.id));
  const badGrids = [...new Set(list.filter((a) => a.grid_id != null && !gridIds.has(a.grid_id)).map((a) => a.grid_id))];
  if (badGrids.length) throw badRequest(`网格不存在或不属于本社区 (unknown grids, or grids of another community): ${badGrids.join(', ')}`);
  const numbers = new Set(grids.map((g) => g.number));
  const taken = [...new Set(list.filter((a) => a.new_number != null && numbers.has(a.new_number)).map((a) => a.new_number))];
  if (taken.length) throw badRequest(`新网格编号已被现有网格使用 (new grid numbers already used by existing grids): ${taken.join(', ')}`);

  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO plans (community_id, title, author_id, author, base_version) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [community.id, title, who.userId, who.actor, community.layout_version]);
  const id = rows[0].id;
  await client.query(
    `INSERT INTO plan_assignments (plan_id, block_id, grid_id, new_number)
     SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
    [id, list.map((a) => a.block), list.map((a) => a.grid_id), list.map((a) => a.new_number)]);
  await audit(client, { ...who, action: 'create', entity: 'plan', entityId: id, after: { community: community.id, title, assignments: list.length } });
  return id;
}
