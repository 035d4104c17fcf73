// The interface language in Chromium, as a person switches it: an account of its own (the demo
// accounts are signed in by other files at the same time) signs in to Chinese, picks English in
// the user menu; the page loads again in English, the choice is kept with the account and in the
// browser (the sign-in page after signing out is English too), a fresh browser gets English from
// the account at sign-in, and 中文 brings Chinese back. Screenshot to artifacts/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openTestDb } from '../test/db.ts';
import { hashPassword } from '../server/src/auth/password.ts';
import type { Db } from '../server/src/index.ts';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
const USERNAME = `language-e2e-${process.pid}`;
let db: Db;

beforeAll(async () => {
  db = await openTestDb();
  await db.query(`INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, '语言测试管理员', 'admin', $2)`,
    [USERNAME, await hashPassword('enshi-demo')]);
});
afterAll(async () => {
  await db?.query(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)`, [USERNAME]);
  await db?.query(`DELETE FROM users WHERE username = $1`, [USERNAME]);
  await db?.close();
});

const storedLocale = async () => (await db.query<{ locale: string }>(`SELECT locale FROM users WHERE username = $1`, [USERNAME])).rows[0].locale;
const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

/** Opens the menu and picks a language; the page loads again. */
async function pick(page: Page, locale: 'en' | 'zh-CN'): Promise<void> {
  await openUserMenu(page);
  await Promise.all([page.waitForEvent('load'), page.click(`[data-testid=language-${locale}]`)]);
  await page.waitForSelector('[data-testid=user-menu-toggle]');
}

describe.skipIf(!app.hasChromium)('the interface language in Chromium', () => {
  it('switches to English from the user menu, keeps it with the account and the browser, and switches back', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await signInThroughForm(page, app.server.url, USERNAME, { next: '/audit' });
      expect(await htmlLang(page)).toBe('zh-CN');
      await openUserMenu(page);
      expect(await page.textContent('[data-testid=audit-link], [data-testid=map-link]')).toMatch(/审计日志|返回地图/);
      expect(await page.getAttribute('[data-testid=language-zh-CN]', 'aria-pressed')).toBe('true');

      await pick(page, 'en');
      expect(await htmlLang(page)).toBe('en');
      expect(await storedLocale()).toBe('en');
      expect(new URL(page.url()).pathname).toBe('/audit');
      await openUserMenu(page);
      expect(await page.textContent('[data-testid=logout]')).toBe('Sign out');
      expect(await page.textContent('[data-testid=tokens-link]')).toBe('Access tokens');
      expect(await page.textContent('[data-testid=user-role]')).toMatch(/^Administrator · /);
      expect(await page.getAttribute('[data-testid=language-en]', 'aria-pressed')).toBe('true');
      await page.screenshot({ path: path.join(ARTIFACTS, 'language-menu-en.png') });

      // signed out, this browser still reads English
      await Promise.all([page.waitForURL(/\/login/), page.click('[data-testid=logout]')]);
      await page.waitForSelector('[data-testid=login-form]');
      expect(await htmlLang(page)).toBe('en');

      // a fresh browser (nothing kept) gets English from the account as soon as it signs in
      const fresh = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
      try {
        await signInThroughForm(fresh, app.server.url, USERNAME, { next: '/audit' });
        await fresh.waitForFunction(() => document.documentElement.lang === 'en');
        await openUserMenu(fresh);
        expect(await fresh.textContent('[data-testid=logout]')).toBe('Sign out');
        // ?lang= overrides for one page load without changing the account
        await fresh.goto(`${app.server.url}/audit?lang=zh-CN`);
        await openUserMenu(fresh);
        expect(await fresh.textContent('[data-testid=logout]')).toBe('退出登录');
        expect(await storedLocale()).toBe('en');
        // and 中文 from the menu is kept again
        await pick(fresh, 'zh-CN');
        expect(await htmlLang(fresh)).toBe('zh-CN');
        expect(new URL(fresh.url()).search).toBe('');
        await openUserMenu(fresh);
        expect(await fresh.textContent('[data-testid=logout]')).toBe('退出登录');
        expect(await storedLocale()).toBe('zh-CN');
      } finally {
        await fresh.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
