// Importing a plan from a file in the planner, in Chromium: the community's current layout,
// saved as a draft and exported, is turned by GDAL (test-only) into a zipped Shapefile in
// EPSG:4547; the planner picks it, sees the upload's progress bar and the dry run's report
// (Shapefile, the Gauss-Krüger system found and reprojected, nobody moving), and confirms: the
// draft appears in the list. A corrupt zip is refused in words, and a file whose grid lacks its
// number is named feature by feature with the confirm disabled. Screenshot to artifacts/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

/** 官坡社区 */
const COMMUNITY = '422801001001';

/** What the import panel shows once the upload and the check are done. */
async function reportOf(page: Page) {
  await page.waitForSelector('[data-testid=planner-import-report], [data-testid=planner-import-failure]', { timeout: 60_000 });
  return page.evaluate(() => ({
    ok: document.querySelector('[data-testid=planner-import-report]')?.getAttribute('data-ok') ?? null,
    text: document.querySelector('[data-testid=planner-import-report]')?.textContent ?? '',
    failure: document.querySelector('[data-testid=planner-import-failure]')?.textContent ?? '',
    errors: [...document.querySelectorAll('[data-testid=planner-import-errors] li')].map((li) => li.textContent ?? ''),
  }));
}

describe.skipIf(!app.hasChromium)('plan import from a file in Chromium', () => {
  it('a Shapefile in EPSG:4547: progress, a dry-run report, then the draft on confirm; bad files are refused in words', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'e2e-plan-import-'));
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await signInThroughForm(page, app.server.url, 'planner', { next: '/planner' });
      const comm = await page.evaluate(async (code) =>
        (await (await fetch('/api/communities')).json()).features.find((f: any) => f.properties.code === code).properties.id as number, COMMUNITY);
      await page.goto(`${app.server.url}/planner?community=${comm}`);
      await page.evaluate((c) => localStorage.removeItem(`grid-atlas:planner:${c}`), comm);
      await page.reload();
      await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });

      // the current layout as a draft, exported as GeoJSON, made a Shapefile in EPSG:4547 by GDAL
      await page.click('[data-testid=planner-save]');
      await page.waitForFunction(() => /已保存草案 #\d+/.test(document.querySelector('[data-testid=planner-status]')?.textContent ?? ''));
      const draft = Number(/#(\d+)/.exec((await page.textContent('[data-testid=planner-status]'))!)![1]);
      await page.waitForSelector(`[data-testid=planner-plans] li[data-plan="${draft}"]`);
      expect(await page.getAttribute(`li[data-plan="${draft}"] [data-testid=plan-export-gpkg]`, 'href')).toBe(`/api/plans/${draft}/gpkg`);
      const geojson = await page.evaluate(async (id) => (await fetch(`/api/plans/${id}/geojson`)).text(), draft);
      writeFileSync(path.join(dir, 'grids.geojson'), geojson);
      mkdirSync(path.join(dir, 'shp'));
      execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', path.join(dir, 'shp', '官坡网格.shp'), path.join(dir, 'grids.geojson')]);
      const parts = Object.fromEntries(readdirSync(path.join(dir, 'shp')).map((f) => [f, readFileSync(path.join(dir, 'shp', f))]));
      const zip = Buffer.from(zipSync(parts));
      const grids = JSON.parse(geojson).features.length;

      // the progress bar shows while the file goes up (recorded as it appears: it may be brief)
      await page.evaluate(() => {
        (window as any).__sawProgress = false;
        new MutationObserver(() => {
          if (document.querySelector('[data-testid=planner-import-progress] progress')) (window as any).__sawProgress = true;
        }).observe(document.body, { childList: true, subtree: true });
      });
      await page.setInputFiles('[data-testid=planner-import-file]', { name: '官坡网格.zip', mimeType: 'application/zip', buffer: zip });
      let r = await reportOf(page);
      expect(await page.evaluate(() => (window as any).__sawProgress)).toBe(true);
      expect(r.ok, r.text + r.failure).toBe('true');
      expect(r.text).toContain('导入预检（尚未保存）：官坡网格.zip');
      expect(r.text).toContain('Shapefile（zip）');
      expect(r.text).toContain(`${grids} 个`);
      expect(await page.textContent('[data-testid=import-crs]')).toMatch(/CGCS2000 3度带高斯-克吕格 中央经线 114°E（文件中声明）\s*· 已转换为 WGS84/);
      expect(await page.textContent('[data-testid=import-changes]')).toMatch(new RegExp(`${grids} 个网格（新建 0 个，撤销 0 个）；\\s*将调整 0 个地块、0 户`));
      expect(await page.isDisabled('[data-testid=planner-import-confirm]')).toBe(false);
      // nothing saved by the dry run
      expect(await page.$$eval('[data-testid=planner-plans] li[data-plan]', (li) => li.length)).toBe(
        await page.evaluate(async (c) => (await (await fetch(`/api/plans?community=${c}`)).json()).plans.length, comm));
      await page.screenshot({ path: path.join(ARTIFACTS, 'plan-import-report.png') });

      await page.click('[data-testid=planner-import-confirm]');
      await page.waitForSelector('[data-testid=planner-import-saved]', { timeout: 60_000 });
      const saved = Number(/#(\d+)/.exec((await page.textContent('[data-testid=planner-import-saved]'))!)![1]);
      await page.waitForSelector(`[data-testid=planner-plans] li[data-plan="${saved}"]`);
      expect(await page.textContent(`li[data-plan="${saved}"] .plan-title`)).toBe('导入：官坡网格.zip');
      expect(await page.textContent('[data-testid=planner-status]')).toBe(`已导入为草案 #${saved}`);

      // a corrupt zip: refused in words, no report
      await page.setInputFiles('[data-testid=planner-import-file]', { name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not a zip') });
      r = await reportOf(page);
      expect(r.failure).toMatch(/^无法导入：(压缩包无法解压|压缩包中没有 \.shp 文件)/);
      expect(r.text).toBe('');

      // a grid without its number: the dry run names the feature, and the confirm stays disabled
      const bad = JSON.parse(geojson);
      delete bad.features[0].properties.number;
      await page.setInputFiles('[data-testid=planner-import-file]', { name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
      r = await reportOf(page);
      expect(r.ok).toBe('false');
      expect(r.errors).toEqual([expect.stringMatching(/^第 1 个要素缺少网格编号/)]);
      expect(await page.isDisabled('[data-testid=planner-import-confirm]')).toBe(true);
      await page.click('[data-testid=planner-import-cancel]');
      expect(await page.$('[data-testid=planner-import-report]')).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
