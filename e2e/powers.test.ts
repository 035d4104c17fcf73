// 权力下放清单 in a real browser: the list shows 72 statutory powers and 217 enforcement items as the
// API counts them, filters by kind and category; a case's detail names the item it falls under
// (or says the subdistrict does not hold the power) and links to the list. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('权力下放清单 in Chromium', () => {
  it('lists the delegated powers and a case shows the one it falls under', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY, { next: '/powers' });
    expect(new URL(page.url()).pathname).toBe('/powers');
    await page.waitForSelector('[data-testid=power-QL-001]');
    expect(await page.textContent('[data-testid=power-kind-statutory_power]')).toMatch(/法定职权\s*72\s*项/);
    expect(await page.textContent('[data-testid=power-kind-enforcement]')).toMatch(/行政执法事项\s*217\s*项/);
    expect(await page.locator('tbody tr').count()).toBe(289);
    await page.screenshot({ path: path.join(ARTIFACTS, 'powers-list-1920x1080.png') });
    await page.click('[data-testid=power-kind-enforcement]');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 217);
    await page.selectOption('[data-testid=power-category]', 'pets');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 14);
    expect(new URL(page.url()).searchParams.get('category')).toBe('pets');

    // A garbage case and a neighbour dispute, filed in the page (same session).
    const ids = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const grids = await (await fetch('/api/grids')).json();
      const ring: number[][] = grids.features[0].geometry.type === 'Polygon' ? grids.features[0].geometry.coordinates[0] : grids.features[0].geometry.coordinates[0][0];
      const pts = ring.slice(0, -1);
      const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
      const file = async (category: string, description: string) => (await (await fetch('/api/cases', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify({ category, description, lon, lat }),
      })).json()).id as number;
      return [await file('garbage', '浏览器测试：垃圾清运不及时'), await file('neighbour_dispute', '浏览器测试：邻里噪声纠纷')];
    });
    await page.goto(`${app.server.url}/cases?case=${ids[1]}`);
    await page.waitForSelector('[data-testid=case-power]');
    expect(await page.textContent('[data-testid=case-power]')).toContain('街道未获赋权');
    await page.goto(`${app.server.url}/cases?case=${ids[0]}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=case-power]')?.textContent?.includes('QL-001'));
    expect(await page.textContent('[data-testid=case-power]')).toContain('市容环境卫生日常监督检查');
    expect(await page.textContent('[data-testid=case-power]')).toContain('街道已获赋权');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'powers-case-1920x1080.png') });
    await page.click('[data-testid=case-power] a');
    await page.waitForURL((u) => u.pathname === '/powers' && u.searchParams.get('category') === 'garbage');
    await page.waitForSelector('[data-testid=power-ZF-001]');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
