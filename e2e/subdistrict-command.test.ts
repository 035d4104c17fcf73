// A subdistrict's administrator in a real browser: the map's header shows their subdistrict's
// figures (not the city's), and the command centre opens on their subdistrict: its totals, the
// ranking and the boards of its communities and grids (no city, no other subdistricts), the live
// layer's counts of its open cases. A screenshot is saved to artifacts/ for people to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

describe.skipIf(!app.hasChromium)("a subdistrict admin's command centre in Chromium", () => {
  it("shows the subdistrict's figures in the map's header and its own command centre", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'subdistrict-422801001');
    // Signed in (the login page's 401 for "who am I?" is the signed-out state): a figure the
    // centre asked of the city would be a 404, logged as a failed load.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
    });
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
    const api = await page.evaluate(async () => {
      const subs = await (await fetch('/api/subdistricts')).json();
      const open = await (await fetch('/api/cases?status=submitted,accepted,dispatched,claimed,in_progress&limit=1')).json();
      const kpi = await (await fetch('/api/kpis')).json();
      return { sd: subs.features.map((f: any) => f.properties), open: open.total, kpi };
    });
    expect(api.sd.map((s: any) => s.name)).toEqual(['舞阳坝街道']);
    const sd = api.sd[0];
    expect(sd.communities).toBe(8);
    expect(sd.households).toBe(14_308);
    // The header: 8 · 56 · 14,308, the subdistrict's, and no count of subdistricts.
    const stat = (k: string) => page.textContent(`[data-testid=header-stats] [data-stat=${k}] dd`);
    await page.waitForFunction(() => !!document.querySelector('[data-testid=header-stats] [data-stat=households] dd')?.textContent?.trim());
    expect((await stat('communities'))?.trim()).toBe(int.format(sd.communities));
    expect((await stat('grids'))?.trim()).toBe(int.format(sd.grids));
    expect((await stat('households'))?.trim()).toBe(`${int.format(sd.households)}户`);
    expect(await page.locator('[data-testid=header-stats] [data-stat=subdistricts]').count()).toBe(0);
    // The map's extent is the subdistrict: its overview button does not promise the city.
    expect((await page.textContent('[data-testid=overview-home]'))?.trim()).toBe('街道总览');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-subdistrict-1920x1080.png'), timeout: 120_000 });

    // The command centre, from the menu (it no longer sends them back to the map).
    await openUserMenu(page);
    await page.click('[data-testid=command-link]');
    await page.waitForURL((url) => url.pathname === '/command');
    await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
    await page.waitForSelector('[data-testid=crumb-subdistrict]');
    expect(await page.locator('[data-testid=crumb-city]').count()).toBe(0);
    expect(await page.textContent('[data-testid=crumb-subdistrict]')).toBe('舞阳坝街道');
    expect(await page.textContent('[data-testid=panel-totals] h2')).toBe('舞阳坝街道总览');
    expect(await page.textContent('[data-testid=total-households] .value')).toBe(int.format(sd.households));
    expect(await page.textContent('[data-testid=total-grids] .value')).toBe(int.format(sd.grids));
    expect(await page.textContent('[data-testid=total-communities] .value')).toBe(int.format(sd.communities));
    expect(await page.textContent('[data-testid=total-cadres]')).toBe(`${int.format(sd.cadres)}联系干部（人）`);
    // The ranking is of its communities; the boards rank communities and grids, no subdistricts.
    expect(await page.textContent('[data-testid=panel-ranking] h2')).toBe('社区覆盖排名');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=panel-ranking] .rank-row').length === 8);
    expect(await page.locator('[data-testid=board-subdistrict]').count()).toBe(0);
    await page.waitForSelector('[data-testid=board-community]');
    await page.waitForSelector('[data-testid=board-grid]');
    // KPIs and the live layer: the subdistrict's.
    expect(api.kpi.level).toBe('subdistrict');
    await page.waitForFunction(() => document.querySelector('[data-testid=kpi-open] .value')?.textContent !== '—', null, { timeout: 60_000 });
    expect(await page.textContent('[data-testid=kpi-open] .value')).toBe(int.format(api.kpi.total.open));
    await page.waitForFunction((n) => document.querySelector('[data-testid=open-cases]')?.textContent === n, int.format(api.open), { timeout: 60_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'command-subdistrict-1920x1080.png'), timeout: 120_000 });

    // A click on a community drills into it; the breadcrumb's subdistrict goes back, never above it.
    const first = await page.getAttribute('[data-testid=panel-ranking] .rank-row', 'data-testid');
    await page.click(`[data-testid=${first}]`);
    await page.waitForSelector('[data-testid=crumb-community]');
    await page.click('[data-testid=crumb-subdistrict]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=crumb-community]'));
    expect(await page.textContent('[data-testid=panel-totals] h2')).toBe('舞阳坝街道总览');
    expect(errors).toEqual([]);
    await page.close();
  }, 400_000);
});
