// The dashboard in a real browser: the server serves the built client, a city leader signs in
// through the login page, the page draws the 359 grids from the API, and a screenshot is saved
// for people to look at.
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('dashboard in Chromium', () => {
  for (const [w, h] of [[1920, 1080], [3840, 2160]] as const) {
    // What 3840×2160 adds is the size of what is drawn, the same on either database: the run
    // against a real server leaves it to the embedded run (as the command centre's test does).
    it.skipIf(w === 3840 && inject('db').kind !== 'embedded')(`draws the 359 grids at ${w}×${h}`, async () => {
      const page = await app.browser.newPage({ viewport: { width: w, height: h } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signInThroughForm(page, app.server.url, 'leader');
      // Leaders land on the command centre; the city map is one click (here: one URL) away.
      expect(new URL(page.url()).pathname).toBe('/command');
      await page.goto(`${app.server.url}/`);
      await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
      const loaded = await page.evaluate(() => ({
        attr: Number(document.documentElement.dataset.gridsLoaded),
        count: (window as any).__gridAtlas?.gridCount,
        rendered: (window as any).__gridAtlas?.map?.queryRenderedFeatures().length ?? 0,
      }));
      expect(loaded.attr).toBe(359);
      expect(loaded.count).toBe(359);
      expect(loaded.rendered).toBeGreaterThan(0);
      expect(await page.textContent('body')).toContain('合成数据');
      expect(await page.textContent('[data-testid=user-menu]')).toContain('市领导');
      // The header holds the whole title beside the key figures, the notice and the user: nothing
      // in it is cut (the title once shrank to "恩…" behind a row of view buttons).
      const header = await page.evaluate(() => {
        const title = document.querySelector<HTMLElement>('header h1')!;
        const parts = [...document.querySelector('header')!.children].map((el) => el.getBoundingClientRect().right);
        return { text: title.textContent, clipped: title.scrollWidth - title.clientWidth, right: Math.max(...parts), width: innerWidth };
      });
      expect(header.text).toBe('恩施市 网格一张图');
      expect(header.clipped).toBeLessThanOrEqual(0);
      expect(header.right).toBeLessThanOrEqual(header.width);
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${w}x${h}.png`) });

      // The other views and sign-out are in the person's menu: Escape closes it and gives the
      // focus back, a press outside closes it, and sign-out from it leaves for the login page.
      await openUserMenu(page);
      expect(await page.locator('[data-testid=user-menu-list] [role=menuitem]').allTextContents()).toEqual(['网格规划', '需求清单', '资源清单', '社区工作者', '红色尖刀班', '五社联动', '三级考评', '访问令牌', '退出登录']);
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-menu-${w}x${h}.png`) });
      await page.keyboard.press('Escape');
      expect(await page.locator('[data-testid=user-menu-list]').count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('user-menu-toggle');
      await openUserMenu(page);
      await page.mouse.click(w / 2, h / 2);
      expect(await page.locator('[data-testid=user-menu-list]').count()).toBe(0);
      await openUserMenu(page);
      await page.click('[data-testid=logout]');
      await page.waitForURL((url) => url.pathname === '/login');
      expect(errors).toEqual([]);
      await page.close();
    }, 240_000); // software WebGL at 3840×2160 on 2 cores takes a while; this is no timing assertion
  }
});
