// Every page, opened by every role that may open it (and the public pages by a resident with no
// account), runs without a console error, an uncaught exception or a Content-Security-Policy
// violation. The CSP has no 'unsafe-eval', rightly: a library that probes for eval (zod's JIT
// does, unless configured jitless) is reported as a violation on every page.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@grid-atlas/contract';
import { guardDecision } from '../client/src/auth/roles.ts';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/src/config.ts';
import { openTestDb } from '../test/db.ts';
import type { Db } from '../server/src/index.ts';
import { useBrowserApp } from './support/app.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

/** The client's pages by route name (the router cannot be imported outside a browser). */
const PAGES: { name: string; path: string }[] = [
  { name: 'login', path: '/login' },
  { name: 'map', path: '/' },
  { name: 'command', path: '/command' },
  { name: 'community', path: '/community' },
  { name: 'audit', path: '/audit' },
  { name: 'boundaries', path: '/boundaries' },
  { name: 'cases', path: '/cases' },
  { name: 'planner', path: '/planner' },
  { name: 'resources', path: '/resources' },
  { name: 'needs', path: '/needs' },
  { name: 'powers', path: '/powers' },
  { name: 'workforce', path: '/workforce' },
  { name: 'vanguard', path: '/vanguard' },
  { name: 'organisations', path: '/organisations' },
  { name: 'evaluation', path: '/evaluation' },
  { name: 'report', path: '/report' },
];

/** Records what a page reports as wrong: console errors, uncaught exceptions, CSP violations. */
function watch(page: Page, problems: string[], who: string) {
  const where = () => new URL(page.url()).pathname;
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    // Signed out (before signing in, too), the session store's "who am I?" is answered 401, which
    // the browser logs as a failed load; that answer is the sign-out state, not a fault.
    if (m.text().includes('status of 401') && new URL(m.location().url).pathname === '/api/me') return;
    problems.push(`${who} ${where()}: console error: ${m.text()} (${m.location().url})`);
  };
  page.on('console', onConsole);
  page.on('pageerror', (e) => problems.push(`${who} ${where()}: uncaught: ${e.message}`));
  page.on('worker', (w) => w.on('console', onConsole));
  // A violation the browser does not also log (and one it does, twice: either way, listed).
  return page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline/eval)'}`),
    );
  });
}

async function visit(page: Page, url: string) {
  await page.goto(url, { waitUntil: 'load' });
  // The views load their data after the page has loaded; let them draw.
  await page.waitForFunction(() => (document.querySelector('#app')?.childElementCount ?? 0) > 0);
  await page.waitForTimeout(500);
}

async function accountsByRole(): Promise<Map<Role, string>> {
  const { rows } = await db.query<{ role: Role; username: string }>(
    `SELECT DISTINCT ON (role) role, username FROM users WHERE active AND demo_password ORDER BY role, id`,
  );
  return new Map(rows.map((r) => [r.role, r.username]));
}

async function newPage(browser: Browser, problems: string[], who: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await ctx.newPage();
  await watch(page, problems, who);
  return page;
}

describe.skipIf(!app.hasChromium)('every page, every role, a clean console', () => {
  it('opens every page the router has (but the follow page of one report, which needs its token)', () => {
    const router = fs.readFileSync(path.join(PROJECT_ROOT, 'client/src/router/index.ts'), 'utf8');
    const declared = [...router.matchAll(/^\s*path: '([^']+)',$/gm)].map((m) => m[1]).filter((p) => !p.includes(':')).sort();
    expect(PAGES.map((p) => p.path).sort()).toEqual(declared);
  });

  it('has no console error, uncaught exception or CSP violation on any page', async () => {
    const problems: string[] = [];
    const visited: string[] = [];

    // Nobody signed in: the sign-in page and the residents' report page.
    const anonymous = await newPage(app.browser, problems, 'anonymous');
    for (const p of ['/login', '/report']) {
      await visit(anonymous, `${app.server.url}${p}`);
      visited.push(`anonymous ${p}`);
    }
    await anonymous.context().close();

    const accounts = await accountsByRole();
    expect([...accounts.keys()].sort()).toEqual([...ROLES].sort());
    for (const [role, username] of accounts) {
      const page = await newPage(app.browser, problems, role);
      await signInThroughForm(page, app.server.url, username);
      for (const p of PAGES) {
        if (p.name === 'login') continue;
        if (guardDecision({ name: p.name, fullPath: p.path, query: {} }, role) !== true) continue;
        await visit(page, `${app.server.url}${p.path}`);
        visited.push(`${role} ${p.path}`);
      }
      await page.context().close();
    }
    expect(visited.length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  }, 900_000);
});
