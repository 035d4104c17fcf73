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
  const releaseLock = await acquireLock(dataDir, options.onProgress ?? ((m) => console.warn(`[db] ${m}`)));
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

/** How long a restart waits for a killed owner of the data directory to finish dying. */
const DYING_OWNER_WAIT_MS = 15_000;
/** Data directories this process holds: a second opener in the same process is refused too. */
const heldHere = new Set<string>();

async function acquireLock(dataDir: string, say: (message: string) => void): Promise<() => void> {
  const lockPath = path.join(dataDir, 'grid-atlas.lock');
  const deadline = Date.now() + DYING_OWNER_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      heldHere.add(dataDir);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(dataDir);
        if (readOwner(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(lockPath);
    if (owner === undefined) continue; // removed since: try again
    // A lock naming this process is stale unless this process holds the directory now: after a
    // crash in a container the restarted server often gets the same pid.
    const state = owner === process.pid ? (heldHere.has(dataDir) ? 'alive' : 'gone') : await ownerState(owner);
    if (state === 'alive') {
      throw new Error(
        `数据目录 ${dataDir} 正被进程 ${owner} 使用 (the data directory is in use by process ${owner}); ` +
          'stop it first, or set GRID_ATLAS_DATA_DIR to another directory.',
      );
    }
    if (state === 'exiting') {
      // Killed (kill -9) but not gone yet: tearing down a large process takes a moment, and its
      // parent may not have reaped it. It runs no code any more; wait until it holds nothing.
      if (Date.now() >= deadline) {
        throw new Error(
          `数据目录 ${dataDir} 的上一个进程 ${owner} 在 ${DYING_OWNER_WAIT_MS / 1000} 秒内仍未退出 ` +
            `(process ${owner}, which held the data directory, is still exiting); try again when it has exited.`,
        );
      }
      if (!announced) {
        announced = true;
        say(
          `等待上一个进程 ${owner} 退出后打开数据目录 ${dataDir}（最多 ${DYING_OWNER_WAIT_MS / 1000} 秒）` +
            ` (waiting for process ${owner}, which is exiting, to release the data directory)…`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    removeStaleLock(lockPath, owner);
  }
}

function readOwner(lockPath: string): number | undefined {
  try {
    return Number(fs.readFileSync(lockPath, 'utf8')) || 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Removes a lock left by an owner that is gone, but not a lock that another opener wrote in its
 * place meanwhile: the file is first moved aside (only one opener can move it) and checked there.
 */
function removeStaleLock(lockPath: string, staleOwner: number): void {
  const aside = `${lockPath}.${process.pid}.stale`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (readOwner(aside) !== staleOwner) fs.linkSync(aside, lockPath); // a fresh lock: put it back
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

type OwnerState = 'alive' | 'exiting' | 'gone';

/**
 * Whether the process named by a lock still runs. A process that was killed answers kill(pid, 0)
 * until its parent reaps it, and for a while before that it is still being torn down; on Linux
 * /proc tells these apart from a running process. Elsewhere every answering process counts as alive.
 */
async function ownerState(pid: number): Promise<OwnerState> {
  // Sampled twice: between taking the kill signal and being marked as exiting, a task looks
  // like a running one for an instant.
  for (let sample = 0; ; sample++) {
    const state = ownerStateNow(pid);
    if (state !== 'alive' || sample === 1) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const PF_EXITING = 0x4; // include/linux/sched.h: the task is in do_exit()
const SIGKILL_BIT = 1n << 8n; // signal 9 in /proc's pending-signal masks

function ownerStateNow(pid: number): OwnerState {
  if (!isAlive(pid)) return 'gone';
  const task = readProcStat(`/proc/${pid}/stat`);
  if (!task) return fs.existsSync('/proc/self/stat') ? 'gone' : 'alive';
  if (task.state === 'Z' || task.state === 'X') {
    // A zombie holds no files and no memory, unless threads of it still run.
    let threads: string[] = [];
    try {
      threads = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      return 'gone';
    }
    const running = threads.some((tid) => {
      const t = readProcStat(`/proc/${pid}/task/${tid}/stat`);
      return t !== undefined && t.state !== 'Z' && t.state !== 'X';
    });
    return running ? 'exiting' : 'gone';
  }
  if (task.flags & PF_EXITING) return 'exiting';
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    for (const m of status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)) {
      if (BigInt(`0x${m[1]}`) & SIGKILL_BIT) return 'exiting';
    }
  } catch {
    return isAlive(pid) ? 'alive' : 'gone';
  }
  return 'alive';
}

/** The state letter and the flags of /proc/<pid>/stat (the name in parentheses may hold anything). */
function readProcStat(file: string): { state: string; flags: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], flags: Number(fields[6]) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
