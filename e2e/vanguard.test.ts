// 红色尖刀班 in a real browser: a city leader sees every community's team (33 teams, 264
// members drawn from sunk cadres and social workers, names not theirs to see); a community's
// secretary records a member's progress on a task, sees the figure and the report change (and
// records it back, so the task stays as seeded), then switches on the team's layer of the
// community map and its eight tasks are drawn. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('红色尖刀班 in Chromium', () => {
  it('shows every team to the city, and a secretary records progress and sees the tasks on the map', async () => {
    const errors: string[] = [];
    const leaderCtx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const leader = await leaderCtx.newPage();
    leader.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(leader, app.server.url, 'leader', { next: '/vanguard' });
    await leader.waitForSelector('[data-testid=vanguard-member-1], [data-testid^=vanguard-member-]');
    expect(await leader.textContent('[data-testid=vanguard-teams]')).toBe('33');
    expect(await leader.textContent('[data-testid=vanguard-members]')).toBe('264');
    // 264 seeded tasks, and any a secretary added since (other test files do): what the API counts
    const tasks = await leader.evaluate(async () => (await (await fetch('/api/vanguard')).json()).total.tasks as number);
    expect(tasks).toBeGreaterThanOrEqual(264);
    expect(await leader.textContent('[data-testid=vanguard-tasks]')).toBe(String(tasks));
    expect(await leader.locator('[data-testid^=vanguard-team-]:not([data-testid=vanguard-team-name])').count()).toBe(33);
    expect(await leader.locator('[data-testid^=vanguard-member-]').count()).toBe(8);
    expect(await leader.textContent('[data-testid=vanguard-detail]')).toContain('姓名仅社区可见');
    expect(await leader.locator('[data-testid$=-save]').count()).toBe(0); // the leader reads, the community records
    await leader.screenshot({ path: path.join(ARTIFACTS, 'vanguard-city-1920x1080.png') });
    await leaderCtx.close();

    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY, { next: '/vanguard' });
    await page.waitForSelector('[data-testid$=-save]');
    expect(await page.locator('[data-testid^=vanguard-team-]:not([data-testid=vanguard-team-name])').count()).toBe(1);
    expect(await page.textContent('[data-testid=vanguard-team-name]')).toMatch(/红色尖刀班$/);
    // The first task counted in steps: one step more (or less, when it is finished), then back.
    const amount = page.locator('[data-testid$=-amount]', { hasText: '步' }).first();
    const taskId = (await amount.getAttribute('data-testid'))!.match(/vanguard-task-(\d+)-amount/)![1];
    const [done, target] = (await amount.textContent())!.match(/(\d+) \/ (\d+)/)!.slice(1).map(Number);
    const next = done < target ? done + 1 : done - 1;
    const member = page.locator(`[data-testid=vanguard-task-${taskId}-member]`);
    const memberName = (await member.locator('option').nth(1).textContent())!.trim();
    await member.selectOption({ index: 1 });
    await page.fill(`[data-testid=vanguard-task-${taskId}-done]`, String(next));
    await page.click(`[data-testid=vanguard-task-${taskId}-save]`);
    await page.waitForFunction(([id, text]) => document.querySelector(`[data-testid=vanguard-task-${id}-amount]`)?.textContent?.trim() === text,
      [taskId, `${next} / ${target} 步`] as const);
    await page.waitForFunction((name) => document.querySelector('[data-testid=vanguard-updates] li')?.textContent?.includes(name), memberName);
    expect(await page.textContent('[data-testid=vanguard-updates] li')).toContain(`${done} → ${next}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vanguard-secretary-1920x1080.png') });
    // Bad input is refused with a message and changes nothing.
    await page.fill(`[data-testid=vanguard-task-${taskId}-done]`, String(target + 5));
    await page.click(`[data-testid=vanguard-task-${taskId}-save]`);
    await page.waitForSelector('[data-testid=vanguard-error]');
    expect(await page.textContent('[data-testid=vanguard-error]')).toMatch(/不能超过目标/);
    expect((await page.textContent(`[data-testid=vanguard-task-${taskId}-amount]`))!.trim()).toBe(`${next} / ${target} 步`);
    await page.fill(`[data-testid=vanguard-task-${taskId}-done]`, String(done));
    await page.click(`[data-testid=vanguard-task-${taskId}-save]`);
    await page.waitForFunction(([id, text]) => document.querySelector(`[data-testid=vanguard-task-${id}-amount]`)?.textContent?.trim() === text,
      [taskId, `${done} / ${target} 步`] as const);

    // A new task without a name is refused with the server's reason, and none is added.
    await page.fill('[data-testid=vanguard-new-title]', ' ');
    await page.click('[data-testid=vanguard-new-submit]');
    await page.waitForFunction(() => /标题不能为空/.test(document.querySelector('[data-testid=vanguard-error]')?.textContent ?? ''));
    expect(await page.locator('[data-testid$=-amount]').count()).toBe(8);

    // The community map's layer: the team's eight tasks.
    await page.goto(`${app.server.url}/community`);
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    await page.click('label:has([data-testid=toggle-vanguard])');
    await page.waitForFunction(() => document.documentElement.dataset.markersVanguard === '8', null, { timeout: 60_000 });
    expect(await page.textContent('[data-testid=vanguard-legend]')).toContain('进楼入户攻坚');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vanguard-community-map-1920x1080.png') });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
