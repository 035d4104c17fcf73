// 社区大党委 · 包保 in a real browser: the secretary's community page shows her community's linked
// leaders, lead unit and responsible units as the API has them; her whistle form offers exactly
// those units (not the city's 24), and a whistle to one of them shows on the case. The map's
// grid card shows the grid's community's units. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
// a party member's city map holds their one grid (secretaries and grid workers have the community view instead)
const MEMBER = 'member-422801001001001';
const app = useBrowserApp();

interface Partners { community_id: number; prefecture_leader: string; city_leader: string; units: { department_id: number; name: string; role: string }[] }

const partnersOf = (page: Page, id: number) =>
  page.evaluate(async (c) => (await fetch(`/api/communities/${c}/partners`)).json(), id) as Promise<Partners>;

describe.skipIf(!app.hasChromium)('社区大党委 · 包保 in Chromium', () => {
  it('the secretary sees her community\'s units and whistles exactly those', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY);
    expect(new URL(page.url()).pathname).toBe('/community');
    const id = Number((await page.evaluate(async () => (await (await fetch('/api/me')).json()).scope.id)));
    const partners = await partnersOf(page, id);
    await page.waitForSelector('[data-testid=community-partners] [data-testid=partners-city]');
    const panel = page.locator('[data-testid=community-partners]');
    expect(await panel.locator('li').allTextContents()).toEqual(
      partners.units.map((u) => `${u.role === 'lead' ? '牵头单位' : '责任单位'}${u.name}`));
    expect(await panel.textContent()).toContain(partners.city_leader.replace('联系市领导（虚构）', ''));
    expect(await panel.textContent()).toContain(partners.prefecture_leader.replace('联系州领导（虚构）', ''));
    expect(await panel.textContent()).toContain('虚构');
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'partners-community-1920x1080.png') });

    // A case in her community, filed in the page (same session), opened in the inbox.
    const filed = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const grids = await (await fetch('/api/grids')).json();
      const ring: number[][] = grids.features[0].geometry.type === 'Polygon' ? grids.features[0].geometry.coordinates[0] : grids.features[0].geometry.coordinates[0][0];
      const pts = ring.slice(0, -1);
      const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
      const res = await fetch('/api/cases', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify({ category: 'collective_appeal', description: `浏览器测试：征迁安置诉求 ${Date.now()}`, lon, lat }),
      });
      return res.json();
    });
    expect(filed.id).toBeGreaterThan(0);
    await page.goto(`${app.server.url}/cases?case=${filed.id}`);
    await page.waitForSelector('[data-testid=action-whistle]');
    await page.click('[data-testid=action-whistle]');
    await page.waitForSelector('[data-testid=whistle-units]');
    const offered = await page.locator('[data-testid=whistle-units] label').allTextContents();
    expect(offered).toEqual(partners.units.map((u) => `${u.name}${u.role === 'lead' ? '牵头单位' : '责任单位'}`));
    expect(offered.length).toBeLessThan(24);
    const unit = partners.units[1];
    await page.check(`[data-testid=whistle-unit-${unit.department_id}] input`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'partners-whistle-1920x1080.png') });
    await page.click('[data-testid=action-submit]');
    await page.waitForFunction((name) => document.querySelector('[data-testid=case-detail]')?.textContent?.includes(`${name}（待报到）`), unit.name);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);

  it('the map\'s grid card shows the grid\'s community\'s units', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    await signInThroughForm(page, app.server.url, MEMBER, { next: '/' });
    await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
    // the camera settles on the worker's grid before a click is aimed at it
    await page.waitForTimeout(1500);
    await page.waitForFunction(() => !(window as any).__gridAtlas.map.isMoving(), null, { timeout: 30_000 });
    const at = await page.evaluate(async () => {
      const grids = await (await fetch('/api/grids')).json();
      const f = grids.features[0];
      const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const pts = ring.slice(0, -1);
      const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
      const map = (window as any).__gridAtlas.map;
      const p = map.project([lon, lat]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y, community: f.properties.community_id as number };
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'partners-grid-map-1366x768.png') });
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('[data-testid=grid-card] [data-testid=community-partners] li');
    const partners = await partnersOf(page, at.community);
    expect(await page.locator('[data-testid=grid-card] [data-testid=community-partners] li').count()).toBe(partners.units.length);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'partners-grid-card-1366x768.png') });
    await ctx.close();
  }, 240_000);
});
