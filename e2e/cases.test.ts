// The case inboxes in a real browser: a grid worker files a case at their position; the
// secretary of that community, with the inbox already open, sees it appear without a reload; the
// grid worker escalates it to the community (a grid-level case is the grid worker's to dispatch),
// and the secretary dispatches it to a department; that department's staff claims and resolves it. Screenshots of
// each inbox at 1920×1080 and one at 1366×768 go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(1500); // let the map draw its tiles and dots
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

describe.skipIf(!app.hasChromium)('case inboxes in Chromium', () => {
  it('a grid worker files, the secretary sees it live and dispatches, the department claims and resolves', async () => {
    const full = { width: 1920, height: 1080 };
    // The secretary's inbox is open first: the new case must arrive through the live stream.
    const secCtx = await app.browser.newContext({ viewport: full });
    const sec = await secCtx.newPage();
    await signInThroughForm(sec, app.server.url, SECRETARY);
    const { gridCode, point } = await sec.evaluate(async () => {
      const grids = await (await fetch('/api/grids')).json();
      const f = grids.features[0];
      const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const pts = ring.slice(0, -1);
      const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
      return { gridCode: f.properties.code as string, point: [lon, lat] as [number, number] };
    });
    await sec.goto(`${app.server.url}/cases`);
    await sec.waitForSelector('[data-testid=case-list]');

    // The grid worker files at their current position (the device's geolocation).
    const gwCtx = await app.browser.newContext({
      viewport: full, geolocation: { longitude: point[0], latitude: point[1] }, permissions: ['geolocation'],
    });
    const gw = await gwCtx.newPage();
    await signInThroughForm(gw, app.server.url, `grid-${gridCode}`);
    await gw.goto(`${app.server.url}/cases`);
    await gw.click('[data-testid=new-case]');
    await gw.waitForSelector('[data-testid=new-case-category] option:nth-child(2)', { state: 'attached' });
    const category = await gw.locator('[data-testid=new-case-category] option').nth(1).getAttribute('value');
    await gw.selectOption('[data-testid=new-case-category]', category!);
    const text = `浏览器测试：楼道堆放杂物 ${Date.now()}`;
    await gw.fill('[data-testid=new-case-description]', text);
    await gw.click('text=使用当前位置');
    await gw.waitForSelector('[data-testid=new-case-point]');
    await shot(gw, 'cases-grid-worker-new-1920.png');
    await gw.click('[data-testid=new-case-submit]');
    await gw.waitForSelector('[data-testid=case-detail] [data-testid=case-number]');
    const number = (await gw.textContent('[data-testid=case-number]'))!.trim();
    expect(number).toMatch(/^ES\d{8}-\d{4}$/);
    await shot(gw, 'cases-grid-worker-1920.png');

    // Filed in the grid, the case is the grid worker's to dispatch; this one needs the community.
    await gw.click('[data-testid=action-escalate]');
    await gw.fill('[data-testid=action-reason]', '需社区协调处理');
    await gw.click('[data-testid=action-submit]');
    await gw.waitForFunction(() => document.querySelector('[data-testid=case-status]')?.textContent?.includes('已受理'));

    // The new case appears in the secretary's list without a reload. The suite shares one database,
    // so the first page may already be full (a row count need not grow); the newest case is on top.
    const row = sec.locator('[data-testid=case-row]', { hasText: text });
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    await sec.waitForSelector('[data-testid=case-actions]');
    // Accept first when the case arrives as submitted, then dispatch to the first department.
    if (await sec.locator('[data-testid=action-accept]').count()) {
      await sec.click('[data-testid=action-accept]');
      await sec.click('[data-testid=action-submit]');
      await sec.waitForSelector('[data-testid=action-dispatch]');
    }
    await sec.click('[data-testid=action-dispatch]');
    // The party-member picker (a consultation's, 协商议办) lists the case grid's members by name;
    // then the department mode, and a department, is chosen.
    await sec.selectOption('[data-testid=dispatch-mode]', 'consultation');
    await sec.click('[data-testid=assign-party-member]');
    await sec.waitForFunction(() => document.querySelectorAll('[data-testid=dispatch-cadre] option').length > 0, null, { timeout: 30_000 });
    expect(await sec.locator('[data-testid=dispatch-cadre] option').first().textContent()).toMatch(/(在职|下沉)党员 · 联系 \d+ 户/);
    await sec.selectOption('[data-testid=dispatch-mode]', 'department');
    await sec.click('[data-testid=assign-department]');
    // The resources list suggests units for the case's category; a click on one chooses it.
    await sec.waitForSelector('[data-testid=dispatch-suggestions] button', { timeout: 30_000 });
    const suggested = sec.locator('[data-testid=dispatch-suggestions] button').first();
    const suggestedId = (await suggested.getAttribute('data-testid'))!.replace('suggest-', '');
    await suggested.click();
    expect(await sec.inputValue('[data-testid=dispatch-department]')).toBe(suggestedId);
    const deptValue = await sec.locator('[data-testid=dispatch-department] option').nth(1).getAttribute('value');
    await sec.selectOption('[data-testid=dispatch-department]', deptValue!);
    await sec.click('[data-testid=action-submit]');
    await sec.waitForFunction(() => document.querySelector('[data-testid=case-status]')?.textContent?.includes('已派单'));
    await shot(sec, 'cases-secretary-1920.png');

    // The department's staff (dept-1 is the first department by code, as the list orders them).
    const depCtx = await app.browser.newContext({ viewport: full });
    const dep = await depCtx.newPage();
    await signInThroughForm(dep, app.server.url, 'dept-1');
    expect(new URL(dep.url()).pathname).toBe('/cases');
    await dep.locator('[data-testid=case-row]', { hasText: text }).click();
    await dep.click('[data-testid=action-claim]');
    await dep.click('[data-testid=action-submit]');
    await dep.waitForSelector('[data-testid=action-start]');
    await dep.click('[data-testid=action-start]');
    await dep.click('[data-testid=action-submit]');
    await dep.waitForSelector('[data-testid=action-resolve]');
    await dep.click('[data-testid=action-resolve]');
    await dep.fill('[data-testid=action-note]', '已清理楼道杂物');
    await dep.click('[data-testid=action-submit]');
    await dep.waitForFunction(() => document.querySelector('[data-testid=case-status]')?.textContent?.includes('已办结'));
    expect(await dep.textContent('[data-testid=case-timeline]')).toContain('已清理楼道杂物');
    await shot(dep, 'cases-department-1920.png');

    // The secretary sees the resolution live, at a laptop size.
    await sec.setViewportSize({ width: 1366, height: 768 });
    await sec.waitForFunction(() => document.querySelector('[data-testid=case-status]')?.textContent?.includes('已办结'), null, { timeout: 60_000 });
    await shot(sec, 'cases-secretary-1366.png');
    await Promise.all([secCtx.close(), gwCtx.close(), depCtx.close()]);
  }, 240_000);
});
