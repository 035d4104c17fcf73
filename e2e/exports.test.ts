// Exports in a real browser: the secretary downloads the filtered household register and the
// case list from the links beside each list; each file holds exactly as many rows as the list
// says it has, and opens in exceljs with Chinese headers.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { signInThroughForm } from './support/signIn.ts';

const SECRETARY = 'secretary-422801001001';
const app = useBrowserApp();

/** "共 1,234 户" → 1234 */
const count = (text: string | null) => Number(/共\s*([\d,]+)/.exec(text ?? '')?.[1].replaceAll(',', ''));

async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const at = await file.path();
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(at) };
}

describe.skipIf(!app.hasChromium)('exports in Chromium', () => {
  it('the secretary takes the filtered register as CSV and the case list as Excel', async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, SECRETARY);
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });

    // Only the families in difficulty: the file holds as many rows as the list counts.
    const before = await page.textContent('[data-testid=household-total]');
    await page.click('[data-testid=filter-difficulty]');
    await page.waitForFunction((b) => document.querySelector('[data-testid=household-total]')?.textContent !== b, before);
    await page.waitForFunction(() => !document.querySelector('.rows.stale'));
    const households = count(await page.textContent('[data-testid=household-total]'));
    expect(households).toBeGreaterThan(0);
    const register = await download(page, '[data-testid=household-list] [data-testid=export-csv]');
    expect(register.name).toMatch(/^住户名册-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = register.bytes.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^住户编号,户主,联系电话,地址/);
    expect(lines.length - 1).toBe(households);
    expect(lines.slice(1).every((l) => l.includes(',是,'))).toBe(true); // 困难家庭 = 是

    // The case list, open cases only, as Excel.
    await page.goto(`${app.server.url}/cases`);
    await page.waitForSelector('[data-testid=case-list]');
    await page.selectOption('[data-testid=filter-status]', 'open');
    await page.waitForTimeout(500);
    await page.waitForFunction(() => !document.querySelector('[data-testid=case-list].stale'));
    const cases = count(await page.textContent('[data-testid=case-total]'));
    const list = await download(page, '[data-testid=export-xlsx]');
    expect(list.name).toMatch(/^案件清单-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(list.bytes).buffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('案件编号');
    expect(sheet.actualRowCount - 1).toBe(cases);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
