// Personal access tokens in a real browser: a secretary opens 访问令牌 from the menu, is refused
// an empty name, creates a token and sees it once, the token reads the OGC API with her
// community's scope, reopening shows only its prefix, and revoking it ends it. Screenshot to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { openUserMenu, signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

describe.skipIf(!app.hasChromium)('personal access tokens in Chromium', () => {
  it('creates a token shown once, which opens the OGC API until it is revoked', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'secretary-422801001001', { next: '/resources' });
    await openUserMenu(page);
    await page.click('[data-testid=tokens-link]');
    await page.waitForSelector('[data-testid=tokens-dialog]');
    expect(await page.textContent('[data-testid=tokens-ogc-url]')).toBe(`${app.server.url}/ogc`);

    // An empty name is refused with the server's reason, and no token is shown.
    await page.click('[data-testid=token-create]');
    await page.waitForSelector('[data-testid=tokens-error]');
    expect(await page.textContent('[data-testid=tokens-error]')).toContain('名称不能为空');
    expect(await page.$('[data-testid=token-created]')).toBeNull();

    const name = `办公室 QGIS ${Date.now()}`;
    await page.fill('[data-testid=token-name]', name);
    await page.click('[data-testid=token-create]');
    await page.waitForSelector('[data-testid=token-created]');
    const token = await page.inputValue('[data-testid=token-value]');
    expect(token).toMatch(/^gat_[A-Za-z0-9_-]{43}$/);
    const row = page.locator('tr', { hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain(token.slice(0, 10));
    expect(await row.textContent()).toContain('从未使用');
    await page.screenshot({ path: path.join(ARTIFACTS, 'tokens-1920x1080.png') });

    // The token reads the OGC API as her: her community's grids only.
    const read = () => fetch(`${app.server.url}/ogc/collections/grids/items?limit=1000`, { headers: { Authorization: `Bearer ${token}` } });
    const res = await read();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { numberMatched: number; features: { properties: { community_id: number } }[] };
    expect(body.numberMatched).toBeGreaterThan(0);
    expect(new Set(body.features.map((f) => f.properties.community_id)).size).toBe(1);

    // Reopened: the list, never the token again; its use is recorded.
    await page.click('[data-testid=tokens-close]');
    await page.waitForSelector('[data-testid=tokens-dialog]', { state: 'detached' });
    await openUserMenu(page);
    await page.click('[data-testid=tokens-link]');
    await row.waitFor();
    expect(await page.$('[data-testid=token-created]')).toBeNull();
    expect(await page.content()).not.toContain(token);
    expect(await row.textContent()).not.toContain('从未使用');

    await row.locator('button', { hasText: '撤销' }).click();
    await row.locator('[data-testid=token-revoked]').waitFor();
    expect((await read()).status).toBe(401);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
