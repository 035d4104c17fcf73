// The needs list in a real browser, by the people who move a need: a party member gathers it on
// the map of their own grid; the grid worker records the building's verdict; (the branch, the
// community's committee and the subdistrict take their steps through the API); the community
// secretary picks the matching unit from the suggestions and dispatches it; that unit's staff
// claim and fulfil it. Screenshots to artifacts/.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

async function as(browser: Browser, username: string, errors: string[], next?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
  await signInThroughForm(page, app.server.url, username, { next });
  return page;
}

/** Opens the needs list and the need, and takes the step through the form. */
async function stepInPage(page: Page, id: number, action: string, fill?: (p: Page) => Promise<unknown>) {
  await page.goto(`${app.server.url}/needs`);
  await page.click('[data-testid=needs-view-all]');
  await page.click(`[data-testid=need-${id}]`);
  await page.click(`[data-testid=need-action-${action}]`);
  await fill?.(page);
  await page.click('[data-testid=need-act-submit]');
  await page.waitForSelector(`[data-testid=need-step-${action}]`);
}

describe.skipIf(!app.hasChromium)('needs list in Chromium', () => {
  it('takes a need from gathering to fulfilled, each step by its holder', async () => {
    const errors: string[] = [];
    const leader = await as(app.browser, 'leader', errors, '/needs');
    const grid = await leader.evaluate(async () => (await (await fetch('/api/grids')).json()).features[0].properties.code as string);
    await leader.context().close();

    // A party member gathers it: the map shows their grid with the pin inside it.
    const member = await as(app.browser, `member-${grid}`, errors);
    await openUserMenu(member);
    await member.click('[data-testid=needs-link]');
    await member.waitForSelector('[data-testid=need-new]');
    await member.click('[data-testid=need-new]');
    await member.waitForFunction(() => document.documentElement.dataset.needMapReady === '1', null, { timeout: 60_000 });
    const title = `楼道加装扶手 ${Date.now() % 100000}`;
    // Without a title the server's reason is shown, and nothing is stored.
    await member.fill('[data-testid=need-title]', ' ');
    await member.fill('[data-testid=need-households]', '0');
    await member.click('[data-testid=need-submit]');
    await member.waitForSelector('[data-testid=need-error]');
    expect(await member.textContent('[data-testid=need-error]')).toMatch(/标题|户数/);
    await member.fill('[data-testid=need-title]', title);
    await member.fill('[data-testid=need-building]', '3栋');
    await member.fill('[data-testid=need-households]', '12');
    await member.fill('[data-testid=need-description]', '3 栋老人多，上下楼不便');
    await member.waitForTimeout(800);
    await member.screenshot({ path: path.join(ARTIFACTS, 'needs-gather-1920x1080.png') });
    await member.click('[data-testid=need-submit]');
    await member.waitForSelector('[data-testid=need-detail]');
    expect(await member.textContent('[data-testid=need-status]')).toBe('已收集');
    const id = await member.evaluate(async (t) => (await (await fetch('/api/needs?limit=200')).json()).needs.find((n: any) => n.title === t).id as number, title);

    // The grid worker records the building's verdict.
    const worker = await as(app.browser, `grid-${grid}`, errors);
    await stepInPage(worker, id, 'judge', (p) => p.selectOption('[data-testid=need-body]', 'building_party_group'));
    expect(await worker.textContent('[data-testid=need-status]')).toBe('已研判');
    await worker.context().close();

    // The branch (the party member), the community's committee and the subdistrict, by API.
    const api = async (page: Page, body: Record<string, unknown>) => page.evaluate(async ([need, b]) => {
      const { csrfToken } = await (await fetch('/api/me')).json();
      const r = await fetch(`/api/needs/${need}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify(b) });
      return r.status;
    }, [id, body] as const);
    expect(await api(member, { action: 'screen' })).toBe(200);
    const community = await member.evaluate(async (need) => (await (await fetch(`/api/needs/${need}`)).json()).need.community_id as number, id);
    const secretary = await as(app.browser, 'secretary-422801001001', errors);
    const communityCode = await secretary.evaluate(async (cid) => (await (await fetch('/api/communities')).json()).features
      .find((f: any) => f.properties.id === cid).properties.code as string, community);
    expect(communityCode).toBe('422801001001');
    expect(await api(secretary, { action: 'compile' })).toBe(200);
    const sub = await as(app.browser, 'subdistrict-422801001', errors);
    expect(await api(sub, { action: 'report' })).toBe(200);
    await sub.context().close();

    // The secretary sees the matching units, the category's own unit first, and dispatches.
    await secretary.goto(`${app.server.url}/needs`);
    await secretary.click(`[data-testid=need-${id}]`);
    await secretary.click('[data-testid=need-action-dispatch]');
    await secretary.waitForSelector('[data-testid^=need-suggestion-]');
    const suggestions = await secretary.evaluate(async (need) => (await (await fetch(`/api/needs/${need}/suggestions`)).json()).suggestions, id);
    expect(suggestions.length).toBeGreaterThan(0);
    const first = await secretary.getAttribute('[data-testid^=need-suggestion-]', 'data-testid');
    expect(first).toBe(`need-suggestion-${suggestions[0].resource_id}`);
    await secretary.waitForTimeout(500);
    await secretary.screenshot({ path: path.join(ARTIFACTS, 'needs-dispatch-1920x1080.png') });
    await secretary.click('[data-testid=need-act-submit]');
    await secretary.waitForSelector('[data-testid=need-resource]');
    expect(await secretary.textContent('[data-testid=need-status]')).toBe('已派单');
    expect(await secretary.textContent('[data-testid=need-resource]')).toContain(suggestions[0].resource_name);

    // That unit's staff claim it and report it done.
    const deptCodes = await secretary.evaluate(async () => ((await (await fetch('/api/departments')).json()).departments as any[]).map((d) => [d.id, d.code]));
    const sorted = deptCodes.sort((a: any, b: any) => a[1].localeCompare(b[1]));
    const unitUser = `dept-${sorted.findIndex((d: any) => d[0] === suggestions[0].department_id) + 1}`;
    const staff = await as(app.browser, unitUser, errors);
    await stepInPage(staff, id, 'claim');
    expect(await staff.textContent('[data-testid=need-status]')).toBe('已领单');
    await staff.click('[data-testid=need-action-fulfil]');
    await staff.click('[data-testid=need-act-submit]');
    await staff.waitForSelector('[data-testid=need-act-error]');
    expect(await staff.textContent('[data-testid=need-act-error]')).toContain('请填写办理结果');
    await staff.fill('[data-testid=need-note]', '扶手已安装到位');
    await staff.click('[data-testid=need-act-submit]');
    await staff.waitForSelector('[data-testid=need-step-fulfil]');
    expect(await staff.textContent('[data-testid=need-status]')).toBe('已办结');
    await staff.context().close();

    // The secretary's board: the community's row counts it as fulfilled; the chain is on record.
    await secretary.goto(`${app.server.url}/needs`);
    await secretary.click('[data-testid=needs-view-fulfilled]');
    await secretary.click(`[data-testid=need-${id}]`);
    await secretary.waitForSelector('[data-testid=need-step-fulfil]');
    const steps = await secretary.$$eval('[data-testid=need-steps] > li', (li) => li.map((l) => l.getAttribute('data-testid')));
    expect(steps).toEqual(['gather', 'judge', 'screen', 'compile', 'report', 'dispatch', 'claim', 'fulfil'].map((a) => `need-step-${a}`));
    const row = await secretary.evaluate(async () => (await (await fetch('/api/needs/summary')).json()).communities[0]);
    expect(await secretary.textContent(`[data-testid=needs-community-${community}] td:nth-child(3)`)).toBe(String(row.fulfilled));
    await secretary.waitForTimeout(500);
    await secretary.screenshot({ path: path.join(ARTIFACTS, 'needs-board-1920x1080.png') });
    await secretary.context().close();
    await member.context().close();
    expect(errors).toEqual([]);
  }, 300_000);
});
