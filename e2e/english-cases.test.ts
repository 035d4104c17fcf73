// The cases area in English: the residents' report page on a phone (390×844) and a grid worker's
// case inbox at 1920×1080 (with a case open, then the new-case form), each opened with ?lang=en
// (that page load only: nothing is saved to the account, which other tests share). Their own
// headings, buttons and labels read in English with no Chinese left; the data (place and
// category names, descriptions) stays as the city wrote it. Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]/;
const GRID_WORKER = 'grid-422801001001001';

/** The text of every element matching `selector`, joined. */
async function texts(page: Page, selector: string): Promise<string> {
  return (await page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText))).join('\n');
}

/** The element's own text (not its children's: a label's select lists the city's categories). */
async function ownTexts(page: Page, selector: string): Promise<string> {
  return (await page.$$eval(selector, (els) => els.map((e) =>
    [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('')))).join('\n');
}

/** The placeholders and labels of the controls under `selector`, joined. */
async function attributes(page: Page, selector: string): Promise<string> {
  return (await page.$$eval(`${selector} [placeholder], ${selector} [aria-label]`, (els) =>
    els.map((e) => `${e.getAttribute('placeholder') ?? ''} ${e.getAttribute('aria-label') ?? ''}`))).join('\n');
}

describe.skipIf(!app.hasChromium)('the cases area in English', () => {
  it('the residents\' report page on a phone', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.text().includes('[intlify]')) errors.push(m.text()); });
    await page.goto(`${app.server.url}/report?lang=en`);
    await page.waitForFunction(() => document.documentElement.dataset.reportMapReady === '1', null, { timeout: 60_000 });
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    expect(await page.textContent('[data-testid=report-view] header h1')).toBe('Enshi · Report a problem');
    expect(await page.textContent('[data-testid=report-locate]')).toBe('Use my location');
    expect(await page.textContent('[data-testid=report-place]')).toBe('No place chosen yet');
    expect(await page.textContent('[data-testid=report-submit]')).toBe('Submit');
    const legends = await page.$$eval('[data-testid=report-view] legend', (l) => l.map((x) => (x as HTMLElement).innerText.trim()));
    expect(legends).toEqual(['1. Where is it? Tap the map or drag the pin', '2. What is it about?', '3. Photos (optional, up to 4)', '4. Phone (optional)']);
    // The language switch sits in the header, the current language marked.
    expect(await page.getAttribute('[data-testid=language-en]', 'aria-pressed')).toBe('true');
    const header = (await page.locator('[data-testid=report-view] header').boundingBox())!;
    const lang = (await page.locator('[data-testid=language-switch]').boundingBox())!;
    expect(lang.x + lang.width).toBeLessThanOrEqual(390);
    expect(lang.y + lang.height).toBeLessThanOrEqual(header.y + header.height);

    // The page's own words, not a Chinese character among them; the switch names 中文 in itself.
    const chrome = [
      await texts(page, '[data-testid=report-view] header h1, [data-testid=report-view] header p, [data-testid=report-view] legend, [data-testid=report-view] button:not([lang]), .where, .add, .fine'),
      await ownTexts(page, '[data-testid=report-view] label'),
      await attributes(page, '[data-testid=report-view]'),
    ].join('\n');
    expect(chrome).toContain('Door number or landmark (optional)');
    expect(chrome).not.toMatch(CJK);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-cases.png') });
    // The page scrolls in its own box: its lower half (photos, phone, the button) too.
    await page.evaluate(() => document.querySelector('.report-page')?.scrollTo({ top: 100_000 }));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-cases-report-end.png') });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a grid worker\'s case inbox, a case and the new-case form', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.text().includes('[intlify]')) errors.push(m.text()); });
    await signInThroughForm(page, app.server.url, GRID_WORKER);
    await page.goto(`${app.server.url}/cases?lang=en`);
    await page.waitForSelector('[data-testid=case-row]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    expect(await page.textContent('.inbox .toolbar h2')).toMatch(/^Cases \d[\d,]* cases?$/);
    expect(await page.textContent('[data-testid=new-case]')).toBe('+ New case');
    expect(await page.textContent('[data-testid=filter-status] option:first-child')).toBe('All statuses');
    expect(await page.textContent('[data-testid=filter-level] option:first-child')).toBe('All levels');
    expect(await page.getAttribute('[data-testid=filter-q]', 'placeholder')).toBe('Search number or description');
    const statuses = await page.$$eval('[data-testid=case-row-status]', (l) => l.map((x) => x.textContent ?? ''));
    expect(statuses.every((s) => !CJK.test(s))).toBe(true);
    // (The export links belong to another area's component, not yet in English.)
    const inboxChrome = [
      await texts(page, '.inbox .toolbar h2, [data-testid=new-case], [data-testid=filter-status] option, [data-testid=filter-level] option, .inbox .filters .check, [data-testid=case-row-status], .inbox .meta, .legend'),
      await attributes(page, '.inbox .filters'),
      (await page.getAttribute('.inbox', 'aria-label')) ?? '',
    ].join('\n');
    expect(inboxChrome).toContain('Overdue only');
    expect(inboxChrome).not.toMatch(CJK);

    // A case: its facts' names, its actions and its history's headings in English.
    await page.click('[data-testid=case-row]');
    await page.waitForSelector('[data-testid=case-timeline] li');
    const dts = await page.$$eval('.facts dt', (l) => l.map((x) => x.textContent ?? ''));
    expect(dts).toContain('Handled by');
    expect(dts).toContain('Handling mode');
    expect(await texts(page, '[data-testid=case-detail] h4.section')).toContain('Case history');
    const detailChrome = await texts(page, '[data-testid=case-status], .facts dt, [data-testid=case-actions], [data-testid=case-detail] h4.section, [data-testid=case-clock], .timeline .what b');
    expect(detailChrome).not.toMatch(CJK);
    await page.waitForTimeout(1500); // let the map draw its tiles and dots
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-cases-inbox.png') });

    // The new-case form.
    await page.click('[data-testid=new-case]');
    await page.waitForSelector('[data-testid=new-case-form]');
    expect(await page.textContent('[data-testid=new-case-form] h3')).toBe('New case');
    expect(await page.textContent('[data-testid=new-case-submit]')).toBe('Submit');
    const formChrome = [
      await texts(page, '[data-testid=new-case-form] header, [data-testid=new-case-form] label > span, [data-testid=new-case-form] .label, [data-testid=new-case-form] legend, [data-testid=new-case-form] .hint, [data-testid=new-case-form] button, [data-testid=new-case-form] .add-photo, .legend'),
      await attributes(page, '[data-testid=new-case-form] .place, [data-testid=new-case-form] header'),
    ].join('\n');
    expect(formChrome).not.toMatch(CJK);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-cases-new.png') });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
