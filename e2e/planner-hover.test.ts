// The planner map in a real browser: hovering a block shows its grid and figures from the blocks
// already loaded (no request per hover), and with many grids (an auto-balanced draft with a small
// target) the grid labels never overlap on screen, while each grid still gets its label at some
// zoom. The screenshot goes to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

/** 大桥路社区 */
const COMMUNITY = '422801003001';
/** The grid labels' layer on the planner map. */
const LABELS = 'planner-label';
const GRIDS_WANTED = 38;

/**
 * Moves the camera (or only repaints, without `view`) and waits for the map's next 'idle', when
 * the labels' placement for that view is done.
 */
const settle = (page: Page, view?: { center?: [number, number]; zoom?: number; zoomBy?: number }) => page.evaluate((v) => new Promise<void>((done) => {
  const m = (window as any).__gridAtlas.map;
  m.once('idle', () => done());
  if (v) m.jumpTo({ ...(v.center ? { center: v.center } : {}), zoom: v.zoom ?? m.getZoom() + (v.zoomBy ?? 0) });
  m.triggerRepaint();
}), view);

/**
 * Labels that share a screen point: the map is probed every `step` pixels over the labels'
 * region, and each probe asks MapLibre which rendered labels' placed boxes (text plus padding)
 * hold that point. Two keys at one point are two labels drawn over each other.
 */
function overlappingLabels(page: Page, step: number) {
  return page.evaluate(({ layer, step }) => {
    const m = (window as any).__gridAtlas.map;
    const canvas = m.getCanvas() as HTMLCanvasElement;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const rendered = m.queryRenderedFeatures(undefined, { layers: [layer] }) as { properties: { key: string } }[];
    const pairs = new Set<string>();
    for (let y = 0; y <= h; y += step) {
      for (let x = 0; x <= w; x += step) {
        const keys = [...new Set((m.queryRenderedFeatures([x, y], { layers: [layer] }) as { properties: { key: string } }[]).map((f) => f.properties.key))];
        if (keys.length > 1) pairs.add(keys.sort().join(' & '));
      }
    }
    return { rendered: [...new Set(rendered.map((f) => f.properties.key))], overlaps: [...pairs] };
  }, { layer: LABELS, step });
}

describe.skipIf(!app.hasChromium)('the planner map in Chromium: block tooltip and grid labels', () => {
  it('hovering a block shows its figures; many grids get labels that never overlap', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'planner', { next: '/planner' });
    const facts = await page.evaluate(async (code) => {
      const c = (await (await fetch('/api/communities')).json()).features.find((f: any) => f.properties.code === code).properties.id as number;
      const grids = (await (await fetch(`/api/grids?community=${c}`)).json()).features.map((f: any) => f.properties);
      const blocks = (await (await fetch(`/api/blocks?community=${c}`)).json()).features.map((f: any) => f.properties);
      return { comm: c, numbers: Object.fromEntries(grids.map((g: any) => [g.id, g.number])) as Record<number, number>, blocks: blocks as { id: number; households: number; grid_id: number }[] };
    }, COMMUNITY);
    const { comm } = facts;
    await page.goto(`${app.server.url}/planner?community=${comm}`);
    await page.evaluate((c) => {
      localStorage.removeItem(`grid-atlas:planner:${c}`);
      localStorage.removeItem(`grid-atlas:planner-target:${c}`);
    }, comm);
    await page.reload();
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    const mapBox = (await (await page.$('[data-testid=planner-map]'))!.boundingBox())!;

    // A block with households, found under a point of the map: the tooltip names it from the API's figures.
    const spot = await page.evaluate((withHouseholds) => {
      const m = (window as any).__gridAtlas.map;
      const c = m.getCanvas() as HTMLCanvasElement;
      for (let y = 60; y < c.clientHeight - 60; y += 23) {
        for (let x = 60; x < c.clientWidth - 60; x += 23) {
          const f = m.queryRenderedFeatures([x, y], { layers: ['planner-block-fill'] })[0];
          if (f && withHouseholds.includes(f.id)) return { id: f.id as number, x, y };
        }
      }
      return null;
    }, facts.blocks.filter((b) => b.households > 0).map((b) => b.id));
    expect(spot).not.toBeNull();
    const block = facts.blocks.find((b) => b.id === spot!.id)!;
    const requests: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/')) requests.push(r.url()); });
    expect(await page.$('[data-testid=block-tooltip]')).toBeNull();
    await page.mouse.move(mapBox.x + spot!.x - 5, mapBox.y + spot!.y);
    await page.mouse.move(mapBox.x + spot!.x, mapBox.y + spot!.y);
    await page.waitForSelector('[data-testid=block-tooltip]');
    expect(await page.textContent('[data-testid=block-tooltip-households]')).toBe(`${block.households} 户`);
    expect(await page.textContent('[data-testid=block-tooltip-grid]')).toBe(`第${facts.numbers[block.grid_id]}网格`);
    // Off the map, the tooltip goes; hovering asked the server nothing.
    await page.mouse.move(mapBox.x - 40, mapBox.y + 40);
    await page.waitForSelector('[data-testid=block-tooltip]', { state: 'detached' });
    expect(requests).toEqual([]);

    // Many grids: auto-balance to GRIDS_WANTED grids (or as many as the blocks allow) at a small
    // target. The largest block must fit one grid at the target +50% (other files' cuts and edge
    // redraws in this community can leave a block of 150 households).
    const total = facts.blocks.reduce((n, b) => n + b.households, 0);
    const largest = Math.max(...facts.blocks.map((b) => b.households));
    const grids = Math.min(GRIDS_WANTED, Math.floor(facts.blocks.length / 2), Math.floor((total * 1.5) / largest) - 1);
    expect(grids).toBeGreaterThanOrEqual(20);
    await page.fill('[data-testid=planner-target]', String(Math.round(total / grids)));
    await page.dispatchEvent('[data-testid=planner-target]', 'change');
    await page.fill('[data-testid=balance-grids]', String(grids));
    await page.fill('[data-testid=balance-steps]', '2000');
    await page.fill('[data-testid=balance-tolerance]', '50');
    await page.click('[data-testid=auto-balance]');
    await page.waitForSelector('[data-testid=auto-balance]', { timeout: 300_000 });
    expect(await page.textContent('[data-testid=planner-status]')).toMatch(/自动平衡(完成|未能完全达标)/);
    expect(await page.$$eval('[data-testid=planner-grid-row]', (r) => r.length)).toBe(grids);
    await settle(page);

    // The whole community in view: the labels MapLibre placed do not overlap one another.
    const keys = await page.$$eval('[data-testid=planner-grid-row]', (rows) => rows.map((r) => (r as HTMLElement).dataset.grid!));
    let whole = await overlappingLabels(page, 4);
    expect(whole.overlaps).toEqual([]);
    expect(whole.rendered.length).toBeGreaterThan(0);
    for (const k of whole.rendered) expect(keys).toContain(k);
    // Zoomed out until the labels cannot all fit: some are left out, and still none overlap.
    await settle(page, { zoomBy: -1.5 });
    whole = await overlappingLabels(page, 4);
    expect(whole.overlaps).toEqual([]);
    expect(whole.rendered.length).toBeGreaterThan(0);
    expect(whole.rendered.length).toBeLessThan(keys.length);

    // Every grid has its label at some zoom: those left out here show when the map zooms in on them.
    const positions = await page.evaluate((layer) => {
      const m = (window as any).__gridAtlas.map;
      const src = m.getStyle().layers.find((l: any) => l.id === layer).source;
      const out: Record<string, [number, number]> = {};
      for (const f of m.querySourceFeatures(src)) out[f.properties.key] = f.geometry.coordinates;
      return out;
    }, LABELS);
    expect(Object.keys(positions).sort()).toEqual([...keys].sort());
    const missing = keys.filter((k) => !whole.rendered.includes(k));
    for (const k of missing) {
      let shown = false;
      for (const zoom of [16, 17, 18]) {
        await settle(page, { center: positions[k], zoom });
        shown = await page.evaluate(({ layer, k }) => (window as any).__gridAtlas.map
          .queryRenderedFeatures(undefined, { layers: [layer] }).some((f: any) => f.properties.key === k), { layer: LABELS, k });
        if (shown) break;
      }
      expect(shown, `grid ${k} has a label at some zoom`).toBe(true);
    }
    if (missing.length) {
      // and there, too, nothing overlaps
      expect((await overlappingLabels(page, 4)).overlaps).toEqual([]);
    }

    // Back to the whole community, a block hovered, for the screenshot.
    await page.reload();
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    expect(await page.$$eval('[data-testid=planner-grid-row]', (r) => r.length)).toBe(grids);
    await page.mouse.move(mapBox.x + spot!.x - 5, mapBox.y + spot!.y);
    await page.mouse.move(mapBox.x + spot!.x, mapBox.y + spot!.y);
    await page.waitForSelector('[data-testid=block-tooltip]');
    expect(await page.textContent('[data-testid=block-tooltip-households]')).toBe(`${block.households} 户`);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-hover-1920x1080.png') });

    // Leave the community as the other tests expect it: no saved edits, the default target.
    await page.click('[data-testid=target-own]');
    await page.evaluate((c) => localStorage.removeItem(`grid-atlas:planner:${c}`), comm);
    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);
});
