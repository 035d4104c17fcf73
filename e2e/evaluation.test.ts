// 三级考评 of people and units in a real browser: the city leader opens 三级考评 from the menu,
// reads the 包保 units' scores with every rate and its source figures (the API's figures), and
// cannot edit the weights; the administrator types a negative weight and is refused in words with
// nothing changed, then sets a weight, sees the scores change, and sets it back. Screenshots go
// to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('三级考评 of people and units in Chromium', () => {
  it('shows each score with its source figures, and only the administrator sets the weights', async () => {
    const errors: string[] = [];
    const leaderCtx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const leader = await leaderCtx.newPage();
    leader.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(leader, app.server.url, 'leader', { next: '/evaluation' });
    await leader.waitForSelector('[data-testid=eval-table] tbody tr');
    const api = await leader.evaluate(async () => (await (await fetch('/api/evaluation?subject=partner_unit&limit=50')).json()) as {
      total: number; rows: { id: number; name: string; score: number | null; figures: Record<string, number> }[];
    });
    expect(await leader.textContent('[data-testid=eval-total]')).toContain(String(api.total));
    const first = api.rows[0];
    expect(await leader.textContent(`[data-testid=eval-row-${first.id}]`)).toContain(first.name);
    const figures = (await leader.textContent(`[data-testid=eval-row-${first.id}-figures]`))!.replace(/\s+/g, ' ');
    expect(figures).toContain(`包保社区 ${first.figures.communities}`);
    expect(figures).toContain(`吹哨 ${first.figures.whistles}`);
    expect(figures).toContain(`已报到 ${first.figures.whistles_reported}`);
    expect((await leader.textContent(`[data-testid=eval-row-${first.id}-score]`))!.trim()).toBe(first.score === null ? '暂无' : first.score.toFixed(2));
    expect(await leader.locator('input[data-testid^=eval-weight-]').count()).toBe(0);
    expect(await leader.locator('[data-testid=eval-weights-save]').count()).toBe(0);
    // the people: the sunk members of the whole city, names not the leader's to see
    await leader.click('[data-testid=eval-subject-sunk_member]');
    await leader.waitForFunction(() => /下沉党员/.test(document.querySelector('[data-testid=eval-total]')?.textContent ?? ''));
    expect(await leader.textContent('[data-testid=eval-table]')).toContain('姓名仅本区域可见');
    await leader.screenshot({ path: path.join(ARTIFACTS, 'evaluation-leader-1920x1080.png') });
    await leaderCtx.close();

    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'admin', { next: '/evaluation?subject=vanguard_member' });
    await page.waitForSelector('[data-testid=eval-table] tbody tr');
    const weights = async () => page.evaluate(async () =>
      ((await (await fetch('/api/evaluation?subject=vanguard_member&limit=1')).json()).weights as { metric: string; weight: number }[]));
    const before = await weights();
    // a negative weight: refused in words, nothing changed
    await page.fill('[data-testid=eval-weight-team_progress]', '-5');
    await page.click('[data-testid=eval-weights-save]');
    await page.waitForSelector('[data-testid=eval-weights-error]');
    expect(await page.textContent('[data-testid=eval-weights-error]')).toMatch(/权重不能为负/);
    expect(await weights()).toEqual(before);
    // only task coverage counts: every score is its coverage in percent
    await page.fill('[data-testid=eval-weight-team_progress]', '0');
    await page.fill('[data-testid=eval-weight-task_coverage]', '10');
    await page.click('[data-testid=eval-weights-save]');
    await page.waitForSelector('[data-testid=eval-weights-saved]');
    const rows = await page.evaluate(async () =>
      ((await (await fetch('/api/evaluation?subject=vanguard_member&limit=50')).json()).rows as { id: number; score: number | null; rates: Record<string, number | null> }[]));
    const row = rows[0];
    const coverage = row.rates.task_coverage;
    expect(row.score).toBe(coverage === null ? null : Math.round(10000 * coverage) / 100);
    await page.waitForFunction(([id, text]) => document.querySelector(`[data-testid=eval-row-${id}-score]`)?.textContent?.trim() === text,
      [row.id, row.score === null ? '暂无' : row.score.toFixed(2)] as const);
    expect(await page.textContent('[data-testid=eval-table] thead')).toContain('权重 10');
    await page.screenshot({ path: path.join(ARTIFACTS, 'evaluation-admin-1920x1080.png') });
    // back as they were
    for (const w of before) await page.fill(`[data-testid=eval-weight-${w.metric}]`, String(w.weight));
    await page.click('[data-testid=eval-weights-save]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=eval-table] thead')?.textContent?.includes(`权重 ${n}`), before[0].weight);
    expect(await weights()).toEqual(before);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);
});
