// The administrator's pages in English: admin opens the audit log and the boundaries import with
// ?lang=en (that page load only: the account's language is never changed, other files sign in as
// admin too), and the access tokens dialog from the user menu. Their headings, buttons and labels
// read in English and their own chrome holds no Chinese (the header and the data are others').
// Screenshots: artifacts/english-admin.png (the audit log), english-admin-boundaries.png,
// english-admin-tokens.png.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
const CHINESE = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]/;

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.map((el) => (el as HTMLElement).innerText.trim()));
}

/** The element's own text, with any `skip` parts (data lists) left out. */
async function chromeText(page: Page, selector: string, skip = ''): Promise<string> {
  return page.$eval(selector, (el, skip) => {
    const copy = el.cloneNode(true) as HTMLElement;
    if (skip) copy.querySelectorAll(skip).forEach((n) => n.remove());
    // The pager's own name (翻页) is the shell's PagerBar; its buttons, named here, stay checked.
    copy.querySelectorAll('nav.pager').forEach((n) => n.removeAttribute('aria-label'));
    const labels = [...copy.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap((n) =>
      ['aria-label', 'placeholder', 'title'].map((a) => n.getAttribute(a) ?? ''),
    );
    return [copy.textContent ?? '', ...labels].join('\n');
  }, skip);
}

describe.skipIf(!app.hasChromium)('the admin pages in English', () => {
  it('shows the audit log, the boundaries import and the tokens dialog in English', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'admin', { next: '/audit' });

    // The audit log.
    await page.goto(`${app.server.url}/audit?lang=en`);
    await page.waitForFunction(() => document.documentElement.dataset.auditLoaded, null, { timeout: 60_000 });
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await texts(page, '.entries thead th')).toEqual(['Time', 'By', 'Action', 'Subject', 'IP address', 'Changes']);
    expect(await page.textContent('[data-testid=audit-filter][data-entity=all]')).toContain('All');
    expect(await page.textContent('[data-testid=audit-filter][data-entity=user]')).toContain('User');
    expect(await page.textContent('[data-testid=audit-refresh]')).toBe('Refresh');
    expect((await page.innerText('.toolbar .status')).trim()).toMatch(/^Page 1 · \d+ on this page$/);
    expect(await page.locator('[data-testid=audit-row]').first().locator('[data-testid=audit-action]').textContent()).toBe('Sign-in');

    // The user changes, one creation opened to its values.
    await page.click('[data-testid=audit-filter][data-entity=user]');
    await page.waitForFunction(() => document.documentElement.dataset.auditLoaded, null, { timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    for (const subject of await texts(page, '[data-testid=audit-row] [data-testid=audit-entity]')) expect(subject).toMatch(/^User #\d+/);
    const created = page.locator('[data-testid=audit-row][data-action=create]').first();
    expect(await created.locator('[data-testid=audit-action]').textContent()).toBe('Create');
    expect(await created.locator('[data-testid=audit-expand]').textContent()).toMatch(/^Wrote \d+ fields$/);
    await created.locator('[data-testid=audit-expand]').click();
    const diff = page.locator('[data-testid=audit-diff]').first();
    await diff.waitFor();
    expect(await diff.locator('.caption').textContent()).toContain('Values written');
    expect(await diff.locator('[data-testid=audit-diff-row][data-field=active] [data-testid=audit-after]').textContent()).toBe('Active');
    expect(await diff.locator('[data-testid=audit-diff-row][data-field=role] [data-testid=audit-after]').textContent()).toMatch(/^[A-Z][a-z -]+ \([a-z_]+\)$/);
    expect(await diff.locator('[data-testid=audit-diff-row][data-field=display_name] th').textContent()).toContain('Name');
    // Names and usernames are data; the rest of the log's panel is the interface's own words.
    expect(await chromeText(page, '[data-testid=audit-view]', '[data-testid=audit-actor], [data-testid=audit-entity], [data-field=display_name] td, [data-field=username] td, .actor'))
      .not.toMatch(CHINESE);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-admin.png') });

    // The boundaries import.
    await page.goto(`${app.server.url}/boundaries?lang=en`);
    await page.waitForSelector('[data-testid=boundaries-view]');
    expect(await texts(page, '[data-testid=boundaries-view] h2.ga-heading')).toEqual(['Files to import', 'Result']);
    expect(await page.textContent('[data-testid=boundaries-dry-run]')).toBe('Dry run');
    expect(await page.textContent('[data-testid=boundaries-pause-note]')).toContain('other users\' requests wait');
    expect(await page.locator('[data-testid=boundaries-view] label', { has: page.locator('[data-testid=boundaries-file-grids]') }).innerText()).toContain('Grids (grids)');
    expect(await texts(page, '[data-testid=boundaries-crs] option')).toContain('WGS84 longitude/latitude (EPSG:4326)');
    expect(await chromeText(page, '[data-testid=boundaries-view] .form')).not.toMatch(CHINESE);
    expect(await chromeText(page, '[data-testid=boundaries-view] .result')).not.toMatch(CHINESE);
    await page.check('[data-testid=boundaries-mode-gpkg]');
    expect(await page.locator('[data-testid=boundaries-view] label', { has: page.locator('[data-testid=boundaries-file-gpkg]') }).innerText()).toContain('GeoPackage (with the three layers');
    await page.check('[data-testid=boundaries-mode-three]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-admin-boundaries.png') });

    // The access tokens dialog, from the user menu (the list's names are data).
    await openUserMenu(page);
    await page.click('[data-testid=tokens-link]');
    await page.waitForSelector('[data-testid=tokens-dialog]');
    await page.waitForSelector('[data-testid=tokens-list], [data-testid=tokens-empty]');
    expect(await page.textContent('#tokens-title')).toBe('Access tokens');
    expect(await page.textContent('[data-testid=token-create]')).toBe('Create token');
    expect(await page.getAttribute('[data-testid=token-name]', 'placeholder')).toBe('e.g. Office QGIS');
    expect(await page.textContent('[data-testid=tokens-dialog] .hint')).toContain(`Service address: ${app.server.url}/ogc, request header Authorization: Bearer TOKEN.`);
    expect(await chromeText(page, '[data-testid=tokens-dialog]', 'tbody')).not.toMatch(CHINESE);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-admin-tokens.png') });

    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
