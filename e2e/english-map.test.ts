// The city map in English (?lang=en, for this page load only: the account's language is left as
// it is, other files sign in as the same demo accounts): the header's figures, the subdistrict
// panel, the layer switches and their legends, a grid's card, the attribution and the grid labels
// drawn on the map read in English, with no Chinese in the interface's own words (place names
// from the register stay as the city wrote them). A screenshot is saved for people to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]/;

describe.skipIf(!app.hasChromium)('the city map in English', () => {
  it('shows its panels, layer switches, grid card and map labels in English at 1920×1080', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'leader');
    await page.goto(`${app.server.url}/?lang=en`);
    await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // The header's figures and the subdistrict panel.
    expect(await page.locator('[data-testid=header-stats] dt').allTextContents()).toEqual(['Subdistricts', 'Communities', 'Grids', 'Households']);
    expect(await page.textContent('#sd-title')).toBe('Subdistricts');
    expect((await page.textContent('[data-testid=overview-home]'))?.trim()).toBe('Whole city');
    const meta = await page.locator('[data-testid=subdistrict-list] .meta').first().textContent();
    expect(meta).toMatch(/\d+ communit(y|ies)\s*\d+ grids?\s*[\d,]+ households?/);

    // The layer switches, with the household points and the cases on (their legends show).
    await page.click('label:has([data-testid=toggle-households])');
    await page.click('label:has([data-testid=toggle-cases])');
    await page.waitForSelector('[data-testid=case-layer-count]', { timeout: 60_000 });
    const layers = page.locator('section[aria-label=Layers]');
    const layerText = (await layers.textContent()) ?? '';
    for (const words of ['Place names', 'Household points', 'In difficulty', 'Linked Party member', 'Other households', 'Case points', 'Overdue', 'Reported']) {
      expect(layerText).toContain(words);
    }
    expect(await page.textContent('[data-testid=case-layer-count]')).toMatch(/\d+ open/);

    // A grid's card: the map flies to one grid, which is clicked.
    const at = await page.evaluate(async () => {
      const grids = await (await fetch('/api/grids')).json();
      const f = grids.features[0];
      const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const pts = ring.slice(0, -1);
      const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
      const map = (window as any).__gridAtlas.map;
      map.jumpTo({ center: [lon, lat], zoom: 15.5 });
      await new Promise((resolve) => map.once('idle', resolve));
      const p = map.project([lon, lat]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('[data-testid=grid-card]');
    const card = page.locator('[data-testid=grid-card]');
    expect(await card.locator('.facts dt').allTextContents()).toEqual(['Households', 'In difficulty', 'Linked cadres', 'Area']);
    expect(await card.locator('.rows dt').allTextContents()).toEqual(['Community', 'Subdistrict', 'Grid number']);
    expect(await card.locator('.rows dd').last().textContent()).toMatch(/^Grid \d+$/);
    expect(await card.locator('.code').textContent()).toMatch(/^Grid code /);
    expect(await card.locator('.note').textContent()).toMatch(/ of households$/);
    expect((await card.locator('.locate').textContent())?.trim()).toBe('Zoom to this grid');
    expect(await card.locator('.close').getAttribute('aria-label')).toBe('Close');

    // The interface's own words hold no Chinese (the subdistricts' names are data, left out).
    const chrome = await page.evaluate(() => {
      const text = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)].map((el) => el.innerText);
      const card = document.querySelector('[data-testid=grid-card]')!;
      return [
        ...text('[data-testid=header-stats]'),
        ...text('.panel-head'),
        ...text('[data-testid=subdistrict-list] .meta'),
        ...text('section[aria-label=Layers]'),
        ...[...card.querySelectorAll<HTMLElement>('.code, .facts, .rows dt, .rows div:last-child dd, .locate')].map((el) => el.innerText),
        ...text('.maplibregl-ctrl-attrib'),
      ];
    });
    expect(chrome.filter((s) => CJK.test(s))).toEqual([]);
    const attribution = await page.textContent('.maplibregl-ctrl-attrib');
    expect(attribution).toContain('synthetic data');
    expect(attribution).toContain('National Bureau of Statistics');

    // The grid labels drawn on the map: "Grid 3", "1,234 households".
    const gridLabel = await page.evaluate(() => JSON.stringify((window as any).__gridAtlas.map.getLayoutProperty('ga-grid-label', 'text-field')));
    expect(gridLabel).toContain('Grid ');
    expect(gridLabel).toContain(' households');
    expect(gridLabel).not.toMatch(CJK);

    // The card has slid in and the map has settled before the picture is taken.
    await page.waitForFunction(() => document.querySelector('[data-testid=grid-card]')?.getAnimations({ subtree: true }).length === 0);
    await page.waitForFunction(() => !(window as any).__gridAtlas.map.isMoving(), null, { timeout: 30_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'english-map.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
