// 四级联办 in a real browser. 协商议办: a grid worker dispatches a noise complaint as a
// consultation to themself, claims it, and walks its 四方共议 through 提议, 商议, 审议 and 合议;
// resolving before the decision is refused with the reason on the form; after the decision the
// case is resolved. 领导领办: the dispatch form names the community's linked city leader and its
// units; once dispatched, the case shows the leader and the coordinating units. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

/** Files a case in the signed-in user's first grid through the API (same session); returns its id. */
async function fileInFirstGrid(page: Page, category: string, description: string): Promise<number> {
  return page.evaluate(async ({ category, description }) => {
    const me = await (await fetch('/api/me')).json();
    const grids = await (await fetch('/api/grids')).json();
    const f = grids.features[0];
    const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const pts = ring.slice(0, -1);
    const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    const res = await fetch('/api/cases', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
      body: JSON.stringify({ category, description, lon, lat }),
    });
    return (await res.json()).id as number;
  }, { category, description });
}

/** The grid worker of the secretary's community's first grid. */
async function gridWorkerName(browser: Browser): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signInThroughForm(page, app.server.url, SECRETARY, { next: '/cases' });
  const code = await page.evaluate(async () => (await (await fetch('/api/grids')).json()).features[0].properties.code as string);
  await ctx.close();
  return `grid-${code}`;
}

async function act(page: Page, action: string, fill?: Record<string, string>): Promise<void> {
  await page.click(`[data-testid=action-${action}]`);
  for (const [testid, value] of Object.entries(fill ?? {})) await page.fill(`[data-testid=${testid}]`, value);
  await page.click('[data-testid=action-submit]');
}

const waitStatus = (page: Page, label: string) =>
  page.waitForFunction((l) => document.querySelector('[data-testid=case-status]')?.textContent?.includes(l), label, { timeout: 30_000 });

describe.skipIf(!app.hasChromium)('四级联办 in Chromium', () => {
  it('协商议办: the 四方共议 goes step by step, and the case is resolved after the decision', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, await gridWorkerName(app.browser), { next: '/cases' });
    const id = await fileInFirstGrid(page, 'noise', `浏览器测试：楼上夜间装修噪声 ${Date.now()}`);
    await page.goto(`${app.server.url}/cases?case=${id}`);
    await page.waitForSelector('[data-testid=action-accept]');
    await act(page, 'accept');
    await page.waitForSelector('[data-testid=action-dispatch]');
    await page.click('[data-testid=action-dispatch]');
    await page.selectOption('[data-testid=dispatch-mode]', 'consultation');
    expect(await page.textContent('[data-testid=dispatch-mode-note]')).toContain('四方共议');
    expect(await page.locator('[data-testid=assign-department]').count()).toBe(0);
    await page.click('[data-testid=assign-grid-worker]');
    await page.click('[data-testid=action-submit]');
    await waitStatus(page, '已派单');
    await page.waitForSelector('[data-testid=case-deliberation]');
    expect(await page.locator('[data-testid=deliberation-form]').count()).toBe(0); // not before the claim
    await act(page, 'claim');
    await waitStatus(page, '已领单');

    const steps: [string, string, string][] = [
      ['propose', '两长四员：李楼长', '提议：约定装修时段为 8:00–12:00、14:00–18:00'],
      ['discuss', '业主委员会', '商议：同意该时段，并张贴告示'],
      ['review', '网格党支部', '审议：程序完备，同意'],
      ['concur', '物业服务中心', '合议：物业负责巡查'],
    ];
    for (const [step, by, note] of steps) {
      await page.waitForSelector('[data-testid=deliberation-form]');
      await page.fill('[data-testid=deliberation-by]', by);
      await page.fill('[data-testid=deliberation-note]', note);
      await page.click('[data-testid=deliberation-submit]');
      await page.waitForFunction((s) => document.querySelector(`[data-testid=deliberation-step-${s}]`)?.classList.contains('done'), step);
      expect(await page.textContent(`[data-testid=deliberation-step-${step}]`)).toContain(by);
    }
    // Four steps taken, no decision yet: resolving is refused with the reason.
    await act(page, 'start');
    await waitStatus(page, '办理中');
    await act(page, 'resolve', { 'action-note': '已约定装修时段' });
    await page.waitForSelector('[data-testid=action-error]');
    expect(await page.textContent('[data-testid=action-error]')).toContain('决议');
    await page.click('text=取消');
    await page.fill('[data-testid=deliberation-by]', '四方共议');
    await page.fill('[data-testid=deliberation-note]', '决议：按约定时段施工，物业巡查');
    await page.click('[data-testid=deliberation-submit]');
    await page.waitForSelector('[data-testid=deliberation-decided]');
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-consultation-1920.png') });
    await act(page, 'resolve', { 'action-note': '已按决议处理' });
    await waitStatus(page, '已办结');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);

  it("领导领办: the case records the community's city leader and the units that coordinate", async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, await gridWorkerName(app.browser), { next: '/cases' });
    const id = await fileInFirstGrid(page, 'garbage', `浏览器测试：小区垃圾站长期满溢 ${Date.now()}`);
    const partners = await page.evaluate(async (caseId) => {
      const c = (await (await fetch(`/api/cases/${caseId}`)).json()).case;
      return (await fetch(`/api/communities/${c.community_id}/partners`)).json();
    }, id);
    await page.goto(`${app.server.url}/cases?case=${id}`);
    await page.waitForSelector('[data-testid=action-accept]');
    await act(page, 'accept');
    await page.waitForSelector('[data-testid=action-dispatch]');
    await page.click('[data-testid=action-dispatch]');
    // The department mode first: the 权力清单 decides the unit, and the form says why.
    await page.selectOption('[data-testid=dispatch-mode]', 'department');
    expect(await page.textContent('[data-testid=dispatch-routing]')).toMatch(/^依据权力清单第1项（QL-001 /);
    await page.selectOption('[data-testid=dispatch-mode]', 'leader_led');
    expect(await page.textContent('[data-testid=dispatch-leader]')).toBe(partners.city_leader);
    expect(await page.locator('[data-testid=dispatch-department]').count()).toBe(0);
    await page.click('[data-testid=action-submit]');
    await waitStatus(page, '已派单');
    await page.waitForSelector('[data-testid=case-leader]');
    expect((await page.textContent('[data-testid=case-leader]'))!.trim()).toBe(partners.city_leader);
    const units = (await page.textContent('[data-testid=case-units]'))!;
    for (const u of partners.units) expect(units).toContain(u.name);
    expect(units).toMatch(/牵头单位/);
    expect(await page.textContent('[data-testid=case-assignee]')).toContain(partners.units[0].name);
    expect(await page.textContent('[data-testid=case-timeline]')).toContain(`牵头领导：${partners.city_leader}`);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-leader-led-1920.png') });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
