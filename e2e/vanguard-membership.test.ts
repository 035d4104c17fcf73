// 红色尖刀班's membership and a task's withdrawal in a real browser: a community's secretary adds
// one of the community's sunk cadres or 专职社工 to the team, takes them off again (a removal
// without a reason is refused and changes nothing; with one, they move to the former members),
// then adds a task and withdraws it after confirming, and the community map's layer draws only
// the team's active tasks. The secretary also makes another member the 班长 (asked first, naming
// both people; declining changes nothing), and the list shows the new captain. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('红色尖刀班 membership and withdrawal in Chromium', () => {
  it('a secretary adds and removes a member and withdraws a task, each removal confirmed', async () => {
    const errors: string[] = [];
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY, { next: '/vanguard' });
    await page.waitForSelector('[data-testid=vanguard-add-member-submit]:not([disabled])');
    const memberIds = async () => page.$$eval('ul.members > li', (els) => els.map((e) => Number(e.getAttribute('data-testid')!.replace('vanguard-member-', ''))));
    const before = await memberIds();

    // Add the first one who may join.
    const pick = page.locator('[data-testid=vanguard-add-member-pick]');
    const label = (await pick.locator('option').first().textContent())!.trim();
    const value = (await pick.locator('option').first().getAttribute('value'))!;
    const name = label.split(' · ')[1].replace(/（.*$/, '');
    await page.click('[data-testid=vanguard-add-member-submit]');
    await page.waitForFunction((n) => document.querySelectorAll('ul.members > li').length === n, before.length + 1);
    const added = (await memberIds()).find((id) => !before.includes(id))!;
    expect(await page.textContent(`[data-testid=vanguard-member-${added}]`)).toContain(name);
    // The one added is no longer offered (by id: two synthetic people may share a name).
    expect(await pick.locator(`option[value="${value}"]`).count()).toBe(0);

    // Removing asks for a confirmation with a reason; none given, the server refuses and nothing changes.
    await page.click(`[data-testid=vanguard-member-${added}-remove]`);
    await page.waitForSelector('[data-testid=vanguard-confirm]');
    expect(await page.textContent('[data-testid=vanguard-confirm]')).toContain('填报记录将保留');
    await page.click('[data-testid=vanguard-confirm-ok]');
    await page.waitForFunction(() => /请填写退出原因/.test(document.querySelector('[data-testid=vanguard-error]')?.textContent ?? ''));
    expect(await memberIds()).toContain(added);
    await page.fill('[data-testid=vanguard-confirm-reason]', '工作调动');
    await page.click('[data-testid=vanguard-confirm-ok]');
    await page.waitForFunction((n) => document.querySelectorAll('ul.members > li').length === n, before.length);
    expect(await memberIds()).not.toContain(added);
    expect(await page.textContent('[data-testid=vanguard-former]')).toContain(`${name}（`);
    expect(await page.textContent('[data-testid=vanguard-former]')).toContain('工作调动');

    // A task added, then withdrawn after confirming: off the list (cancelling first keeps it).
    const tasks = await page.locator('[data-testid$=-amount]').count();
    await page.fill('[data-testid=vanguard-new-title]', '浏览器撤回测试任务');
    await page.fill('[data-testid=vanguard-new-target]', '3');
    await page.click('[data-testid=vanguard-new-submit]');
    const task = page.locator('.task', { hasText: '浏览器撤回测试任务' }).last();
    await task.waitFor();
    const taskId = (await task.getAttribute('data-testid'))!.replace('vanguard-task-', '');
    expect(await page.locator('[data-testid$=-amount]').count()).toBe(tasks + 1);
    await page.click(`[data-testid=vanguard-task-${taskId}-withdraw]`);
    await page.click('[data-testid=vanguard-confirm-cancel]');
    expect(await page.locator('[data-testid=vanguard-confirm]').count()).toBe(0);
    await page.click(`[data-testid=vanguard-task-${taskId}-withdraw]`);
    expect(await page.textContent('[data-testid=vanguard-confirm]')).toContain('浏览器撤回测试任务');
    await page.fill('[data-testid=vanguard-confirm-reason]', '与其他任务重复');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vanguard-withdraw-confirm-1920x1080.png') });
    await page.click('[data-testid=vanguard-confirm-ok]');
    await page.waitForFunction((id) => !document.querySelector(`[data-testid=vanguard-task-${id}]`), taskId);
    expect(await page.locator('[data-testid$=-amount]').count()).toBe(tasks);
    const active = await page.evaluate(async () => {
      const { teams } = await (await fetch('/api/vanguard')).json();
      return ((await (await fetch(`/api/vanguard/teams/${teams[0].team_id}`)).json()).tasks as unknown[]).length;
    });
    expect(active).toBe(tasks);

    // The community map's layer: the team's active tasks only.
    await page.goto(`${app.server.url}/community`);
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    await page.click('label:has([data-testid=toggle-vanguard])');
    await page.waitForFunction((n) => document.documentElement.dataset.markersVanguard === String(n), active, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);

  it('a secretary makes another member the 班长 after confirming, and the list shows the new captain', async () => {
    const errors: string[] = [];
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY, { next: '/vanguard' });
    await page.waitForSelector('ul.members > li .badge.captain');
    const captainIds = async () => page.$$eval('ul.members > li:has(.badge.captain)',
      (els) => els.map((e) => Number(e.getAttribute('data-testid')!.replace('vanguard-member-', ''))));
    const [captain] = await captainIds();
    expect(await captainIds()).toHaveLength(1);
    // the captain has no button of its own; the others each have one
    expect(await page.locator(`[data-testid=vanguard-member-${captain}-captain]`).count()).toBe(0);
    const next = Number((await page.locator('[data-testid$=-captain]').last().getAttribute('data-testid'))!
      .replace('vanguard-member-', '').replace('-captain', ''));
    const nameOf = async (id: number) => (await page.textContent(`[data-testid=vanguard-member-${id}] b`))!.trim();
    const [newName, oldName] = [await nameOf(next), await nameOf(captain)];

    // Declined: nothing changes.
    const declined = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void d.dismiss(); }));
    await page.click(`[data-testid=vanguard-member-${next}-captain]`);
    const question = await declined;
    expect(question).toContain(newName);
    expect(question).toContain(oldName);
    expect(await captainIds()).toEqual([captain]);

    // Accepted: the member is the 班长, first in the list; the former captain is a member with a button.
    page.once('dialog', (d) => void d.accept());
    await page.click(`[data-testid=vanguard-member-${next}-captain]`);
    await page.waitForFunction((id) => !!document.querySelector(`[data-testid=vanguard-member-${id}] .badge.captain`), next);
    expect(await captainIds()).toEqual([next]);
    expect(await page.getAttribute('ul.members > li:first-child', 'data-testid')).toBe(`vanguard-member-${next}`);
    expect(await page.locator(`[data-testid=vanguard-member-${captain}-captain]`).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vanguard-captain-1920x1080.png') });

    // And back, so the team ends as seeded.
    page.once('dialog', (d) => void d.accept());
    await page.click(`[data-testid=vanguard-member-${captain}-captain]`);
    await page.waitForFunction((id) => !!document.querySelector(`[data-testid=vanguard-member-${id}] .badge.captain`), captain);
    expect(await captainIds()).toEqual([captain]);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
