// @ts-check
// The embedded database: PGlite + PostGIS, run in a worker thread behind a Postgres
// wire-protocol socket on 127.0.0.1, so the HTTP thread talks to it with plain `pg`.
//
// Why a worker: PGlite runs on the thread that calls it and blocks it (a full household
// reassignment stalls for seconds). Why plain JavaScript: a worker thread does not inherit
// the TypeScript loader under every runner (tsx, vitest), and this file is small.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ dataDir: string, maxConnections: number }} */
const { dataDir, maxConnections } = workerData;
if (!parentPort) throw new Error('embedded-worker must run in a worker thread');
const port = parentPort;

/** @type {PGlite | undefined} */
let db;
/** @type {PGLiteSocketServer | undefined} */
let server;

async function start() {
  const t0 = Date.now();
  db = await PGlite.create({ dataDir, extensions: { postgis } });
  port.postMessage({ type: 'progress', message: `数据库已打开 (${Date.now() - t0} ms)` });
  const { rows } = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'postgis'`);
  if (rows.length === 0) {
    port.postMessage({ type: 'progress', message: '正在启用 PostGIS（首次启动）…' });
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  }
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  // getServerConn() is "host:port" once listening; port 0 asked the OS for a free one.
  const listenPort = Number(server.getServerConn().split(':').pop());
  if (!listenPort) throw new Error('embedded socket server did not report its port');
  port.postMessage({ type: 'ready', port: listenPort });
}

async function stop() {
  try {
    await server?.stop();
  } finally {
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
