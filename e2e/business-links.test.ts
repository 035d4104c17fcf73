// 双定三联's third link in a real browser: a community's secretary switches on the businesses
// (经营主体) of the community map, and the businesses near the members' homes are drawn with a
// line from each linked member's home; the legend says the businesses are synthetic (模拟) and
// gives the figures the API gives. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('经营主体 links in Chromium', () => {
  it('draws the community’s businesses and the members’ links to them, labelled 模拟', async () => {
    const errors: string[] = [];
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY, { next: '/community' });
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    const community = Number(await page.evaluate(() => document.documentElement.dataset.communityLoaded));
    const api = await page.evaluate(async (id) => {
      const body = await (await fetch(`/api/business-links?community=${id}`)).json();
      return {
        businesses: body.businesses.length as number,
        links: body.links.length as number,
        members: new Set((body.links as { cadre_id: number }[]).map((l) => l.cadre_id)).size,
      };
    }, community);
    expect(api.businesses).toBeGreaterThan(0);
    expect(api.links).toBeGreaterThanOrEqual(api.members);
    await page.click('label:has([data-testid=toggle-businesses])');
    await page.waitForFunction((n) => document.documentElement.dataset.markersBusinesses === String(n), api.businesses, { timeout: 60_000 });
    await page.waitForSelector('[data-testid=businesses-figures]');
    const figures = (await page.textContent('[data-testid=businesses-figures]'))!.replace(/\s+/g, ' ');
    expect(figures).toContain('模拟');
    expect(figures).toContain(`经营主体 ${api.businesses.toLocaleString('en-US')} 家`);
    expect(figures).toContain(`联系党员 ${api.members.toLocaleString('en-US')} 名`);
    expect(figures).toContain(`联系 ${api.links.toLocaleString('en-US')} 条`);
    expect(await page.textContent('[data-testid=businesses-legend]')).toContain('个体工商户');
    await page.screenshot({ path: path.join(ARTIFACTS, 'business-links-community-map-1920x1080.png') });
    // Off again: nothing drawn.
    await page.click('label:has([data-testid=toggle-businesses])');
    await page.waitForFunction(() => document.documentElement.dataset.markersBusinesses === '0', null, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
