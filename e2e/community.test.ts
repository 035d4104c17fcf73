// The community secretary's view in a real browser: sign in through the form, land on
// /community, see only 官坡社区 (grids, household points, list rows), search the list, and be
// kept off the city overview. Screenshots at a laptop and a tablet size go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const COMMUNITY = '官坡社区';

const app = useBrowserApp();

async function waitForCommunity(page: Page): Promise<string> {
  await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
  return page.evaluate(() => document.documentElement.dataset.communityLoaded!);
}

/** What the API answers this session, fetched in the page (same cookie). */
async function apiFacts(page: Page, communityId: string) {
  return page.evaluate(async (id) => {
    const grids = await (await fetch('/api/grids')).json();
    const total = (await (await fetch(`/api/households/records?community=${id}&limit=1`)).json()).total;
    return {
      gridCount: grids.features.length as number,
      communities: [...new Set(grids.features.map((f: any) => f.properties.community_name))] as string[],
      gridNames: grids.features.map((f: any) => f.properties.name) as string[],
      households: Number(total),
    };
  }, communityId);
}

describe.skipIf(!app.hasChromium)('community view in Chromium', () => {
  it('lands an anonymous visit to / on /login', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(app.server.url);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.waitForSelector('[data-testid=login-form]');
    expect(await page.textContent('body')).not.toContain('enshi-demo');
    await page.close();
  });

  it('shows a wrong password as the server says it', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${app.server.url}/login`);
    await page.fill('input[name=username]', SECRETARY);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=login-error]');
    expect(await page.textContent('[data-testid=login-error]')).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    it(`shows only ${COMMUNITY} to its secretary at ${w}×${h}`, async () => {
      const page = await app.browser.newPage({ viewport: { width: w, height: h } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));

      await signInThroughForm(page, app.server.url, SECRETARY);
      expect(new URL(page.url()).pathname).toBe('/community');
      const id = await waitForCommunity(page);
      const facts = await apiFacts(page, id);
      expect(facts.communities).toEqual([COMMUNITY]);

      const drawn = await page.evaluate(() => ({
        gridCount: (window as any).__gridAtlas?.gridCount,
        householdCount: (window as any).__gridAtlas?.householdCount,
        rendered: (window as any).__gridAtlas?.map.queryRenderedFeatures({ layers: ['ga-grid-fill'] }).length ?? 0,
      }));
      expect(drawn.gridCount).toBe(facts.gridCount);
      expect(drawn.gridCount).toBeGreaterThan(0);
      expect(drawn.householdCount).toBe(facts.households);
      expect(drawn.rendered).toBeGreaterThan(0);

      // The list: the server's total, and every row in one of 官坡社区's grids.
      expect(await page.textContent('[data-testid=household-total]')).toContain(facts.households.toLocaleString('zh-CN'));
      const rows = await page.$$eval('[data-testid=household-row]', (els) =>
        els.map((e) => ({ grid: e.getAttribute('data-grid-name')!, community: e.getAttribute('data-community-id')! })),
      );
      expect(rows.length).toBe(Math.min(50, facts.households));
      for (const r of rows) {
        expect(facts.gridNames).toContain(r.grid);
        expect(r.community).toBe(id);
      }
      expect(await page.textContent('[data-testid=user-menu]')).toContain(COMMUNITY);
      expect(await page.textContent('body')).toContain('合成数据');

      await page.screenshot({ path: path.join(ARTIFACTS, `community-${w}x${h}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('searches the list, flies to a household, and keeps the secretary off the city map', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY);
    await waitForCommunity(page);

    // Search by the first row's head name: fewer rows, each matching.
    const name = (await page.textContent('[data-testid=household-row] .name'))!.trim();
    const before = await page.textContent('[data-testid=household-total]');
    await page.fill('[data-testid=household-search]', name);
    await page.press('[data-testid=household-search]', 'Enter');
    await page.waitForFunction((b) => document.querySelector('[data-testid=household-total]')?.textContent !== b, before);
    await page.waitForFunction(() => !document.querySelector('.rows.stale'));
    const found = await page.$$eval('[data-testid=household-row] .name', (els) => els.map((e) => e.textContent!.trim()));
    expect(found.length).toBeGreaterThan(0);
    for (const n of found) expect(n).toContain(name);

    // Clicking a row brings the camera to that household.
    const target = await page.evaluate(() => (window as any).__gridAtlas.map.getZoom());
    await page.click('[data-testid=household-row] >> nth=0');
    await page.waitForFunction((z) => (window as any).__gridAtlas.map.getZoom() > z + 0.5 || (window as any).__gridAtlas.map.getZoom() >= 17, target, { timeout: 10_000 });
    expect(await page.getAttribute('[data-testid=household-row] >> nth=0', 'class')).toContain('focused');

    // The city overview is not theirs: / goes back to /community.
    await page.goto(app.server.url);
    await page.waitForURL((url) => url.pathname === '/community');
    await waitForCommunity(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});
