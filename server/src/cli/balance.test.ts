import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAssignment, createAssignment, planStats } from '@grid-atlas/geodata/plan';
import { openTestDb, testDbEnv } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from '../db/index.ts';
import { balanceCommunity, loadCommunityBlocks, type CommunityBlocks } from './balance-plan.ts';

// 解放路社区: the most households (10,062 in 22 grids, from 189 to 801)
const LARGEST = '422801002001';

let db: Db;
let data: CommunityBlocks;
const created: number[] = [];
beforeAll(async () => {
  db = await openTestDb();
  data = await db.withClient((c) => loadCommunityBlocks(c, LARGEST));
});
afterAll(async () => {
  if (created.length) {
    await db.query('DELETE FROM plans WHERE id = ANY($1)', [created]);
    await db.query(`DELETE FROM audit_log WHERE entity = 'plan' AND entity_id = ANY($1)`, [created.map(String)]);
  }
  await db?.close();
});

function balance(args: string[]) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server/src/cli/balance.ts', '--', ...args], {
      cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', GRID_ATLAS_EMBEDDED_URL: '', ...testDbEnv() },
    }, (err, stdout, stderr) => resolve({ code: err ? (err as any).code : 0, out: stdout + stderr }));
  });
}

const planCount = async () => (await db.query('SELECT count(*)::int AS n FROM plans')).rows[0].n as number;

describe('the largest community read as a block graph', () => {
  it('holds every household of the community, its grids contiguous over the graph', async () => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities c ON c.id = g.community_id
        WHERE c.code = $1`, [LARGEST]);
    const s = planStats(data.assignment);
    expect(s.balance.households).toBe(rows[0].n);
    expect(s.grids).toHaveLength(data.grids.length);
    // a grid split over the graph would mean the builder missed a shared edge between blocks
    expect(checkAssignment(data.assignment)).toEqual({ ok: true, violations: [] });
    expect(data.assignment.graph.n).toBeGreaterThan(data.grids.length);
    expect(data.cityMean).toBeCloseTo(95402 / 359, 6);
  });

  it('auto-balances it within ±10 %, contiguous, the same for the same seed', () => {
    const r = balanceCommunity(data, { seed: 1 });
    expect(r.status).toBe('ok');
    expect(r.after.maxDeviationPct).toBeLessThanOrEqual(10 + 1e-9);
    expect(checkAssignment(r.assignment).ok).toBe(true);
    expect(r.movedHouseholds).toBeLessThan(r.before.households / 2);
    expect(balanceCommunity(data, { seed: 1 }).movedHouseholds).toBe(r.movedHouseholds);
  });
});

describe('pnpm balance', () => {
  it('writes a draft plan that assigns every block once, within tolerance, and prints the table', async () => {
    const before = await planCount();
    const r = await balance(['--community', LARGEST, '--grids', '24', '--seed', '2']);
    expect(r.out).toContain('解放路社区');
    expect(r.out).toMatch(/调整前 before: .*最大偏差 max dev/);
    expect(r.out).toMatch(/调整后 after: .*最大偏差 max dev (\d|10\.0)/);
    expect(r.code).toBe(0);
    const id = Number(/草稿方案 #(\d+)/.exec(r.out)![1]);
    created.push(id);
    expect(await planCount()).toBe(before + 1);
    const plan = (await db.query(
      `SELECT p.status, p.base_version = c.layout_version AS current FROM plans p JOIN communities c ON c.id = p.community_id WHERE p.id = $1`, [id])).rows[0];
    expect(plan).toEqual({ status: 'draft', current: true });
    const rows = (await db.query<{ block_id: number; grid_id: number | null; new_number: number | null }>(
      'SELECT block_id, grid_id, new_number FROM plan_assignments WHERE plan_id = $1', [id])).rows;
    expect(rows).toHaveLength(data.assignment.graph.n);
    expect(new Set(rows.map((x) => x.block_id)).size).toBe(rows.length);
    const gridIds = new Set(data.grids.map((g) => g.id));
    expect(rows.every((x) => (x.grid_id !== null && gridIds.has(x.grid_id)) || (x.new_number !== null && x.new_number > 22))).toBe(true);
    // the stored plan, read back, is balanced and contiguous on the block graph
    const stored = createAssignment(data.assignment.graph,
      new Map(rows.map((x) => [x.block_id, x.grid_id !== null ? String(x.grid_id) : `new:${x.new_number}`])));
    expect(checkAssignment(stored).ok).toBe(true);
    const s = planStats(stored, { target: data.cityMean });
    expect(s.grids).toHaveLength(24);
    const target = s.balance.households / 24;
    for (const g of s.grids) expect(Math.abs(g.households - target)).toBeLessThanOrEqual(0.1 * target + 1e-9);
    const audit = (await db.query(`SELECT actor, action FROM audit_log WHERE entity = 'plan' AND entity_id = $1`, [String(id)])).rows;
    expect(audit).toEqual([{ actor: expect.stringMatching(/^cli:/), action: 'create' }]);
  });

  it('explains bad input and impossible requests, saving nothing', async () => {
    const before = await planCount();
    const bad = await balance(['--community', '4228']);
    expect(bad).toMatchObject({ code: 2, out: expect.stringContaining('12 位数字') });
    const unknown = await balance(['--community', '422801009999']);
    expect(unknown).toMatchObject({ code: 2, out: expect.stringContaining('no community with code 422801009999') });
    const tol = await balance(['--community', LARGEST, '--tolerance', 'abc']);
    expect(tol).toMatchObject({ code: 2, out: expect.stringContaining('invalid --tolerance') });
    const missing = await balance([]);
    expect(missing).toMatchObject({ code: 2, out: expect.stringContaining('usage: pnpm balance') });
    // 400 grids of ~25 households: some block holds more than a grid may
    const impossible = await balance(['--community', LARGEST, '--grids', '400']);
    expect(impossible).toMatchObject({ code: 3, out: expect.stringContaining('无法平衡 (cannot balance)') });
    const dry = await balance(['--community', LARGEST, '--dry-run']);
    expect(dry).toMatchObject({ code: 0, out: expect.stringContaining('dry run: nothing saved') });
    expect(await planCount()).toBe(before);
  });
});
