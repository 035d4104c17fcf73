// The grid planner in English (?lang=en, this page load only: nothing is saved to the account):
// signed in as the planner, a community picked, the grid panel, the map's legend and the plans
// panel read in English, with no Chinese in their own words (the register's names, the community
// list and the plans' titles are data and stay as stored). Screenshots at 1920×1080 and at
// 1024 px wide go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

/** 大桥路社区 */
const COMMUNITY = '422801003001';
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

describe.skipIf(!app.hasChromium)('the planner in English', () => {
  it('shows the grid panel, the legend and the plans panel in English', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'planner', { next: '/planner' });
    const comm = await page.evaluate(async (code) => {
      const list = (await (await fetch('/api/communities')).json()).features;
      return list.find((f: { properties: { code: string } }) => f.properties.code === code).properties.id as number;
    }, COMMUNITY);
    await page.goto(`${app.server.url}/planner?lang=en`);
    await page.waitForSelector('[data-testid=planner-community] option', { state: 'attached' });
    // pick the community in the panel's list (the route follows)
    await page.selectOption('[data-testid=planner-community]', String(comm));
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    await page.waitForSelector('[data-testid=planner-grid-row]');

    const text = async (sel: string) => ((await page.textContent(sel)) ?? '').replace(/\s+/g, ' ').trim();
    expect(await text('.planner-view .header .title')).toBe('Grid planner');
    expect(await text('[data-testid=planner-target-source]')).toMatch(/^Target \d+ households per grid \((community mean|city mean|custom)\)$/);
    expect(await text('[data-testid=auto-balance]')).toBe('Auto-balance');
    expect(await text('[data-testid=reset]')).toBe('Reset to current grids');
    expect(await text('[data-testid=mode-paint]')).toBe('Paint');
    expect(await text('[data-testid=mode-cut]')).toBe('✂ Cut blocks');
    expect(await text('[data-testid=new-grid]')).toBe('+ New grid');
    expect(await text('[data-testid=planner-balance]')).toContain('Max deviation');
    expect(await text('[data-testid=planner-grids] thead')).toContain('Dev.');
    expect(await text('[data-testid=planner-grid-row] .name')).toMatch(/^Grid \d+$/);
    expect(await text('[data-testid=planner-save]')).toBe('Save as draft');
    expect(await text('.plans h2')).toBe('Plans');
    expect(await text('[data-testid=planner-compare] h3')).toBe('Compare plans');
    expect(await text('[data-testid=plan-compare]')).toBe('Compare');
    expect(await text('[data-testid=planner-import] .file')).toBe('Import a plan file');
    expect(await text('.legend')).toContain('Labels: grid · households');

    // The panels' own words: no Chinese (the community list, the plans' titles and authors are data).
    const chrome = await page.evaluate(() => {
      const out: string[] = [];
      const keep = (el: Element | null) => el && out.push((el as HTMLElement).innerText);
      // a label's own words, not the options of the list it holds
      const own = (el: Element) => out.push([...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''));
      keep(document.querySelector('.planner-view .header .titles'));
      for (const el of document.querySelectorAll('.side label, .plans label')) own(el);
      for (const el of document.querySelectorAll('.side button, .side dt, .side .hint, .side thead, [data-testid=planner-grid-row] .name')) keep(el);
      for (const el of document.querySelectorAll('.legend, .status, .plans h2, .plans button, .plans h3, .plans summary, .plans .hint, .plans .export, .plans .badge, .plans .empty')) keep(el);
      for (const el of document.querySelectorAll('[data-testid=planner-compare] option')) keep(el);
      for (const el of document.querySelectorAll('[title], [aria-label]')) {
        if (!el.closest('.side, .plans')) continue;
        out.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '');
      }
      return out;
    });
    expect(chrome.length).toBeGreaterThan(30);
    expect(chrome.filter((s) => CJK.test(s))).toEqual([]);

    // Nothing cut off at 1920×1080, and the page still fits at 1024 px wide.
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-planner.png') });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(500);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // the grids' table keeps all its columns in view (its headers wrap)
    expect(await page.$eval('.table-wrap', (el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-planner-1024.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
