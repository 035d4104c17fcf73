// The shared fixture of the browser tests: the built client served by the real server on the
// test run's database, and one Chromium. Registers its own beforeAll/afterAll.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
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

export function useBrowserApp(): BrowserApp {
  const app = { hasChromium: chromiumAvailable() } as BrowserApp;
  beforeAll(async () => {
    if (!app.hasChromium) return;
    // The test build: the same client plus the hooks (window.__gridAtlas) the tests read.
    execFileSync(process.execPath, ['scripts/build-client-if-stale.mjs', '--test-hooks'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    app.server = await startServer({ ...testDbEnv(), GRID_ATLAS_CLIENT_DIST: path.join(PROJECT_ROOT, 'client/dist-test') });
    app.browser = await launchBrowser();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await app.browser?.cleanup();
    await app.server?.stop();
  });
  return app;
}
