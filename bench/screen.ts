// pnpm bench:screen: the command centre in headless Chromium on software GL (SwiftShader, as in
// the browser tests), at 1920×1080 and 3840×2160. Prints, per size:
//   - load → first complete render: from the start of navigation to the first moment the map
//     has its grids, every tile and source loaded and nothing moving, and the panels hold figures
//     (today's cases, the 30-day trend);
//   - frame time with every layer on (streets and river, the heat of cadre links over the grid
//     choropleth, boundaries, labels, all 95,402 households, live cases) and with boundaries only,
//     and their ratio. A frame is one synchronous MapLibre redraw (deck.gl's layers are
//     interleaved into it) followed by a one-pixel readPixels, which waits for the GL work to
//     finish, so the figure is the whole frame, not only the JavaScript that queues it;
//   - page memory: the JavaScript heap and DOM nodes (Chrome DevTools Protocol), with every layer on.
// Software GL makes absolute times meaningless for a wall screen with a GPU; the ratio is the
// figure that carries over.
//
// The server is the real one on a fresh embedded database (seeded with the dataset and the case
// history, the simulator off), serving the client's test build (it exposes the MapLibre map to
// scripts as window.__gridAtlas.map; the production build does not).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/support/browser.ts';
import { startServer } from '../e2e/support/server.ts';
import { PROJECT_ROOT } from '../server/src/config.ts';

const SIZES = [[1920, 1080], [3840, 2160]] as const;
const FRAMES = Number(process.env.BENCH_FRAMES ?? 40);
/** Rounds the frames of each state are split into, alternating between the states. */
const ROUNDS = 4;
/** The layers of the boundaries-only frame: the line work of grid, community, subdistrict and city. */
const BOUNDARY_LAYERS = ['ga-grid-line', 'ga-community-line', 'ga-subdistrict-casing', 'ga-subdistrict-line', 'ga-city-line'];

execFileSync(process.execPath, ['scripts/build-client-if-stale.mjs', '--test-hooks'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
// BENCH_DATA_DIR: an embedded data directory to reuse (kept); else a fresh one, removed after.
const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ga-screen-bench-'));
console.log(`starting the server on ${keep ? dataDir : 'a fresh embedded database (seeding takes about a minute)'}…`);
const server = await startServer({
  GRID_ATLAS_DATA_DIR: dataDir, GRID_ATLAS_SIMULATOR: '0', GRID_ATLAS_CLIENT_DIST: path.join(PROJECT_ROOT, 'client/dist-test'),
}, 400_000);
const browser = await launchBrowser();

/** ms from navigation start until the map and panels are complete and the map is idle. */
async function firstCompleteRender(page: Page): Promise<number> {
  await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 300_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=kpi-trend]')?.getAttribute('data-points') === '30'
    && document.querySelector('[data-testid=kpi-today-cases] .value')?.textContent !== '—', null, { timeout: 300_000 });
  return page.evaluate(() => new Promise<number>((resolve) => {
    const m = (window as any).__gridAtlas.map;
    const done = () => !m.isMoving() && m.loaded() && m.areTilesLoaded();
    if (done()) return resolve(performance.now());
    const check = () => (done() ? resolve(performance.now()) : m.once('idle', check));
    m.once('idle', check);
  }));
}

/** `n` complete frame times, in ms (after 5 not counted: the first after a change of layers do extra work). */
async function frameTimes(page: Page, n: number): Promise<number[]> {
  return page.evaluate((n) => {
    const m = (window as any).__gridAtlas.map;
    const canvas: HTMLCanvasElement = m.getCanvas();
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
    const px = new Uint8Array(4);
    const out: number[] = [];
    for (let i = 0; i < n + 5; i++) {
      const t = performance.now();
      m.redraw();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      if (i >= 5) out.push(performance.now() - t);
    }
    return out;
  }, n);
}

/**
 * Resolves once the map has loaded every tile and is still: hiding or showing layers makes
 * MapLibre lay out their tiles again over the next frames, work that belongs to neither state.
 */
async function settled(page: Page): Promise<void> {
  // Polled, not the map's 'idle' event: live cases pulse, so the map may never fall idle.
  await page.waitForFunction(() => {
    const m = (window as any).__gridAtlas.map;
    m.triggerRepaint();
    return !m.isMoving() && m.loaded() && m.areTilesLoaded();
  }, null, { timeout: 120_000, polling: 100 });
}

/** Median and 95th percentile. */
function percentiles(times: number[]): { p50: number; p95: number } {
  const t = [...times].sort((a, b) => a - b);
  return { p50: t[Math.floor(t.length / 2)], p95: t[Math.min(t.length - 1, Math.floor(t.length * 0.95))] };
}

/** Shows only the boundary lines (and the background), or restores what was visible. */
async function boundariesOnly(page: Page, on: boolean, keep: string[]): Promise<number> {
  return page.evaluate(({ on, keep }) => {
    const m = (window as any).__gridAtlas.map;
    const w = window as any;
    if (on) w.__benchHidden = [];
    let visible = 0;
    // getLayersOrder, not getStyle().layers: the style's JSON leaves out custom layers, and
    // deck.gl's layers are custom layers of the map (interleaved).
    for (const id of m.getLayersOrder() as string[]) {
      if (on) {
        if (m.getLayer(id).type === 'background' || keep.includes(id)) { visible++; continue; }
        if (m.getLayoutProperty(id, 'visibility') === 'none') continue;
        m.setLayoutProperty(id, 'visibility', 'none');
        w.__benchHidden.push(id);
      } else if ((w.__benchHidden ?? []).includes(id)) {
        m.setLayoutProperty(id, 'visibility', 'visible');
      }
      if (!on && m.getLayoutProperty(id, 'visibility') !== 'none') visible++;
    }
    return visible;
  }, { on, keep });
}

interface Row { size: string; load: number; all: { p50: number; p95: number }; layersAll: number; bounds: { p50: number; p95: number }; layersBounds: number; heapMb: number; nodes: number }
const rows: Row[] = [];
try {
  for (const [w, h] of SIZES) {
    const context = await browser.newContext({ viewport: { width: w, height: h } });
    // tsx compiles this file keeping function names, through a helper (__name) the functions
    // handed to page.evaluate then call in the page: give the page that helper.
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    const res = await context.request.post(`${server.url}/api/auth/login`, { data: { username: 'leader', password: 'enshi-demo' } });
    if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
    // The session cookie is in the context; the page loads cold (a new context: nothing cached).
    const page = await context.newPage();
    await page.goto(`${server.url}/command`);
    const load = await firstCompleteRender(page);

    // Every layer on: the cadre-link heat (in-service members) with its choropleth, the households.
    const households = await page.evaluate(async () => (await (await fetch('/api/health')).json()).counts.households as number);
    await page.click('[data-testid=metric-heat]');
    await page.waitForFunction(() => Number(document.documentElement.dataset.commandHeatCells) > 0, null, { timeout: 120_000 });
    await page.click('[data-testid=toggle-households]');
    await page.waitForFunction((n) => document.documentElement.dataset.commandHouseholds === String(n), households, { timeout: 120_000 });
    await page.evaluate(() => new Promise((r) => (window as any).__gridAtlas.map.once('idle', r)));
    const layersAll = await boundariesOnly(page, false, []);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;

    // The two states alternate, a few frames at a time, so a drift of the machine's speed
    // during the run (software GL shares the CPU with everything else) weighs on both alike.
    const allTimes: number[] = [];
    const boundsTimes: number[] = [];
    let layersBounds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      allTimes.push(...(await frameTimes(page, Math.ceil(FRAMES / ROUNDS))));
      layersBounds = await boundariesOnly(page, true, BOUNDARY_LAYERS);
      await settled(page);
      boundsTimes.push(...(await frameTimes(page, Math.ceil(FRAMES / ROUNDS))));
      await boundariesOnly(page, false, []);
      await settled(page);
    }
    const all = percentiles(allTimes);
    const bounds = percentiles(boundsTimes);
    rows.push({ size: `${w}×${h}`, load, all, layersAll, bounds, layersBounds, heapMb: metric('JSHeapUsedSize') / 2 ** 20, nodes: metric('Nodes') });
    await context.close();
  }
} finally {
  await browser.cleanup();
  await server.stop();
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
}

const f = (x: number, d = 1) => x.toFixed(d);
console.log('\ncommand centre, headless Chromium on software GL (SwiftShader): ratios carry over to a GPU, absolute times do not');
console.log(`| size | load → first complete render | frame, every layer on (${rows[0]?.layersAll ?? '?'} layers) p50 / p95 | frame, boundaries only p50 / p95 | ratio (p50) | JS heap | DOM nodes |`);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.size} | ${f(r.load / 1000, 2)} s | ${f(r.all.p50)} / ${f(r.all.p95)} ms | ${f(r.bounds.p50)} / ${f(r.bounds.p95)} ms (${r.layersBounds} layers) | ${f(r.all.p50 / r.bounds.p50, 2)}× (target ≤ 2×) | ${f(r.heapMb)} MB | ${r.nodes} |`);
}
