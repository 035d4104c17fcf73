// The community secretary's pages in English: the community view, the needs list and the
// resources list opened with ?lang=en (that page load only: the account's language is not
// changed, other tests sign in as the same demo account). Their headings, buttons and labels read
// in English and the interface's own text on them has no Chinese; the register's data (place and
// people's names, categories) stays as the city wrote it. Screenshots at 1920×1080 to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const CHINESE = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]/;

const app = useBrowserApp();

/** The text of every element the selector finds, one string. */
async function textsOf(page: Page, selector: string): Promise<string> {
  const texts = await page.locator(selector).allTextContents();
  expect(texts.length, selector).toBeGreaterThan(0);
  return texts.join(' | ');
}

/** The interface's words on these elements: English, no Chinese character. */
async function expectNoChinese(page: Page, selectors: string[]): Promise<void> {
  for (const s of selectors) {
    const text = await textsOf(page, s);
    expect(text.match(CHINESE), `${s}: ${text}`).toBeNull();
  }
}

describe.skipIf(!app.hasChromium)('community pages in English', () => {
  it('shows the community view, the needs list and the resources list in English', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY);

    // The community view.
    await page.goto(`${app.server.url}/community?lang=en`);
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    await page.waitForSelector('[data-testid=roster-row]');
    await page.waitForSelector('[data-testid=partners-city]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1.title')).toContain('Grid Atlas');
    expect(await page.textContent('p.subtitle')).toContain('Community grid governance');
    expect(await page.textContent('[data-testid=fit-community]')).toBe('Whole community');
    const figures = await page.textContent('[data-testid=key-figures]');
    for (const label of ['Households', 'In difficulty', 'Members', 'Unpaired', 'Grids']) expect(figures).toContain(label);
    expect(await page.getAttribute('[data-testid=household-search]', 'placeholder')).toBe('Search by head of household, address or phone');
    expect((await page.textContent('[data-testid=filter-difficulty]'))!.trim()).toBe('In difficulty only');
    expect((await page.textContent('[data-testid=filter-unlinked]'))!.trim()).toBe('Unpaired only');
    expect(await page.textContent('[data-testid=household-total]')).toMatch(/^\s*[\d,]+ households · showing 1–50\s*$/);
    expect(await page.textContent('[data-testid=community-partners] h3')).toContain('Party committee · partner units');
    expect(await textsOf(page, '[data-testid=grid-roster] thead th')).toBe('Grid | Grid worker | Households | In difficulty | Cadres | Unpaired');
    expect(await textsOf(page, '.map-controls .toggle')).toContain('Party-member links');
    // The subtitle names the subdistrict (data) before the view's own words, checked above.
    await expectNoChinese(page, [
      '[data-testid=key-figures]',
      '[data-testid=household-list] .tools',
      '[data-testid=household-total]',
      '[data-testid=grid-roster] thead',
      '.panel-title',
      '[data-testid=community-partners] h3',
      '[data-testid=community-partners] dt',
      '[data-testid=community-partners] .role',
      '[data-testid=community-partners] .hint',
      '[data-testid=toggle-households] + *, [data-testid=toggle-links] + *',
      '.map-controls .legend li',
      '[data-testid=fit-community]',
    ]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-community.png') });

    // The needs list.
    await page.goto(`${app.server.url}/needs?lang=en`);
    await page.waitForFunction(() => document.documentElement.dataset.needsLoaded === '1', null, { timeout: 60_000 });
    expect(await page.textContent('h1.title')).toBe('Needs');
    expect((await page.textContent('[data-testid=needs-view-open]'))!.trim()).toBe('Open');
    expect(await textsOf(page, '[data-testid=needs-view] [role=tab]')).toBe('Open | Fulfilled | Declined | All');
    expect(await page.textContent('.communities h2')).toBe('By community');
    expect(await textsOf(page, '.communities thead th')).toBe('Community | Open | Done | Declined | Stalled');
    expect(await page.textContent('label.check:has([data-testid=needs-stalled])')).toBe('Stalled only');
    expect(await page.textContent('.detail .hint')).toMatch(/^Pick a need on the left to see its progress/);
    await expectNoChinese(page, ['h1.title', 'p.subtitle', '.figures-row', '.communities h2', '.communities thead', '.list [role=tablist]', 'label.check:has([data-testid=needs-stalled])', '.detail .hint']);
    // A need's chain and facts: the steps and labels are the interface's; the title and notes are data.
    const first = page.locator('[data-testid^=need-]').filter({ has: page.locator('.chip') }).first();
    if (await first.count()) {
      await first.click();
      await page.waitForSelector('[data-testid=need-detail]');
      await expectNoChinese(page, ['.chain', '.facts dt', '[data-testid=need-status]']);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-community-needs.png') });

    // The resources list.
    await page.goto(`${app.server.url}/resources?lang=en`);
    await page.waitForSelector('[data-testid^=unit-]');
    await page.waitForSelector('.entries .cards li');
    expect(await page.textContent('h1.title')).toBe('Resources');
    expect(await page.textContent('.units h2')).toMatch(/^Units \d+$/);
    expect(await textsOf(page, '.entries .cards .cap')).toMatch(/^Capacity \d+/);
    expect(await textsOf(page, '.entries .cards .meta')).toMatch(/Categories: .*Area: /s);
    await expectNoChinese(page, ['h1.title', 'p.subtitle', '.units h2', '.units button small', '.entries .cards .badge', '.entries .cards .cap']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-community-resources.png') });

    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
