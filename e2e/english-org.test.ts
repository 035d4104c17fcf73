// The organisation pages in English, in a real browser: the administrator opens 红色尖刀班,
// 五社联动, 社区工作者队伍, 三级考评 and the 权力下放清单 with ?lang=en in the address (that page
// load only; the account's language is not changed, other tests sign in as the same account),
// reads the headings, buttons and column names in English, and finds no Chinese in the pages'
// own words (the register's names, places and people stay as stored). Screenshots go to
// artifacts/english-org*.png.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]/;

/** The texts of every element the selectors match, those with a Chinese character among them. */
async function chineseIn(page: Page, selectors: string[]): Promise<string[]> {
  const texts = await page.$$eval(selectors.join(', '), (els) => els.map((e) => {
    const el = e as HTMLElement;
    return [el.textContent ?? '', el.getAttribute('placeholder') ?? '', el.getAttribute('aria-label') ?? ''].join(' ').replace(/\s+/g, ' ').trim();
  }));
  expect(texts.length).toBeGreaterThan(0);
  return texts.filter((s) => CJK.test(s));
}

/** What a reader sees in the element (cells apart, as on the screen), spaces collapsed. */
const text = async (page: Page, selector: string) => (await page.innerText(selector)).replace(/\s+/g, ' ').trim();

describe.skipIf(!app.hasChromium)('the organisation pages in English in Chromium', () => {
  it('reads the vanguard, five-society, workforce, evaluation and powers pages in English', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'admin', { next: '/powers' });

    // 红色尖刀班
    await page.goto(`${app.server.url}/vanguard?lang=en`);
    await page.waitForSelector('[data-testid=vanguard-teams]');
    await page.waitForSelector('[data-testid^=vanguard-member-]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await text(page, '.vanguard-view h1')).toBe('Red vanguard teams');
    expect(await text(page, '.vanguard-view .panel h2')).toMatch(/^Teams \d+ · Members \d+ · Tasks \d+ · Average progress [\d.]+%$/);
    expect(await text(page, '.vanguard-view .teams thead')).toContain('Community Subdistrict Members Tasks Avg. progress Party building');
    const vanguardHeads = await page.$$eval('[data-testid=vanguard-detail] h3', (els) => els.map((e) => e.textContent?.replace(/\s+/g, ' ').trim()));
    expect(vanguardHeads).toContain('Latest reports');
    expect(vanguardHeads.some((h) => /^Members \d+ (person|people)$/.test(h ?? ''))).toBe(true);
    expect(await text(page, '[data-testid=vanguard-new-submit]')).toBe('Create');
    expect(await chineseIn(page, [
      '.vanguard-view h1', '.vanguard-view .subtitle', '.vanguard-view .panel:not(.detail) > h2', '.vanguard-view .panel > .hint:not(.former)', '.vanguard-view thead',
      '[data-testid=vanguard-detail] h3', '[data-testid=vanguard-detail] button', '[data-testid=vanguard-detail] .badge',
      '[data-testid=vanguard-detail] input', '[data-testid=vanguard-new-unit] option',
    ])).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-org.png') });

    // 五社联动
    await page.goto(`${app.server.url}/organisations?lang=en`);
    await page.waitForSelector('[data-testid=org-count-total]');
    await page.waitForSelector('tr[data-testid^=org-]');
    expect(await text(page, '.organisations-view h1')).toBe('Five-society partnership');
    expect(await text(page, '[data-testid=org-count-social_work] .label')).toBe('Social work organisation');
    expect(await text(page, '.organisations-view .count.total .label')).toBe('Total');
    expect(await text(page, '.organisations-view thead')).toBe('Name Type Community Serves Open needs Fulfilled');
    await page.click('tr[data-testid^=org-]');
    await page.waitForSelector('[data-testid=org-detail-name]');
    expect(await text(page, '[data-testid=org-detail] h3')).toBe('Needs taken on');
    expect(await chineseIn(page, [
      '.organisations-view h1', '.organisations-view .subtitle', '.organisations-view .count .label', '.organisations-view .filters > .hint',
      '[data-testid=org-filter-q]', '[data-testid=org-filter-kind] option', '.organisations-view thead', '.organisations-view .panel:not(.detail) > .hint',
      '[data-testid=org-detail] h3', '.organisations-view .pager',
    ])).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-org-organisations.png') });

    // 社区工作者队伍
    await page.goto(`${app.server.url}/workforce?lang=en`);
    await page.waitForSelector('[data-testid=workforce-total]');
    await page.waitForSelector('[data-testid=workforce-roster] tbody tr');
    expect(await text(page, '.workforce-view h1')).toBe('Community workforce');
    expect(await text(page, '[data-testid=figure-under_40] .label')).toBe('Under 40');
    expect(await text(page, '.workforce-view .communities thead')).toBe('Community Subdistrict Workers Under 40 College degree or above Certified social workers');
    expect(await text(page, '[data-testid=workforce-roster] thead')).toBe('Name Post Age Education Certified Active');
    expect(await text(page, '.workforce-view .panel h2')).toMatch(/ · Community workers in post: \d+$/);
    expect(await chineseIn(page, [
      '.workforce-view h1', '.workforce-view .subtitle', '.workforce-view .figure .label', '.workforce-view .bar-row > span:first-child',
      '.workforce-view .figure .count', '.workforce-view .panel > .hint', '.workforce-view thead', '[data-testid$=-synthetic]',
      '[data-testid=workforce-roster] select option',
    ])).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-org-workforce.png') });

    // 三级考评
    await page.goto(`${app.server.url}/evaluation?lang=en`);
    await page.waitForSelector('[data-testid=eval-table] tbody tr');
    expect(await text(page, '.evaluation-view h1')).toBe('Three-level evaluation · Units and people');
    expect(await text(page, '[data-testid=eval-subject-partner_unit]')).toBe('Partner unit');
    expect(await text(page, '[data-testid=eval-weights-save]')).toBe('Save weights');
    expect(await text(page, '[data-testid=eval-total]')).toMatch(/^Partner unit: [\d,]+ in total$/);
    const evalHead = await text(page, '[data-testid=eval-table] thead');
    expect(evalHead).toMatch(/^Rank Unit Score Whistle report-in rate ?\(weight [\d.]+\)/);
    expect(evalHead).toMatch(/Source figures$/);
    expect(await chineseIn(page, [
      '.evaluation-view h1', '.evaluation-view .subtitle', '.evaluation-view .subjects button', '.evaluation-view .panel > .hint',
      '[data-testid=eval-weights] .title', '[data-testid=eval-weights] label', '[data-testid=eval-weights] button', '[data-testid=eval-table] thead',
      '[data-testid$=-figures]',
    ])).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-org-evaluation.png') });

    // 权力下放清单
    await page.goto(`${app.server.url}/powers?lang=en`);
    await page.waitForSelector('[data-testid=power-QL-001]');
    expect(await text(page, '.powers-view h1')).toBe('Delegated powers list');
    expect(await text(page, '[data-testid=power-kind-statutory_power]')).toBe('Statutory power 72');
    expect(await text(page, '[data-testid=power-kind-enforcement]')).toBe('Enforcement item 217');
    expect(await text(page, '[data-testid=power-total]')).toBe('289 items');
    expect(await text(page, '.powers-view thead')).toBe('Code Item Type Field Formerly held by Handling level Case categories');
    expect(await chineseIn(page, [
      '.powers-view h1', '.powers-view .subtitle', '[data-testid=power-counts] button', '[data-testid=power-category] option:first-child',
      '[data-testid=power-search]', '[data-testid=power-total]', '.powers-view thead', '.powers-view tbody .badge',
    ])).toEqual([]);
    expect(await page.$$eval('.powers-view tbody tr td:nth-child(6)', (els) => [...new Set(els.map((e) => e.textContent?.trim()))].sort()))
      .toEqual(expect.arrayContaining(['Subdistrict level']));
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-org-powers.png') });

    expect(errors).toEqual([]);
    await ctx.close();
  }, 300_000);
});
