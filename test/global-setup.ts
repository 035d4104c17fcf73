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
  return async () => {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
