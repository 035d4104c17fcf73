// @ts-check
// The embedded database: PGlite + PostGIS, run in a worker thread behind a Postgres
// wire-protocol socket on 127.0.0.1, so the HTTP thread talks to it with plain `pg`.
//
// Why a worker: PGlite runs on the thread that calls it and blocks it (a full household
// reassignment stalls for seconds). Why plain JavaScript: a worker thread does not inherit
// the TypeScript loader under every runner (tsx, vitest), and this file is small.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAuthFront } from './embedded-auth.mjs';
import { corePostgis } from './postgis-bundle.mjs';

/** @type {{ dataDir: string, maxConnections: number, password: string }} */
const { dataDir, maxConnections, password } = workerData;
if (!parentPort) throw new Error('embedded-worker must run in a worker thread');
const port = parentPort;

/** @type {PGlite | undefined} */
let db;
/** @type {PGLiteSocketServer | undefined} */
let server;
/** @type {import('node:net').Server | undefined} */
let front;
/** @type {string | undefined} */
let socketDir;

async function start() {
  const t0 = Date.now();
  const progress = (/** @type {string} */ message) => port.postMessage({ type: 'progress', message });
  db = await PGlite.create({ dataDir, extensions: { postgis: corePostgis(progress) } });
  port.postMessage({ type: 'progress', message: `数据库已打开 (${Date.now() - t0} ms)` });
  const { rows } = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'postgis'`);
  if (rows.length === 0) {
    port.postMessage({ type: 'progress', message: '正在启用 PostGIS（首次启动）…' });
    const t1 = Date.now();
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    port.postMessage({ type: 'progress', message: `PostGIS 已启用 (${Date.now() - t1} ms)` });
  }
  // PGlite 0.5.8 + PostGIS answers a HashAggregate over geometry aggregates (ST_Union,
  // ST_Collect ... GROUP BY) with no rows at all. The planner picks hashing once the tables
  // have statistics, which silently emptied the coverage check's gaps and would empty a plan's
  // dissolved grids. Sorted grouping gives the right answer; every connection shares this one
  // session, so one SET covers them all.
  await db.exec('SET enable_hashagg = off');
  // PGlite's socket (no authentication of its own) in a directory only we may enter
  // (mkdtemp creates it 0700); the password-checking front on 127.0.0.1 leads to it.
  socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-db-'));
  fs.chmodSync(socketDir, 0o700);
  const innerPath = path.join(socketDir, 'pglite.sock');
  server = new PGLiteSocketServer({ db, path: innerPath, maxConnections });
  await server.start();
  front = await startAuthFront({ host: '127.0.0.1', innerPath, password });
  const address = front.address();
  const listenPort = address && typeof address === 'object' ? address.port : 0;
  if (!listenPort) throw new Error('embedded socket front did not report its port');
  port.postMessage({ type: 'ready', port: listenPort });
}

async function stop() {
  try {
    front?.close(); // stops accepting; open connections end with PGlite's sockets below
    await server?.stop();
  } finally {
    if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
    await db?.close();
    port.postMessage({ type: 'closed' });
  }
}

port.on('message', (msg) => {
  if (msg?.type === 'close') {
    stop().catch((err) => port.postMessage({ type: 'error', message: String(err?.stack ?? err) }));
  }
});

start().catch((err) => port.postMessage({ type: 'error', message: String(err?.stack ?? err) }));
