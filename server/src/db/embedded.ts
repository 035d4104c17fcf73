// Starts the embedded PGlite + PostGIS database in a worker thread and returns a
// connection string for `pg`. One process owns a data directory at a time: PGlite is a
// single-user Postgres and two writers would corrupt it, so a lock file guards the directory.
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddedDatabase {
  connectionString: string;
  dataDir: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Socket connections allowed at once; must be >= the pg pool size of every client. */
  maxConnections?: number;
  onProgress?: (message: string) => void;
}

/** The file, inside the data directory, that holds the embedded database's password. */
export const SECRET_FILE = 'db-password';

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  // The data directory holds personal data: only this OS user may read it. The umask
  // covers every file PGlite writes from now on (a worker thread cannot set its own; it is
  // per process), and makePrivate() fixes directories created by earlier versions.
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = acquireLock(dataDir);
  makePrivate(dataDir);
  const password = readOrCreatePassword(dataDir);
  const worker = new Worker(new URL('./embedded-worker.mjs', import.meta.url), {
    workerData: { dataDir: path.join(dataDir, 'pgdata'), maxConnections: options.maxConnections ?? 8, password },
  });

  let onClosed: (() => void) | undefined;
  let closed = false;
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (msg: { type: string; port?: number; message?: string }) => {
      if (msg.type === 'progress') options.onProgress?.(msg.message ?? '');
      else if (msg.type === 'ready') resolve(msg.port!);
      else if (msg.type === 'closed') onClosed?.();
      else if (msg.type === 'error') reject(new Error(`embedded database failed: ${msg.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      releaseLock();
      if (!closed) reject(new Error(`embedded database worker exited with code ${code}`));
    });
  }).catch(async (err) => {
    await worker.terminate();
    releaseLock();
    throw err;
  });

  return {
    // The password rides in the URL so that processes given it (the test suite's workers,
    // through GRID_ATLAS_EMBEDDED_URL) can connect; anyone else on this host cannot.
    connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dataDir,
    async close() {
      if (closed) return;
      closed = true;
      // Ask the worker to stop the socket and close PGlite cleanly (it flushes to disk),
      // then end the thread; a hard timeout keeps a stuck close from hanging shutdown.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        onClosed = () => {
          clearTimeout(timer);
          resolve();
        };
        worker.postMessage({ type: 'close' });
      });
      await worker.terminate();
      releaseLock();
    },
  };
}

/** Directories 0700 and files 0600, all the way down. */
export function makePrivate(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makePrivate(p);
    else if (entry.isFile()) fs.chmodSync(p, 0o600);
  }
}

/** A random password per data directory, kept beside the data in a file only we may read. */
function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, SECRET_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (/^[\w-]{32,}$/.test(existing)) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const password = randomBytes(32).toString('base64url'); // URL-safe: it goes into the connection string
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return password;
}

function acquireLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'grid-atlas.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `数据目录 ${dataDir} 正被进程 ${owner} 使用 (the data directory is in use by process ${owner}); ` +
            'stop it first, or set GRID_ATLAS_DATA_DIR to another directory.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a crashed process
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
