// The frame of every screen in English: the sign-in page opened with ?lang=en (which sets the
// language for that page load only, never the account's: other files sign in as the same demo
// accounts at the same time), then a city leader's map with its header, legend and user menu.
// Screenshots are saved for people to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu } from './support/signIn.ts';

const app = useBrowserApp();
const CHINESE = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]/;

describe.skipIf(!app.hasChromium)('the shell in English', () => {
  it('signs in and shows the header, the legend and the user menu in English', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The sign-in page; `next` keeps ?lang=en, so the map after it is English too.
    await page.goto(`${app.server.url}/login?lang=en&next=${encodeURIComponent('/?lang=en')}`);
    await page.waitForSelector('[data-testid=login-form]');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.title()).toBe('Sign in · Enshi Grid Atlas');
    expect(await page.textContent('#login-title')).toBe('Enshi Grid Atlas');
    expect((await page.textContent('[data-testid=login-submit]'))?.trim()).toBe('Sign in');
    expect(await page.locator('.field span').allTextContents()).toEqual(['Username', 'Password']);
    expect(await page.getAttribute('input[name=username]', 'placeholder')).toBe('Enter your username');
    expect(await page.textContent('[data-testid=report-link]')).toBe('Report a problem');
    expect(await page.getAttribute('[data-testid=language-en]', 'aria-pressed')).toBe('true');
    // An empty form is refused in English.
    await page.click('[data-testid=login-submit]');
    expect(await page.textContent('[data-testid=login-error]')).toContain('Enter your username');
    // The card has no Chinese but the language switch's own name for Chinese (中文).
    const card = await page.evaluate(() =>
      [...document.querySelectorAll('.card .brand h1, .card .brand p, .card form, .card .resident, .card .note')].map((el) => el.textContent ?? '').join('\n'),
    );
    expect(card).not.toMatch(CHINESE);
    const cardBox = await page.evaluate(() => {
      const c = document.querySelector('.card')!.getBoundingClientRect();
      const h1 = document.querySelector<HTMLElement>('#login-title')!;
      return { bottom: c.bottom, clipped: h1.scrollWidth - h1.clientWidth };
    });
    expect(cardBox.bottom).toBeLessThanOrEqual(1080);
    expect(cardBox.clipped).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-shell-login.png') });

    await page.fill('input[name=username]', 'leader');
    await page.fill('input[name=password]', 'enshi-demo');
    await page.press('input[name=password]', 'Enter');
    await page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
    await page.waitForSelector('[data-testid=legend]');

    // The header: the product's title and subtitle, the synthetic-data notice, the person's role.
    expect(await page.title()).toBe('Enshi Grid Atlas');
    expect(await page.textContent('header h1')).toBe('Enshi Grid Atlas');
    expect(await page.textContent('header .subtitle')).toBe('Party-led community grid governance');
    expect((await page.textContent('[data-testid=demo-badge]'))?.trim()).toContain('Demo: synthetic boundaries and households');
    expect(await page.textContent('[data-testid=user-role]')).toMatch(/^City leader · /);
    expect(await page.textContent('#legend-title')).toBe('Households per grid (count)');
    const chrome = await page.evaluate(() =>
      [...document.querySelectorAll('header h1, header .subtitle, [data-testid=demo-badge], [data-testid=legend] h3, [data-testid=user-menu] .action')]
        .map((el) => `${el.textContent ?? ''} ${el.getAttribute('title') ?? ''}`).join('\n'),
    );
    expect(chrome).not.toMatch(CHINESE);
    // Nothing in the header is cut: the title keeps its width, the last part ends inside the screen.
    const header = await page.evaluate(() => {
      const title = document.querySelector<HTMLElement>('header h1')!;
      const parts = [...document.querySelector('header')!.children].map((el) => el.getBoundingClientRect().right);
      const subtitle = document.querySelector<HTMLElement>('header .subtitle')!;
      return {
        clipped: Math.max(title.scrollWidth - title.clientWidth, subtitle.scrollWidth - subtitle.clientWidth),
        right: Math.max(...parts), width: innerWidth,
      };
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-shell-header.png') });
    expect(header.clipped).toBeLessThanOrEqual(0);
    expect(header.right).toBeLessThanOrEqual(header.width);

    // The user menu: every view and sign-out in English.
    await openUserMenu(page);
    const items = await page.locator('[data-testid=user-menu-list] [role=menuitem]').allTextContents();
    expect(items).toContain('Sign out');
    expect(items).toContain('Access tokens');
    expect(items.join('\n')).not.toMatch(CHINESE);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-shell.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
