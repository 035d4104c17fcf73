// pnpm balance -- --community <12-digit code> [--grids N] [--tolerance 0.1] [--seed 1] [--title T] [--dry-run]
// Proposes balanced grids for one community with auto-balance (ReCom, geodata/src/plan), saves
// the proposal as a draft plan (review and apply it in the planner) and prints the before/after
// table. Opens the embedded database unless DATABASE_URL is set; stop the server first when
// using the embedded one (it is single-session).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import { BalanceCliError, balanceCommunity, formatBalanceTable, loadCommunityBlocks, saveDraftPlan } from './balance-plan.ts';

const USAGE = 'usage: pnpm balance -- --community <12-digit code> [--grids N] [--tolerance 0.1] [--seed 1] [--title TEXT] [--dry-run]';

function number(name: string, raw: string | undefined, ok: (x: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new BalanceCliError(`--${name} 的值无效 (invalid --${name}): ${raw}\n${USAGE}`);
  return x;
}

async function main() {
  const { values } = parseArgs({
    // `pnpm balance -- …` forwards the "--" too; drop it so options after it still parse.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      community: { type: 'string' }, grids: { type: 'string' }, tolerance: { type: 'string' }, seed: { type: 'string' },
      title: { type: 'string' }, 'dry-run': { type: 'boolean' },
    },
  });
  if (!values.community) throw new BalanceCliError(USAGE);
  const grids = number('grids', values.grids, (x) => Number.isInteger(x) && x >= 1 && x <= 999);
  const tolerance = number('tolerance', values.tolerance, (x) => x > 0 && x < 1);
  const seed = number('seed', values.seed, (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff);
  if (values.title !== undefined && values.title.trim().length > 200) throw new BalanceCliError('--title 最多 200 个字符 (--title takes at most 200 characters)');

  const config = loadConfig();
  const db = await openDb({ ...config, onProgress: (m) => console.error(m) });
  try {
    await migrate(db);
    const data = await db.withClient((c) => loadCommunityBlocks(c, values.community!));
    console.log(`${data.community.name} (${data.community.code}): ${data.assignment.graph.n} 个地块 blocks, ${data.grids.length} 个网格 grids`);
    let lastShown = 0;
    const r = balanceCommunity(data, {
      grids, tolerance, seed,
      onProgress: (p) => {
        if (p.phase !== 'recom' || p.elapsedMs - lastShown < 500) return;
        lastShown = p.elapsedMs;
        console.error(`  … ${p.steps} steps, max dev ${p.maxDeviationPct.toFixed(1)}%, moved ${p.movedHouseholds}`);
      },
    });
    if (r.status === 'impossible') {
      console.error(`无法平衡 (cannot balance):\n${r.reasons.map((x) => `  - ${x.message}`).join('\n')}`);
      process.exitCode = 3;
      return;
    }
    console.log(formatBalanceTable(data, r));
    for (const reason of r.reasons) console.log(`注意 (note): ${reason.message}`);
    if (values['dry-run']) {
      console.log('试运行，未保存 (dry run: nothing saved)');
      return;
    }
    const title = values.title?.trim() || `自动平衡 ${r.grids} 个网格 ±${Math.round(100 * r.tolerance)}% (auto-balance, seed ${seed ?? 1})`;
    const id = await db.withTransaction((c) => saveDraftPlan(c, data, r.assignment, title, `cli:${os.userInfo().username}`));
    console.log(`已保存为草稿方案 #${id} (saved as draft plan ${id}): 在规划页面查看、校验并应用 (review, validate and apply it in the planner)`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof BalanceCliError ? err.message : `自动平衡失败 (balance failed): ${(err as Error).stack ?? err}`);
  process.exit(2);
});
