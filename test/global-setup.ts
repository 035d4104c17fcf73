// Starts the one database every test file uses: the embedded PGlite database in a fresh
// temporary directory, or the real server at DATABASE_URL. Migrates and seeds it, then
// hands its URL to the test files (inject('db')).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate, openDb, seedIfEmpty } from '../server/src/index.ts';
import { ensureDemoAccounts } from '../server/src/users/demo.ts';
import './db.ts'; // the ProvidedContext declaration

export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-test-'));
  const started = Date.now();
  const db = await openDb({ databaseUrl, dataDir });
  await migrate(db);
  await seedIfEmpty(db);
  await ensureDemoAccounts(db); // asked for explicitly, as a real server requires
  console.log(`[test] ${db.kind} database ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('db', { kind: db.kind, url: db.connectionString });
  const serverPids = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-run-')), 'server-pids');
  fs.writeFileSync(serverPids, '');
  project.provide('serverPids', serverPids);
  return async () => {
    // The browser tests' shared server (e2e/support/app.ts) first: it is connected to the database.
    await stopServers(fs.readFileSync(serverPids, 'utf8').split('\n').filter(Boolean).map(Number));
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(path.dirname(serverPids), { recursive: true, force: true });
  };
}

/**
 * SIGTERM to each server still running (it closes cleanly), SIGKILL to any still running 15 s
 * later. A pid counts only while it is still our server: one that exited long ago may have been
 * given to another process (checked where /proc tells; elsewhere the pid alone).
 */
async function stopServers(pids: number[]) {
  const running = (pid: number) => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/src/main.ts');
    } catch {
      return !fs.existsSync('/proc/self');
    }
  };
  const live = pids.filter(running);
  for (const pid of live) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (live.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of live.filter(running)) process.kill(pid, 'SIGKILL');
}
