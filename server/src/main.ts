// `pnpm start`: opens the database (embedded unless DATABASE_URL is set), migrates, seeds
// the Enshi dataset on first start, and serves the dashboard and the API on one port.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDb, type Db } from './db/index.ts';
import type { Config } from './config.ts';
import { demoPasswordsActive, ensureDemoAccounts } from './users/demo.ts';
import { migrate } from './db/migrate.ts';
import { seedIfEmpty } from './dataset/seed.ts';
import { startCaseSweeper } from './cases/service.ts';

const started = Date.now();
const log = (message: string) => console.log(`[grid-atlas ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

async function main() {
  const config = loadConfig();
  log(config.databaseUrl ? '连接 PostgreSQL (DATABASE_URL)…' : `打开内置数据库 ${config.dataDir}…`);
  const db = await openDb({ ...config, onProgress: log });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: closing…`);
    server?.close();
    await db.close().catch((err) => console.error(err));
    log('closed');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  let server: ReturnType<typeof serve> | undefined;

  log('迁移数据库 (migrating)…');
  const applied = await migrate(db);
  if (applied.length) log(`applied ${applied.join(', ')}`);
  if (config.seed && (await seedIfEmpty(db, log))) log('数据集已写入 (dataset seeded)');
  await prepareAccounts(db, config);

  const app = createApp({ db, ...config });
  // Case stage warnings and escalations; safe with several server processes (SKIP LOCKED).
  const stopSweeper = startCaseSweeper(db);
  process.on('exit', stopSweeper);
  server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log(`就绪 ready: http://localhost:${info.port}/`);
  });
}

async function prepareAccounts(db: Db, config: Config) {
  const { rows } = await db.query(`SELECT value FROM dataset_info WHERE key = 'name'`);
  // Demo accounts belong to the synthetic Enshi dataset on the embedded database; on a real
  // server only when asked for.
  if ((db.kind === 'embedded' && rows[0]?.value === 'enshi-synthetic') || config.demoAccounts) {
    const created = await ensureDemoAccounts(db);
    if (created) log(`已创建 ${created} 个演示账号，密码 enshi-demo (created ${created} demo accounts; see README)`);
  }
  const demo = await demoPasswordsActive(db);
  if (config.production && demo.length) {
    throw new Error(
      `NODE_ENV=production, but ${demo.length} account(s) still have the demo password (${demo.slice(0, 5).join(', ')}…). ` +
        'Reset them with `pnpm users -- reset-password <username>` or disable them first.',
    );
  }
}

main().catch((err) => {
  console.error(`[grid-atlas] failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
