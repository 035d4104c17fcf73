// Places in words in a real browser: a resident types a building address on the report page,
// picks it, and the pin lands there, named by its community and grid (never coordinates); a grid
// worker filing a case finds a household by its head's name and sees the same kind of place.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../test/db.ts';
import type { Db } from '../server/src/db/index.ts';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

/** A building of 解放路社区 with the grid most of its households are in, and one of its heads. */
async function building() {
  return (await db.query<{ building: string; head_name: string; number: number; code: string; community: string }>(
    `SELECT h.building, h.head_name, g.number, g.code, cm.name AS community
       FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id
      WHERE cm.code = '422801002001' ORDER BY h.id LIMIT 1`)).rows[0];
}

describe.skipIf(!app.hasChromium)('places in words in Chromium', () => {
  it('a resident finds a building by its address; the pin is named by community and grid', async () => {
    const b = await building();
    const ctx = await app.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.server.url}/report`);
    await page.waitForFunction(() => document.documentElement.dataset.reportMapReady === '1', null, { timeout: 60_000 });
    await page.fill('[data-testid=place-search-input]', b.building);
    await page.waitForSelector('[data-testid=place-hit-0]');
    expect(await page.textContent('[data-testid=place-hit-0]')).toContain(b.building);
    await page.click('[data-testid=place-hit-0]');
    await page.waitForFunction(() => /^已选位置：.+社区 第\d+网格/.test(document.querySelector('[data-testid=report-place]')?.textContent ?? ''));
    const where = (await page.textContent('[data-testid=report-place]'))!;
    expect(where.startsWith(`已选位置：${b.community} 第${b.number}网格`), where).toBe(true);
    expect(where).not.toMatch(/\d+\.\d{4,}/);
    expect(await page.inputValue('[data-testid=report-address]')).toBe(b.building);
    await page.screenshot({ path: path.join(ARTIFACTS, 'places-report-390x844.png') });
    // An address that does not exist says so, in words.
    await page.fill('[data-testid=place-search-input]', '不存在的路999号');
    await page.waitForSelector('[data-testid=place-search-none]');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a grid worker filing a case finds a household by its head\'s name', async () => {
    const b = await building();
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await signInThroughForm(page, app.server.url, `grid-${b.code}`);
    await page.goto(`${app.server.url}/cases`);
    await page.click('[data-testid=new-case]');
    await page.fill('[data-testid=place-search-input]', b.head_name);
    await page.waitForSelector('[data-testid=place-hit-0]');
    const hits = await page.$$eval('[data-testid^=place-hit-]', (els) => els.map((e) => e.textContent ?? ''));
    const i = hits.findIndex((h) => h.includes(b.head_name));
    expect(i).toBeGreaterThanOrEqual(0);
    await page.click(`[data-testid=place-hit-${i}]`);
    await page.waitForFunction(() => /社区 第\d+网格/.test(document.querySelector('[data-testid=new-case-point]')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=new-case-point]')).toContain(`${b.community} 第${b.number}网格`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'places-new-case-1920x1080.png') });
    await page.close();
  });
});
