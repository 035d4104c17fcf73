// One process at a time opens an embedded data directory. A process that is still running keeps
// others out; one that was killed (kill -9) must not keep a restart out while it finishes dying.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbedded } from './embedded.ts';

const EMBEDDED = fileURLToPath(new URL('./embedded.ts', import.meta.url));
// It starts embedded databases of its own and never touches the test run's, so the run against a
// real server (DATABASE_URL) leaves it to the embedded run.
const embeddedRun = inject('db').kind === 'embedded';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A separate Node process that opens the data directory and, once open, keeps it. */
function opener(dataDir: string): { child: ChildProcess; ready: Promise<void>; exit: Promise<{ code: number | null; stderr: string }> } {
  const script = `
    const { startEmbedded } = await import(${JSON.stringify(EMBEDDED)});
    try {
      await startEmbedded({ dataDir: ${JSON.stringify(dataDir)} });
    } catch (err) {
      console.error(err.message);
      process.exit(3);
    }
    console.log('ready');
    setInterval(() => {}, 60_000);`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-opener-')), 'open.mjs');
  dirs.push(path.dirname(file));
  fs.writeFileSync(file, script);
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      stdout += c;
      if (stdout.includes('ready')) resolve();
    });
    void exit.then(({ code, stderr }) => reject(new Error(`opener exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => {}); // an opener expected to be refused is awaited through `exit`
  return { child, ready, exit };
}

describe.skipIf(!embeddedRun)('embedded data directory lock', () => {
  it('refuses a second opener while the owner runs, and lets a restart in right after the owner is killed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-lock-'));
    dirs.push(dataDir);
    const owner = opener(dataDir);
    await owner.ready;

    // A second process while the owner is alive: refused, naming the owner.
    const second = opener(dataDir);
    const refused = await second.exit;
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`正被进程 ${owner.child.pid} 使用`);

    // kill -9, and the restart at once: the killed owner has not been reaped yet (this process
    // is its parent and has not returned to its event loop), as a supervisor's restart may find it.
    owner.child.kill('SIGKILL');
    const messages: string[] = [];
    const db = await startEmbedded({ dataDir, onProgress: (m) => messages.push(m) });
    try {
      const client = new pg.Client({ connectionString: db.connectionString });
      await client.connect();
      try {
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }
      expect(fs.readFileSync(path.join(dataDir, 'grid-atlas.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await db.close();
    }
    expect((await owner.exit).code).toBe(null); // it died of the signal, it did not exit by itself
  }, 240_000); // three embedded databases start, the first in a fresh directory
});
