// The command centre in a real browser: a city leader signs in and lands on /command; the panels
// show the same figures as the API; screenshots of the city, the coverage choropleth and a
// subdistrict drill-down at 1920×1080 and 3840×2160 are saved to artifacts/ for people to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

describe.skipIf(!app.hasChromium)('command centre in Chromium', () => {
  for (const [w, h] of [[1920, 1080], [3840, 2160]] as const) {
    it(`shows the API's figures and drills into a subdistrict at ${w}×${h}`, async () => {
      const page = await app.browser.newPage({ viewport: { width: w, height: h } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signInThroughForm(page, app.server.url, 'leader');
      expect(new URL(page.url()).pathname).toBe('/command');
      await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });

      // The same figures as the API, read through the page's own session.
      const api = await page.evaluate(async () => {
        const health = await (await fetch('/api/health')).json();
        const cov = await (await fetch('/api/coverage?kind=in_service')).json();
        const subs = await (await fetch('/api/subdistricts')).json();
        return { health, cov, subs };
      });
      expect(await page.textContent('[data-testid=total-households] .value')).toBe(int.format(api.health.counts.households));
      expect(await page.textContent('[data-testid=total-grids] .value')).toBe(int.format(api.health.counts.grids));
      const sum = (k: 'households' | 'covered') => api.cov.grids.reduce((s: number, g: any) => s + g[k], 0);
      await page.waitForFunction((t) => document.querySelector('[data-testid=coverage-percent]')?.textContent?.startsWith(t), ((sum('covered') / sum('households')) * 100).toFixed(1));
      expect(await page.textContent('[data-testid=coverage-uncovered] .value')).toBe(int.format(sum('households') - sum('covered')));
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(ARTIFACTS, `command-city-${w}x${h}.png`) });

      // Coverage choropleth.
      await page.click('[data-testid=metric-coverage]');
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(ARTIFACTS, `command-coverage-${w}x${h}.png`) });

      // Drill into the first subdistrict of the ranking: totals follow its figures.
      const sd = api.subs.features.find((f: any) => f.properties.code === '422801002').properties;
      await page.click(`[data-testid=rank-${sd.id}]`);
      expect(await page.textContent('[data-testid=crumb-subdistrict]')).toBe(sd.name);
      expect(await page.textContent('[data-testid=total-households] .value')).toBe(int.format(sd.households));
      expect(await page.textContent('[data-testid=total-grids] .value')).toBe(int.format(sd.grids));
      await page.waitForTimeout(2000);
      await page.screenshot({ path: path.join(ARTIFACTS, `command-subdistrict-${w}x${h}.png`) });
      await page.click('[data-testid=crumb-city]');
      expect(await page.textContent('[data-testid=total-households] .value')).toBe(int.format(api.health.counts.households));
      expect(errors).toEqual([]);
      await page.close();
    }, 360_000);
  }
});
