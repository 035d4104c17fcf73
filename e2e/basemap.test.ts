// The synthetic ground (streets with names and the Qing River, GET /api/basemap) under every
// working map, not only the command centre's: the city map, the secretary's community map and
// the planner's map each draw the street source with its features, the street layers sit under
// the boundary lines, and the street names are labelled; at street zoom the synthetic building
// footprints (vector tiles) are drawn under the streets, credited as synthetic. Screenshots to artifacts/.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

/** What the page's map draws of the ground: its layers (in order) and the street features loaded. */
async function ground(page: Page) {
  return page.evaluate(() => {
    const map = (window as any).__gridAtlas.map;
    const order = map.getStyle().layers.map((l: { id: string }) => l.id) as string[];
    const features = map.querySourceFeatures('ga-basemap') as { properties: { kind: string; name?: string } }[];
    return {
      order,
      main: features.filter((f) => f.properties.kind === 'main').length,
      river: features.filter((f) => f.properties.kind === 'river').length,
    };
  });
}

async function open(username: string, url: string, loaded: string, shot: string) {
  const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInThroughForm(page, app.server.url, username, { next: url });
  await page.waitForFunction((k) => document.documentElement.dataset[k], loaded, { timeout: 120_000 });
  await page.waitForFunction(() => ((window as any).__gridAtlas?.map?.querySourceFeatures('ga-basemap').length ?? 0) > 0, null, { timeout: 30_000 });
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ARTIFACTS, shot) });
  const g = await ground(page);
  expect(errors).toEqual([]);
  await page.close();
  return g;
}

describe.skipIf(!app.hasChromium)('streets under every map in Chromium', () => {
  it('the city map and the secretary\'s community map: streets and river under the grid lines', async () => {
    for (const [who, url, flag, shot] of [
      ['leader', '/', 'gridsLoaded', 'basemap-city-1920x1080.png'],
      ['secretary-422801002001', '/community', 'communityLoaded', 'basemap-community-1920x1080.png'],
    ] as const) {
      const g = await open(who, url, flag, shot);
      expect(g.main, who).toBeGreaterThan(0);
      expect(g.order.indexOf('ga-street-main'), who).toBeGreaterThan(-1);
      expect(g.order.indexOf('ga-street-main'), who).toBeLessThan(g.order.indexOf('ga-grid-line'));
      expect(g.order.indexOf('ga-street-label'), who).toBeGreaterThan(-1);
    }
  }, 180_000); // here and below: maps drawn in software GL while CI runs two suites at once; no timing assertion

  it('the planner\'s map: streets over the block fills, under the block lines and grid labels', async () => {
    const g = await open('planner', '/planner', 'plannerLoaded', 'basemap-planner-1920x1080.png');
    expect(g.main).toBeGreaterThan(0);
    const at = (id: string) => g.order.indexOf(id);
    expect(at('ga-street-main')).toBeGreaterThan(at('planner-block-fill'));
    expect(at('ga-street-main')).toBeLessThan(at('planner-block-line'));
    expect(at('ga-street-label')).toBeLessThan(at('planner-label'));
  }, 180_000);

  it('building footprints at street zoom on the community map, under the streets and grid lines', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'secretary-422801002001', { next: '/community' });
    await page.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    await page.waitForFunction(() => ((window as any).__gridAtlas?.map?.querySourceFeatures('ga-basemap').length ?? 0) > 0, null, { timeout: 30_000 });
    // Below street zoom nothing of the layer is drawn.
    const before = await page.evaluate(() => {
      const map = (window as any).__gridAtlas.map;
      return { zoom: map.getZoom() as number, drawn: map.queryRenderedFeatures({ layers: ['ga-building-fill'] }).length as number };
    });
    if (before.zoom < 15) expect(before.drawn).toBe(0);
    await page.evaluate(() => (window as any).__gridAtlas.map.jumpTo({ zoom: 16.5 }));
    await page.waitForFunction(() => {
      const map = (window as any).__gridAtlas.map;
      return map.loaded() && map.queryRenderedFeatures({ layers: ['ga-building-fill'] }).length > 0;
    }, null, { timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'basemap-buildings-1920x1080.png') });
    const got = await page.evaluate(() => {
      const map = (window as any).__gridAtlas.map;
      const features = map.queryRenderedFeatures({ layers: ['ga-building-fill'] }) as { properties: Record<string, unknown> }[];
      return {
        count: features.length,
        props: features[0].properties,
        order: map.getStyle().layers.map((l: { id: string }) => l.id) as string[],
        attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? '',
      };
    });
    expect(got.count).toBeGreaterThan(0);
    expect(got.props).toEqual({ synthetic: true });
    expect(got.order.indexOf('ga-building-fill')).toBeGreaterThan(-1);
    expect(got.order.indexOf('ga-building-fill')).toBeLessThan(got.order.indexOf('ga-street-main'));
    expect(got.order.indexOf('ga-building-fill')).toBeLessThan(got.order.indexOf('ga-grid-line'));
    expect(got.attribution).toMatch(/建筑轮廓：合成示意/);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
