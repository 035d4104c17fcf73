// Signing in through the /login page, as a person would: fill the form, press Enter.
import type { Page } from 'playwright-core';

/**
 * `next` opens that page after signing in, as a link to a page does for a signed-out user
 * (/login?next=…): a test that works elsewhere need not load the role's landing page first
 * (a leader's is the command centre, the heaviest page there is).
 */
export async function signInThroughForm(page: Page, baseUrl: string, username: string, { password = 'enshi-demo', next }: { password?: string; next?: string } = {}): Promise<void> {
  await page.goto(`${baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.press('input[name=password]', 'Enter');
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 30_000 });
}

/**
 * Opens the header's menu (the person's name): the views besides the case inbox, and sign-out,
 * live there. Waits for the menu, so a click on one of its links that follows lands.
 */
export async function openUserMenu(page: Page): Promise<void> {
  if ((await page.getAttribute('[data-testid=user-menu-toggle]', 'aria-expanded')) !== 'true') {
    await page.click('[data-testid=user-menu-toggle]');
  }
  await page.waitForSelector('[data-testid=user-menu-list]');
}
