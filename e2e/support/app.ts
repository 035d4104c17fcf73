// The shared fixture of the browser tests: the built client served by the real server on the
// test run's database, and one Chromium. Registers its own beforeAll/afterAll.
//
// One server and one Chromium serve every browser test file of a run: the files run one after
// another in one process (vitest.config.ts: isolate false), and starting both cost ~6 s a file.
// The first file to need them starts them; each file closes, after its tests, the browser
// contexts (and so the pages) it opened, so the next file finds a browser with none. The server's
// pid is written where test/global-setup.ts's teardown finds it and stops it once the run is over;
// Chromium, driven over a pipe, exits with the process that launched it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { testDbEnv } from '../../test/db.ts';
import { PROJECT_ROOT } from '../../server/src/config.ts';
import { ARTIFACTS, chromiumAvailable, launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export interface BrowserApp {
  /** False only outside CI on a machine without Chromium (under CI that throws instead). */
  hasChromium: boolean;
  server: RunningServer;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
}

type Shared = Pick<BrowserApp, 'server' | 'browser'>;
let shared: Promise<Shared> | undefined;

async function start(): Promise<Shared> {
  // The test build: the same client plus the hooks (window.__gridAtlas) the tests read.
  execFileSync(process.execPath, ['scripts/build-client-if-stale.mjs', '--test-hooks'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const server = await startServer({ ...testDbEnv(), GRID_ATLAS_CLIENT_DIST: path.join(PROJECT_ROOT, 'client/dist-test') });
  fs.appendFileSync(inject('serverPids'), `${server.child.pid}\n`);
  const browser = await launchBrowser();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return { server, browser };
}

/** Starts the shared pair; a start that fails is forgotten, so the next file tries again (and reports its own failure). */
function startShared(): Promise<Shared> {
  const starting = start();
  starting.catch(() => {
    if (shared === starting) shared = undefined;
  });
  shared = starting;
  return starting;
}

const alive = (s: Shared) => s.browser.isConnected() && s.server.child.exitCode === null && s.server.child.signalCode === null;

export function useBrowserApp(): BrowserApp {
  const app = { hasChromium: chromiumAvailable() } as BrowserApp;
  beforeAll(async () => {
    if (!app.hasChromium) return;
    let s = await (shared ?? startShared());
    // A server or browser that died in an earlier file is started again rather than failing every file after it.
    if (!alive(s)) {
      await Promise.allSettled([s.server.stop(), s.browser.cleanup()]);
      s = await startShared();
    }
    Object.assign(app, s);
  }, 300_000);
  afterAll(async () => {
    if (!app.browser) return;
    await Promise.all(app.browser.contexts().map((context) => context.close()));
  });
  return app;
}
