// Bench figures for grid plans (imported by bench/run.ts).
import type pg from 'pg';
import type { Db } from '../server/src/db/index.ts';
import { applyPlan, applyPlans } from '../server/src/plans/apply.ts';
import { validatePlan } from '../server/src/plans/validate.ts';
import { intersection, unionAgg } from '../server/src/db/overlay.ts';

// The community id is inlined (an integer read from the database, not input): PGlite cannot run
// an ST_Union aggregate with bind parameters (see server/src/dataset/coverage.ts).
// `skip`: how many of the usable blocks to pass over (the next one, when a draft is refused)
export const draft = (client: pg.ClientBase, community: number, skip = 0) => client.query<{ id: number }>(`
  -- blocks on a boundary with a neighbour grid (the first 20 by id), then the first whose removal
  -- keeps its grid in one piece (materialized: inlined into the per-block lookup below, the unions ran once per block)
  -- own: the community's blocks first (ordered by id under a LIMIT, the planner walked the
  -- city's blocks in id order looking for the community's: every town's draft read the city)
  WITH own AS MATERIALIZED (SELECT * FROM blocks WHERE community_id = ${Number(community)}),
  cand AS MATERIALIZED (
    SELECT b.id AS block, b.grid_id AS from_grid, gb.id AS to_grid
      FROM own b JOIN grids ga ON ga.id = b.grid_id JOIN grids gb ON gb.community_id = ga.community_id AND gb.id <> ga.id
     WHERE ST_Length(${intersection('ST_Boundary(b.geom)', 'ST_Boundary(gb.geom)')}) > 0.0003
       AND (SELECT count(*) FROM blocks o WHERE o.grid_id = ga.id) > 2
     ORDER BY b.id LIMIT 20
  ), pick AS MATERIALIZED (
    SELECT c.block, c.to_grid FROM cand c
     WHERE (SELECT ST_NumGeometries(${unionAgg('o.geom')}) FROM blocks o WHERE o.grid_id = c.from_grid AND o.id <> c.block) = 1
     ORDER BY c.block OFFSET ${Number(skip)} LIMIT 1
  ), p AS (
    INSERT INTO plans (community_id, author, base_version) SELECT id, 'bench', layout_version FROM communities WHERE id = ${Number(community)} RETURNING id
  ), a AS (
    INSERT INTO plan_assignments (plan_id, block_id, grid_id)
    SELECT p.id, b.id, coalesce((SELECT to_grid FROM pick WHERE pick.block = b.id), b.grid_id) FROM p, blocks b WHERE b.community_id = ${Number(community)}
  )
  SELECT id FROM p`);

/**
 * Grid plans: applying one community's plan (a boundary block painted into its neighbour), and a
 * full-city reassign (one such plan for every community, applied together: plans/apply.ts applyPlans). Each is
 * rolled back afterwards, so the figures can be repeated on the same database.
 */
export async function planFigures(db: Db, backend: string, add: (what: string, backend: string, value: string) => void) {
  const who = { userId: null, actor: 'bench' };
  const communities = (await db.query<{ id: number }>('SELECT id FROM communities ORDER BY id')).rows.map((r) => r.id);
  const one = (await db.query<{ id: number }>(`SELECT id FROM communities WHERE code = '422801005002'`)).rows[0]?.id ?? communities[0];
  const times: number[] = [];
  await db.withClient(async (client) => {
    // JIT-compiling these PostGIS queries costs seconds on PostgreSQL 15 (see sql/migrations/0007)
    if (db.kind === 'postgres') await client.query('SET jit = off');
    // A planner validates a draft before applying it, which checks the blocks once and remembers
    // their fingerprint (plans/validate.ts): do the same for every community, then drop the plans.
    // The draft's block is the first whose removal leaves its grid in one piece by ST_Union; the
    // validation judges pieces by shared edges, and may refuse it: then the next block is tried.
    const skips = new Map<number, number>();
    let validating = 0; // the validations' time, without the drafts'
    let retried = 0;
    for (const c of communities) {
      for (let skip = 0; ; skip++) {
        await client.query('BEGIN');
        const plan = (await draft(client, c, skip)).rows[0].id;
        const t0 = performance.now();
        const errors = await validatePlan(client, plan);
        validating += performance.now() - t0;
        await client.query('DELETE FROM plan_assignments WHERE plan_id = $1', [plan]);
        await client.query('DELETE FROM plans WHERE id = $1', [plan]);
        await client.query('COMMIT');
        if (!errors.length) {
          skips.set(c, skip);
          break;
        }
        if (skip === 19) throw new Error(`community ${c}: the bench's drafts are invalid: ${errors[0].message}`);
        retried++;
      }
    }
    add(`plan validate, every community once (${communities.length}, blocks checked${retried ? `; ${retried} refused drafts redrawn` : ''})`, backend, `${validating.toFixed(0)} ms`);
    for (let i = 0; i < 6; i++) {
      await client.query('BEGIN');
      const plan = (await draft(client, one, skips.get(one))).rows[0].id;
      const t0 = performance.now();
      await applyPlan(client, plan, who);
      if (i > 0) times.push(performance.now() - t0); // the first warms caches
      await client.query('ROLLBACK');
    }
    add('plan apply, one community (median of 5; blocks checked before)', backend, `${[...times].sort((a, b) => a - b)[2].toFixed(0)} ms`);
    await client.query('BEGIN');
    const plans: number[] = [];
    for (const c of communities) plans.push((await draft(client, c, skips.get(c))).rows[0].id);
    const t0 = performance.now();
    const moved = (await applyPlans(client, plans, who)).reduce((n, r) => n + r.households_moved, 0);
    add(`plan apply, full city (${plans.length} communities, ${moved} households moved)`, backend, `${(performance.now() - t0).toFixed(0)} ms`);
    await client.query('ROLLBACK');
  });
}

