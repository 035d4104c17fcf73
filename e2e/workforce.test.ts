// 社区工作者队伍 in a real browser: a city leader sees the reform's figures for the city (64.9 %
// under 40, 76.0 % with a college degree, 49.2 % certified) against the baselines; a community's
// secretary certifies one of their workers in the roster and their community's figure moves (and
// back, so the data stays as seeded). Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('社区工作者队伍 in Chromium', () => {
  it('shows the city figures against the baselines, and a secretary certifies a worker', async () => {
    const errors: string[] = [];
    const leaderCtx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const leader = await leaderCtx.newPage();
    leader.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(leader, app.server.url, 'leader', { next: '/workforce' });
    expect(new URL(leader.url()).pathname).toBe('/workforce');
    await leader.waitForSelector('[data-testid=figure-under_40-value]');
    expect(await leader.textContent('[data-testid=workforce-total]')).toBe('396');
    expect(await leader.textContent('[data-testid=figure-under_40-value]')).toBe('64.9%');
    expect(await leader.textContent('[data-testid=figure-college-value]')).toBe('76.0%');
    expect(await leader.textContent('[data-testid=figure-certified-value]')).toBe('49.2%');
    expect(await leader.textContent('[data-testid=figure-under_40]')).toContain('32.5%');
    expect(await leader.textContent('[data-testid=figure-college]')).toContain('28.62%');
    expect(await leader.textContent('[data-testid=figure-certified]')).toContain('3.53%');
    expect(await leader.locator('[data-testid^=workforce-community-]').count()).toBe(33);
    expect(await leader.locator('[data-testid=workforce-roster]').count()).toBe(0); // names are not a leader's to see
    await leader.screenshot({ path: path.join(ARTIFACTS, 'workforce-city-1920x1080.png') });
    await leaderCtx.close();

    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY, { next: '/workforce' });
    await page.waitForSelector('[data-testid=workforce-roster] tbody tr');
    expect(await page.locator('[data-testid^=workforce-community-]').count()).toBe(1);
    // Every demo worker is marked 模拟 beside their name.
    expect(await page.locator('[data-testid=workforce-roster] tbody tr').count()).toBe(12);
    expect(await page.locator('[data-testid$=-synthetic]', { hasText: '模拟' }).count()).toBe(12);
    const certifiedText = () => page.textContent('[data-testid=figure-certified] .count');
    const before = Number((await certifiedText())!.split('/')[0].trim());
    // The first worker not yet certified: certify them, then take it back.
    const box = page.locator('input[data-testid^=worker-][data-testid$=-certified]:not(:checked)').first();
    const testid = (await box.getAttribute('data-testid'))!;
    await box.check();
    await page.waitForFunction((n) => document.querySelector('[data-testid=figure-certified] .count')?.textContent?.trim().startsWith(`${n} `), before + 1);
    expect(await page.textContent('[data-testid=figure-certified-value]')).toBe(`${(Math.round(1000 * (before + 1) / 12) / 10).toFixed(1)}%`);
    expect(await page.isChecked(`[data-testid=${testid}]`)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'workforce-secretary-1920x1080.png') });
    await page.uncheck(`[data-testid=${testid}]`);
    await page.waitForFunction((n) => document.querySelector('[data-testid=figure-certified] .count')?.textContent?.trim().startsWith(`${n} `), before);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
