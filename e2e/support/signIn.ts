// Signing in through the /login page, as a person would: fill the form, press Enter.
import type { Page } from 'playwright-core';

export async function signInThroughForm(page: Page, baseUrl: string, username: string, password = 'enshi-demo'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.press('input[name=password]', 'Enter');
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 30_000 });
}
