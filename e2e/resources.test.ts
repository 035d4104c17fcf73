// The resources list in a real browser: a unit's staff member opens it from the menu, adds an
// entry for their own unit (category, capacity, service area) and sees it listed; the entry is
// what the API then offers dispatchers. Screenshot to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('resources list in Chromium', () => {
  it('lets a unit\'s staff add an entry to their own unit', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'dept-1');
    await openUserMenu(page);
    await page.click('[data-testid=resources-link]');
    await page.waitForSelector('[data-testid=resource-new]');
    const name = `社区上门维修服务队 ${Date.now()}`;
    await page.click('[data-testid=resource-new]');
    await page.fill('[data-testid=resource-name]', name);
    await page.fill('[data-testid=resource-capacity]', '12');
    await page.check('[data-testid=resource-cat-garbage]');
    // An empty name is refused with the server's reason, and nothing is added.
    await page.fill('[data-testid=resource-name]', ' ');
    await page.click('[data-testid=resource-save]');
    await page.waitForSelector('[data-testid=resource-error]');
    expect(await page.textContent('[data-testid=resource-error]')).toContain('名称不能为空');
    await page.fill('[data-testid=resource-name]', name);
    await page.click('[data-testid=resource-save]');
    await page.waitForSelector(`li:has-text("${name}")`);
    const mine = await page.evaluate(async (n) => {
      const { resources } = await (await fetch('/api/resources')).json();
      return resources.find((r: any) => r.name === n);
    }, name);
    expect(mine).toMatchObject({ department_code: 'D01', capacity: 12, categories: ['garbage'], community_ids: null, active: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'resources-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
