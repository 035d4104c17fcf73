// The administrator's audit log in a real browser: admin signs in through the form, opens the
// log from the user menu, sees their own sign-in on top, filters to user changes (the demo
// accounts' creation), expands one to its values; a city leader is kept off the page.
// Screenshots go to artifacts/audit-*.png.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

/** Waits for the page's test hook (set after each load, removed while one runs): rows shown. */
async function waitForAudit(page: Page): Promise<number> {
  await page.waitForFunction(() => document.documentElement.dataset.auditLoaded, null, { timeout: 60_000 });
  return Number(await page.evaluate(() => document.documentElement.dataset.auditLoaded));
}

async function rowTexts(page: Page, testid: string): Promise<string[]> {
  return page.$$eval(`[data-testid=audit-row] [data-testid=${testid}]`, (els) => els.map((el) => el.textContent?.trim() ?? ''));
}

describe.skipIf(!app.hasChromium)('audit log in Chromium', () => {
  it('shows the audit log to admin: own sign-in first, filter, before/after values', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInThroughForm(page, app.server.url, 'admin');
    expect(new URL(page.url()).pathname).toBe('/command');
    await openUserMenu(page);
    await page.click('[data-testid=user-menu] [data-testid=audit-link]');
    await page.waitForURL((url) => url.pathname === '/audit');
    const shown = await waitForAudit(page);
    expect(shown).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=audit-row]').count()).toBe(shown);

    // Newest first: admin's own sign-in a moment ago.
    const first = page.locator('[data-testid=audit-row]').first();
    expect(await first.locator('[data-testid=audit-action]').textContent()).toBe('登录');
    expect((await first.locator('[data-testid=audit-actor]').textContent())?.trim()).toBe('admin');
    expect(await first.getAttribute('data-entity')).toBe('session');

    // Only user changes: the demo accounts were created by the system, with audit entries.
    await page.click('[data-testid=audit-filter][data-entity=user]');
    const users = await waitForAudit(page);
    expect(users).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('entity')).toBe('user');
    const entities = await rowTexts(page, 'audit-entity');
    expect(entities).toHaveLength(users);
    for (const text of entities) expect(text).toMatch(/^用户 #\d+/);
    expect(await rowTexts(page, 'audit-actor')).toContain('system:demo-accounts');

    // Expand a creation: its values, as written.
    const created = page.locator('[data-testid=audit-row][data-action=create]').first();
    const subject = (await created.locator('[data-testid=audit-entity]').textContent())!;
    const username = subject.split(' · ')[1]!;
    expect(username).toBeTruthy();
    await created.locator('[data-testid=audit-expand]').click();
    expect(await created.locator('[data-testid=audit-expand]').getAttribute('aria-expanded')).toBe('true');
    const diff = page.locator('[data-testid=audit-diff]').first();
    await diff.waitFor();
    const after = await diff.locator('[data-testid=audit-diff-row]').evaluateAll((rows) =>
      Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.field, r.querySelector('[data-testid=audit-after]')?.textContent?.trim()])),
    );
    expect(after.username).toBe(username);
    expect(after.active).toBe('启用');
    expect(after.role).toMatch(/（[a-z_]+）$/);

    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-1920x1080.png') });
    for (const [w, h] of [[3840, 2160], [1366, 768]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: path.join(ARTIFACTS, `audit-${w}x${h}.png`) });
    }

    // Older pages and back; then the way back to the map.
    if (await page.isEnabled('[data-testid=audit-page-next]')) {
      const firstId = await page.locator('[data-testid=audit-row]').first().getAttribute('data-entry-id');
      await page.click('[data-testid=audit-page-next]');
      await waitForAudit(page);
      const olderId = await page.locator('[data-testid=audit-row]').first().getAttribute('data-entry-id');
      expect(Number(olderId)).toBeLessThan(Number(firstId));
      await page.click('[data-testid=audit-page-prev]');
      await waitForAudit(page);
      expect(await page.locator('[data-testid=audit-row]').first().getAttribute('data-entry-id')).toBe(firstId);
    }
    await openUserMenu(page);
    await page.click('[data-testid=user-menu] [data-testid=map-link]');
    await page.waitForURL((url) => url.pathname === '/');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps a city leader off the audit log', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signInThroughForm(page, app.server.url, 'leader');
    // The menu is open and shows the leader's views, without the audit log.
    await openUserMenu(page);
    expect(await page.locator('[data-testid=user-menu] [data-testid=planner-link]').count()).toBe(1);
    expect(await page.locator('[data-testid=user-menu] [data-testid=audit-link]').count()).toBe(0);
    await page.goto(`${app.server.url}/audit`);
    await page.waitForURL((url) => url.pathname === '/command');
    await page.waitForSelector('[data-testid=user-menu]');
    expect(await page.locator('[data-testid=audit-view]').count()).toBe(0);
    await page.close();
  });
});
