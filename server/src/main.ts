// `pnpm start`: opens the database (embedded unless DATABASE_URL is set), migrates, seeds
// the Enshi dataset on first start, and serves the dashboard and the API on one port.
//
// Only what opening the database needs is imported up front. The rest of the server's code
// (seconds of module loading) is imported while the embedded database's worker thread opens
// PGlite on the other core, instead of before it.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.ts';
import { openDb, type Db } from './db/index.ts';
import type { Config } from './config.ts';
import type { HistoryState } from '@grid-atlas/contract';

/** The server's code beyond opening the database; loaded alongside the open. */
async function loadServerCode() {
  const [nodeServer, app, demo, migrate, seed, service, eventMonths, history, needsHistory, simulator, hub, statistics] = await Promise.all([
    import('@hono/node-server'), import('./app.ts'), import('./users/demo.ts'), import('./db/migrate.ts'),
    import('./dataset/seed.ts'), import('./cases/sweeper.ts'), import('./cases/event-months.ts'), import('./live/history.ts'),
    import('./live/needs-history.ts'), import('./live/simulator.ts'), import('./live/hub.ts'), import('./db/statistics.ts'),
  ]);
  return {
    serve: nodeServer.serve, createApp: app.createApp, demoPasswordsActive: demo.demoPasswordsActive,
    ensureDemoAccounts: demo.ensureDemoAccounts, migrate: migrate.migrate, seedIfEmpty: seed.seedIfEmpty, generateDataset: seed.generateDataset,
    startCaseSweeper: service.startCaseSweeper, ensureCurrentEventMonths: eventMonths.ensureCurrentEventMonths,
    startEventMonthKeeper: eventMonths.startEventMonthKeeper, seedCaseHistory: history.seedCaseHistory,
    seedNeedsHistory: needsHistory.seedNeedsHistory, startSimulator: simulator.startSimulator, hubFor: hub.hubFor,
    analyzeNeverAnalyzed: statistics.analyzeNeverAnalyzed,
  };
}
type ServerCode = Awaited<ReturnType<typeof loadServerCode>>;

const started = Date.now();
const log = (message: string) => console.log(`[grid-atlas ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

/**
 * The start's steps and their times, one log line each ("step <name>: <ms> ms") and, once
 * listening, all of them in one machine-readable line ("start-steps {json}") that `pnpm bench`
 * reads, so the bench breaks the start down by the server's own clock instead of timing twice.
 */
const steps: { step: string; ms: number }[] = [];
function recordStep(name: string, ms: number) {
  steps.push({ step: name, ms: Math.round(ms) });
  log(`step ${name}: ${Math.round(ms)} ms`);
}
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    recordStep(name, performance.now() - t0);
  }
}

async function main() {
  // Node's start and loading this code (tsx compiles it on the first run; cached after).
  recordStep('load code (start)', performance.now());
  const config = loadConfig();
  log(config.databaseUrl ? '连接 PostgreSQL (DATABASE_URL)…' : `打开内置数据库 ${config.dataDir}…`);
  // Migrations and seeding run on this connection with the default (long) statement timeout:
  // deriving the blocks alone takes longer than the API's short limit on a real server.
  const opening = step('open database', () => openDb({
    ...config,
    statementTimeoutMs: undefined,
    readUrl: undefined, // migrating and seeding write; the API's pool below reads from the replica
    onProgress: (message) => {
      log(message);
      // The embedded worker reports PGlite's own open (WebAssembly, PostGIS) in milliseconds.
      const pglite = /数据库已打开 \((\d+) ms\)/.exec(message);
      if (pglite) recordStep('open database: PGlite + PostGIS', Number(pglite[1]));
      // A first start also creates the PostGIS extension (thousands of functions, in WebAssembly).
      const extension = /PostGIS 已启用 \((\d+) ms\)/.exec(message);
      if (extension) recordStep('open database: CREATE EXTENSION postgis', Number(extension[1]));
    },
  }));
  const loading = step('load code (server, alongside the open)', loadServerCode);
  // A fresh embedded data directory is seeded once open: its population (seconds of JavaScript)
  // is generated on this thread while the worker thread opens PGlite, instead of after.
  const fresh = !config.databaseUrl && !config.embeddedUrl && config.seed && !fs.existsSync(path.join(config.dataDir, 'pgdata', 'PG_VERSION'));
  const generating = fresh
    ? loading.then(({ generateDataset }) => step('seed: generate population and blocks (alongside the open)', async () => generateDataset()))
    : Promise.resolve(undefined);
  // All settle before any is used, so a failed open never leaves the import unawaited.
  const [opened, code, dataset] = await Promise.allSettled([opening, loading, generating]);
  if (opened.status === 'rejected') throw opened.reason;
  const db = opened.value;
  if (code.status === 'rejected' || dataset.status === 'rejected') {
    await db.close().catch(() => {});
    throw code.status === 'rejected' ? code.reason : (dataset as PromiseRejectedResult).reason;
  }
  const { serve, createApp, migrate, seedIfEmpty, startCaseSweeper, ensureCurrentEventMonths, startEventMonthKeeper, seedCaseHistory, seedNeedsHistory, startSimulator, hubFor, analyzeNeverAnalyzed } = code.value;

  let shuttingDown = false;
  const shutdown = async (signal: string, code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: closing…`);
    server?.close();
    if (apiDb !== db) await apiDb?.close().catch((err) => console.error(err));
    await db.close().catch((err) => console.error(err));
    log('closed');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  let server: ReturnType<ServerCode['serve']> | undefined;
  let apiDb: Db | undefined;

  log('迁移数据库 (migrating)…');
  const applied = await step('migrate', () => migrate(db));
  if (applied.length) log(`applied ${applied.join(', ')}`);
  // case_events is partitioned by month: this month's partition and the next two exist before a row needs them.
  const months = await step('case event months', () => ensureCurrentEventMonths(db));
  if (months.length) log(`case_events months created: ${months.join(', ')}`);
  if (config.seed && (await step('seed', () => seedIfEmpty(db, log, recordStep, dataset.value)))) log('数据集已写入 (dataset seeded)');
  await step('accounts', () => prepareAccounts(db, config, code.value));
  const analysed = await step('statistics (ANALYZE never analysed)', () => analyzeNeverAnalyzed(db));
  if (analysed.length) log(`收集查询统计信息 (ANALYZE): ${analysed.join(', ')}`);

  // On PostgreSQL the API gets its own pool with a short statement_timeout (migrations and
  // seeding above may take longer). PGlite ignores statement_timeout; there the API shares
  // the one connection and its queries are bounded by construction.
  apiDb = db.kind === 'postgres'
    ? await openDb({ databaseUrl: config.databaseUrl, readUrl: config.readUrl, dataDir: config.dataDir, statementTimeoutMs: config.statementTimeoutMs })
    : db;
  // live: 90 days of case history and of the needs list, and the simulator, for the embedded
  // demo only. A first start writes the history after listening (seconds of work the page need
  // not wait for): /api/health says 'filling' meanwhile and the client shows a banner.
  const demoHistory = db.kind === 'embedded' && !config.embeddedUrl && config.seed && process.env.GRID_ATLAS_HISTORY !== '0' && (await isDemoDataset(db));
  let history: HistoryState | undefined = demoHistory ? ((await historyWritten(db)) ? 'ready' : 'filling') : undefined;
  const simulate = process.env.GRID_ATLAS_SIMULATOR ? process.env.GRID_ATLAS_SIMULATOR === '1' : db.kind === 'embedded' && !config.embeddedUrl;
  const rate = Number(process.env.GRID_ATLAS_SIMULATOR_RATE ?? 6);
  if (simulate && !(rate > 0 && rate <= 6000)) throw new Error(`GRID_ATLAS_SIMULATOR_RATE must be 0 < rate <= 6000 per minute, got "${process.env.GRID_ATLAS_SIMULATOR_RATE}"`);
  /** The simulator files cases, so it starts once the history is written (which writes only into an empty table). */
  const startSimulating = () => {
    if (!simulate || shuttingDown) return;
    const stopSimulator = startSimulator(apiDb!, rate, () => hubFor(apiDb!).wake());
    process.on('exit', stopSimulator);
    log(`模拟器已开启：每分钟 ${rate} 步 (simulator on; GRID_ATLAS_SIMULATOR=0 turns it off)`);
  };

  const app = await step('build app', async () => {
    const built = createApp({ db: apiDb!, ...config, history: history && (() => history!) });
    // The health answer is kept in memory; its first one is taken now, so that probes during
    // the history's writing (which holds the embedded database's one connection) need not wait.
    if (history === 'filling') await built.request('/api/health');
    return built;
  });
  // Case stage warnings and escalations; safe with several server processes (SKIP LOCKED).
  const stopSweeper = startCaseSweeper(apiDb);
  process.on('exit', stopSweeper);
  const stopMonthKeeper = startEventMonthKeeper(apiDb);
  process.on('exit', stopMonthKeeper);
  const listenStart = performance.now();
  server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    recordStep('listen', performance.now() - listenStart);
    console.log(`[grid-atlas] start-steps ${JSON.stringify({ total_ms: Math.round(performance.now()), steps })}`);
    log(`就绪 ready: http://localhost:${info.port}/`);
    if (history !== 'filling') return startSimulating();
    fillHistory().then(() => {
      history = 'ready';
      startSimulating();
    }, (err) => {
      if (shuttingDown) return;
      console.error(`[grid-atlas] failed to write the demo history: ${err instanceof Error ? err.message : err}`);
      void shutdown('history failed', 1);
    });
  });
  // Live streams (GET /api/events) stay open for hours: no socket inactivity timeout (the
  // stream sends a heartbeat every 15 s anyway). requestTimeout bounds only receiving the
  // request, which a stream's GET finishes at once, so it stays as a slow-client guard.
  const http1 = server as import('node:http').Server;
  http1.setTimeout(0);
  http1.keepAliveTimeout = 65_000;

  /**
   * Writes the case and needs history while the server answers, each in a transaction that
   * locks its table (each writes only into an empty one); then its steps in a "history-steps"
   * line, as the start's are in "start-steps".
   */
  async function fillHistory() {
    const first = steps.length;
    const t0 = Date.now();
    log('正在生成模拟历史数据 (writing 90 days of case and needs history; the server answers meanwhile)…');
    const n = await step('case history', () => seedCaseHistory(db, { onProgress: log }));
    if (n) log(`已生成 ${n} 个历史案件 (90 days of case history) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const needs = await step('needs history', () => seedNeedsHistory(db));
    if (needs) log(`已生成 ${needs} 条历史需求 (90 days of the needs list)`);
    console.log(`[grid-atlas] history-steps ${JSON.stringify({ total_ms: Math.round(performance.now()), steps: steps.slice(first) })}`);
    log('模拟历史数据已就绪 (history ready)');
  }
}

/** Whether the demo history is there already (a start after the first). */
async function historyWritten(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ cases: boolean; needs: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM cases) AS cases, EXISTS (SELECT 1 FROM needs) AS needs');
  return rows[0].cases && rows[0].needs;
}

async function isDemoDataset(db: Db): Promise<boolean> {
  const { rows } = await db.query(`SELECT value FROM dataset_info WHERE key = 'name'`);
  return rows[0]?.value === 'enshi-synthetic';
}

async function prepareAccounts(db: Db, config: Config, { ensureDemoAccounts, demoPasswordsActive }: ServerCode) {
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
