// The grid planner in a real browser: a planner opens the community with the worst balance,
// paints a block from a neighbouring grid into another and watches both counts change, undoes and
// redoes, reloads (the edit survives), runs auto-balance, saves the draft, validates and applies it,
// then reverts it (the suite shares one database); cuts a block with a drawn line, redraws the
// edge between two blocks of two grids, and applies the drafts of two communities together.
// Screenshots go to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { applyStroke, buildBlockGraph, createAssignment } from '@grid-atlas/geodata/plan';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';
import { openTestDb } from '../test/db.ts';
import { findGridLine } from '../test/edges.ts';
import { intersection, unionAgg } from '../server/src/db/overlay.ts';

const app = useBrowserApp();

const rowHouseholds = (page: Page, key: string) => page.textContent(`[data-testid=planner-grid-row][data-grid="${key}"] .hh`).then(Number);
const stat = (page: Page, id: string) => page.textContent(`[data-testid=stat-${id}]`);
/** The planner's status line now, without waiting for one to appear. */
/** Accepts every confirmation the page asks for; their texts, in order. */
function acceptDialogs(page: Page): string[] {
  const asked: string[] = [];
  page.on('dialog', (d) => {
    asked.push(d.message());
    void d.accept();
  });
  return asked;
}
const statusLine = (page: Page) => page.evaluate(() => document.querySelector('[data-testid=planner-status]')?.textContent ?? '(no status line)');

function inside(ring: number[][], [x, y]: number[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** 大桥路社区, where the cut and the edge redraw work. */
const COMMUNITY = '422801003001';

/** A planner's page on the community's planner, its saved edits cleared; with the page's errors. */
async function openPlanner(code: string) {
  const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const asked = acceptDialogs(page);
  await signInThroughForm(page, app.server.url, 'planner', { next: '/planner' });
  const comm = await page.evaluate(async (c) => (await (await fetch('/api/communities')).json()).features
    .find((f: any) => f.properties.code === c).properties.id as number, code);
  await page.goto(`${app.server.url}/planner?community=${comm}`);
  await page.evaluate((c) => localStorage.removeItem(`grid-atlas:planner:${c}`), comm);
  await page.reload();
  await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
  return { page, errors, comm, asked };
}

describe.skipIf(!app.hasChromium)('grid planner in Chromium', () => {
  it('paints a block, undoes, survives a reload, auto-balances, applies and reverts', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const asked = acceptDialogs(page);
    await signInThroughForm(page, app.server.url, 'planner', { next: '/planner' });

    // The community whose grids are furthest apart in size (largest max − min households).
    const comm = await page.evaluate(async () => {
      const grids = (await (await fetch('/api/grids')).json()).features.map((f: any) => f.properties);
      const by = new Map<number, number[]>();
      for (const g of grids) by.set(g.community_id, [...(by.get(g.community_id) ?? []), g.households]);
      let best = 0, spread = -1;
      for (const [id, hh] of by) if (hh.length >= 3 && Math.max(...hh) - Math.min(...hh) > spread) { best = id; spread = Math.max(...hh) - Math.min(...hh); }
      return best;
    });
    await page.goto(`${app.server.url}/planner?community=${comm}`);
    await page.evaluate((c) => localStorage.removeItem(`grid-atlas:planner:${c}`), comm);
    await page.reload();
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    const fc = await page.evaluate(async (c) => (await fetch(`/api/blocks?community=${c}`)).json(), comm);
    const totalBefore = fc.features.reduce((s: number, f: any) => s + f.properties.households, 0);
    expect(Number(await stat(page, 'households'))).toBe(totalBefore);
    expect(await stat(page, 'moved')).toBe('0');
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-start-1920x1080.png') });

    // A block with households of grid B, next to grid A, whose move keeps B in one piece; its
    // centroid inside it, so a press there lands on it.
    const graph = buildBlockGraph(fc);
    const start = createAssignment(graph, Object.fromEntries(fc.features.map((f: any) => [f.properties.id, String(f.properties.grid_id)])));
    let move: { block: number; from: string; to: string; households: number; at: number[] } | null = null;
    for (let b = 0; b < graph.n && !move; b++) {
      if (graph.households[b] === 0) continue;
      const f = fc.features.find((x: any) => x.id === graph.ids[b]);
      const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const c = ring.slice(0, -1).reduce((s, p) => [s[0] + p[0] / (ring.length - 1), s[1] + p[1] / (ring.length - 1)], [0, 0]);
      if (!inside(ring, c)) continue;
      for (let k = graph.adjStart[b]; k < graph.adjStart[b + 1]; k++) {
        const to = start.grids[start.blockGrid[graph.adj[k]]];
        const from = start.grids[start.blockGrid[b]];
        if (to === from || !applyStroke(start, [graph.ids[b]], to).report.ok) continue;
        move = { block: graph.ids[b], from, to, households: graph.households[b], at: c };
        break;
      }
    }
    expect(move).not.toBeNull();
    const m = move!;
    const [fromBefore, toBefore] = [await rowHouseholds(page, m.from), await rowHouseholds(page, m.to)];

    // Pick the target grid in the table, then paint the block (press and release on it).
    await page.click(`[data-testid=planner-grid-row][data-grid="${m.to}"]`);
    await page.evaluate((c) => (window as any).__gridAtlas.map.jumpTo({ center: c, zoom: 17 }), m.at);
    await page.waitForFunction(() => !(window as any).__gridAtlas.map.isMoving());
    const p = await page.evaluate((c) => (window as any).__gridAtlas.map.project(c), m.at);
    const box = await (await page.$('[data-testid=planner-map]'))!.boundingBox();
    await page.mouse.move(box!.x + p.x, box!.y + p.y);
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForFunction(([k, n]) => Number(document.querySelector(`[data-testid=planner-grid-row][data-grid="${k}"] .hh`)?.textContent) === n, [m.to, toBefore + m.households] as const);
    expect(await rowHouseholds(page, m.from)).toBe(fromBefore - m.households);
    expect(await stat(page, 'moved')).toBe(String(m.households));
    expect(await page.textContent('[data-testid=planner-status]')).toContain('已将 1 个地块划入');
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-painted-1920x1080.png') });

    // Undo, redo (the keyboard too), and a reload keeps the edit and its history.
    await page.click('[data-testid=undo]');
    expect(await rowHouseholds(page, m.to)).toBe(toBefore);
    expect(await stat(page, 'moved')).toBe('0');
    await page.keyboard.press('Control+y');
    expect(await rowHouseholds(page, m.to)).toBe(toBefore + m.households);
    await page.reload();
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    expect(await rowHouseholds(page, m.to)).toBe(toBefore + m.households);
    expect(await page.isEnabled('[data-testid=undo]')).toBe(true);

    // Auto-balance in the Web Worker: the result is one undoable step and no grid is lost.
    const gridsBefore = Number(await stat(page, 'grids'));
    await page.click('[data-testid=auto-balance]');
    await page.waitForSelector('[data-testid=auto-balance]', { timeout: 120_000 });
    const said = (await page.textContent('[data-testid=planner-status]'))!;
    expect(said).toMatch(/自动平衡/);
    expect(Number(await stat(page, 'grids'))).toBe(gridsBefore);
    expect(Number(await stat(page, 'households'))).toBe(totalBefore);
    // Balanced to the community's own mean (the grid count stays): every grid within ±10 % of it.
    if (said.includes('完成')) expect(Number(said.match(/最大偏差 ([\d.]+)%/)![1])).toBeLessThanOrEqual(10);
    const shown = await page.$$eval('[data-testid=planner-grid-row]', (rows) => rows.map((r) => [r.getAttribute('data-grid'), Number(r.querySelector('.hh')!.textContent)] as [string, number]));
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-balanced-1920x1080.png') });

    // Save, validate, apply: the server's grids then hold what the table showed.
    await page.click('[data-testid=planner-save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.startsWith('已保存草案'));
    const planId = Number((await page.textContent('[data-testid=planner-status]'))!.match(/#(\d+)/)![1]);
    const row = `[data-testid=planner-plans] li[data-plan="${planId}"]`;
    await page.click(`${row} [data-testid=plan-validate]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('校验'));
    expect(await page.textContent('[data-testid=planner-status]')).toContain('校验通过');
    await page.click(`${row} [data-testid=plan-apply]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('已生效'), null, { timeout: 60_000 })
      .catch(async (err) => { throw new Error(`${err.message}; the page says: ${await statusLine(page)}`); });
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    // the outcome stays on screen once the page has reloaded the new grids
    expect(await statusLine(page)).toContain('已生效');
    // the planner was asked first, and told how many households would move
    const moved = Number((await statusLine(page)).match(/(\d+) 户调整了网格/)![1]);
    expect(asked.at(-1)).toContain(`生效草案 #${planId}？`);
    expect(asked.at(-1)).toContain(`${moved} 户将调整网格`);
    const after = await page.evaluate(async (c) => {
      const grids = (await (await fetch(`/api/grids?community=${c}`)).json()).features.map((f: any) => f.properties);
      const health = await (await fetch('/api/health')).json();
      return { grids: grids.map((g: any) => [String(g.id), g.households]), total: health.counts.households };
    }, comm);
    expect(after.total).toBe(95_402);
    const shownExisting = shown.filter(([k]) => !k.startsWith('new:')).sort();
    expect(after.grids.filter(([k]: [string]) => shownExisting.some(([s]) => s === k)).sort()).toEqual(shownExisting);
    expect(await stat(page, 'moved')).toBe('0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-applied-1920x1080.png') });

    // Revert restores the grids as they were.
    await page.click(`${row} [data-testid=plan-revert]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('已撤回'), null, { timeout: 60_000 });
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    expect(await statusLine(page)).toContain('已撤回');
    expect(asked.at(-1)).toContain(`撤回方案 #${planId}？`);
    // The confirmation named the households the revert then moved (the server's dry run of it).
    const movedBack = /(\d[\d,]*) 户回到原网格/.exec(await statusLine(page))![1];
    expect(Number(movedBack.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(asked.at(-1)).toContain(`${movedBack} 户将回到原网格`);
    const back = await page.evaluate(async (c) => (await (await fetch(`/api/blocks?community=${c}`)).json()).features.map((f: any) => [f.properties.id, f.properties.grid_id]), comm);
    expect(back).toEqual(fc.features.map((f: any) => [f.properties.id, f.properties.grid_id]));
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('cuts a block with a drawn line (terra-draw), and the parts appear', async () => {
    const { page, errors, comm } = await openPlanner(COMMUNITY);
    const fc = await page.evaluate(async (c) => (await fetch(`/api/blocks?community=${c}`)).json(), comm);
    // The largest block whose vertex mean lies well inside it: a line west to east through that point.
    const target = fc.features
      .filter((f: any) => f.geometry.type === 'Polygon')
      .sort((a: any, b: any) => b.properties.area_m2 - a.properties.area_m2)
      .map((f: any) => {
        const ring: number[][] = f.geometry.coordinates[0];
        const pts = ring.slice(0, -1);
        const m = [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
        const xs = ring.map((p) => p[0]);
        return { id: f.id as number, m, x0: Math.min(...xs), x1: Math.max(...xs), ok: inside(ring, m) && inside(ring, [m[0], m[1] + 1e-4]) && inside(ring, [m[0], m[1] - 1e-4]) };
      })
      .find((t: any) => t.ok);
    expect(target).toBeTruthy();
    await page.click('[data-testid=mode-cut]');
    await page.evaluate((t) => (window as any).__gridAtlas.map.fitBounds([[t.x0 - 5e-4, t.m[1] - 5e-4], [t.x1 + 5e-4, t.m[1] + 5e-4]], { duration: 0 }), target);
    await page.waitForFunction(() => { const m = (window as any).__gridAtlas.map; return !m.isMoving() && m.loaded(); });
    const box = (await (await page.$('[data-testid=planner-map]'))!.boundingBox())!;
    for (const at of [[target.x0 - 2e-4, target.m[1]], [target.x1 + 2e-4, target.m[1]]]) {
      const p = await page.evaluate((c) => (window as any).__gridAtlas.map.project(c), at);
      await page.mouse.click(box.x + p.x, box.y + p.y);
      await page.waitForTimeout(300);
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('切分为'), null, { timeout: 60_000 });
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    const after = await page.evaluate(async (c) => (await fetch(`/api/blocks?community=${c}`)).json(), comm);
    expect(after.features.length).toBeGreaterThan(fc.features.length);
    expect(after.layout_version).toBe(fc.layout_version + 1);
    const households = (x: any) => x.features.reduce((s: number, f: any) => s + f.properties.households, 0);
    expect(households(after)).toBe(households(fc));
    const old = after.features.find((f: any) => f.id === target.id);
    expect(old.properties.area_m2).toBeLessThan(fc.features.find((f: any) => f.id === target.id).properties.area_m2);
    expect(await stat(page, 'moved')).toBe('0');
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-cut-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('redraws the edge between two blocks of two grids, and households change grid', async () => {
    const { page, errors, comm, asked } = await openPlanner(COMMUNITY);
    const db = await openTestDb();
    const e = await findGridLine(db, comm).finally(() => db.close());
    const fc = await page.evaluate(async (c) => (await fetch(`/api/blocks?community=${c}`)).json(), comm);
    const hh = (x: any, id: number) => x.features.find((f: any) => f.id === id).properties.households as number;

    // Pick the two blocks, then draw the new edge corner → middle → corner (the corners snap).
    await page.click('[data-testid=mode-edge]');
    const xs = [e.ax, e.bx, ...e.line.coordinates.map((c) => c[0])], ys = [e.ay, e.by, ...e.line.coordinates.map((c) => c[1])];
    await page.evaluate((b) => (window as any).__gridAtlas.map.fitBounds(b, { duration: 0, padding: 120 }), [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]]);
    await page.waitForFunction(() => { const m = (window as any).__gridAtlas.map; return !m.isMoving() && m.loaded(); });
    const box = (await (await page.$('[data-testid=planner-map]'))!.boundingBox())!;
    const click = async (at: number[]) => {
      const p = await page.evaluate((c) => (window as any).__gridAtlas.map.project(c), at);
      await page.mouse.click(box.x + p.x, box.y + p.y);
      await page.waitForTimeout(300);
    };
    await click([e.ax, e.ay]);
    await click([e.bx, e.by]);
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('画出新的边界'), null, { timeout: 10_000 });
    for (const at of e.line.coordinates) await click(at);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('已重画街区边界'), null, { timeout: 60_000 })
      .catch(async (err) => {
        await page.screenshot({ path: path.join(ARTIFACTS, 'planner-edge-failed-1920x1080.png') });
        throw new Error(`${err.message}; the page says: ${await page.textContent('[data-testid=planner-status]')}`);
      });
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), comm, { timeout: 120_000 });
    const after = await page.evaluate(async (c) => (await fetch(`/api/blocks?community=${c}`)).json(), comm);
    expect(after.layout_version).toBe(fc.layout_version + 1);
    // b's households on a's side now belong to a, and so to a's grid; none is lost.
    expect(hh(after, e.a)).toBeGreaterThanOrEqual(hh(fc, e.a) + e.n);
    expect(hh(after, e.a) + hh(after, e.b)).toBe(hh(fc, e.a) + hh(fc, e.b));
    expect(await page.textContent('[data-testid=planner-status]')).toMatch(/户换了网格/);
    // asked first, naming the two blocks' households and that they are in two grids
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`（${hh(fc, e.a)} 户与 ${hh(fc, e.b)} 户）`);
    expect(asked[0]).toContain('越过新边界的住户将随之换网格');
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-edge-1920x1080.png') });

    // 撤销重画: asked first, then the two blocks and their households are back as they were.
    await page.click('[data-testid=undo-redraw]');
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('已撤销边界重画'), null, { timeout: 60_000 });
    expect(asked).toHaveLength(2);
    expect(asked[1]).toContain('撤销上一次边界重画');
    const undone = await page.evaluate(async (c) => (await fetch(`/api/blocks?community=${c}`)).json(), comm);
    expect(undone.layout_version).toBe(fc.layout_version + 2);
    for (const id of [e.a, e.b]) {
      expect(hh(undone, id)).toBe(hh(fc, id));
      expect(undone.features.find((f: any) => f.id === id).geometry).toEqual(fc.features.find((f: any) => f.id === id).geometry);
    }
    expect(await page.$('[data-testid=undo-redraw]')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('applies the drafts of two communities together from the plans panel, then reverts them', async () => {
    // 窑湾社区 and 三孔桥社区, which no other test touches: a draft each moving one boundary block
    const codes = ['422801001008', '422801001009'];
    const db = await openTestDb();
    // One query with the codes inlined (constants of this test): PGlite answers a bound query
    // that aggregates with ST_Union with no rows (see server/src/dataset/coverage.ts).
    const { rows: picks } = await db.query<any>(`
      SELECT c.id AS community, p.block, p.to_grid, (SELECT count(*) FROM households h WHERE h.block_id = p.block)::int AS households,
             (SELECT json_agg(json_build_object('block', o.id, 'grid', CASE WHEN o.id = p.block THEN p.to_grid ELSE o.grid_id END) ORDER BY o.id)
                FROM blocks o WHERE o.community_id = c.id) AS assignments,
             (SELECT json_agg(json_build_object('block', o.id, 'grid', o.grid_id) ORDER BY o.id) FROM blocks o WHERE o.community_id = c.id) AS original
        FROM communities c, LATERAL (
          SELECT b.id AS block, gb.id AS to_grid
            FROM blocks b JOIN grids ga ON ga.id = b.grid_id JOIN grids gb ON gb.community_id = ga.community_id AND gb.id <> ga.id
           WHERE b.community_id = c.id AND ST_Length(${intersection('ST_Boundary(b.geom)', 'ST_Boundary(gb.geom)')}) > 0.0003
             AND EXISTS (SELECT 1 FROM households h WHERE h.block_id = b.id)
             AND (SELECT ST_NumGeometries(${unionAgg('o.geom')}) FROM blocks o WHERE o.grid_id = ga.id AND o.id <> b.id) = 1
             AND (SELECT count(*) FROM blocks o WHERE o.grid_id = ga.id) > 2
           ORDER BY b.id LIMIT 1) p
       WHERE c.code IN ('${codes.join("', '")}') ORDER BY c.code`);
    await db.close();
    expect(picks.length).toBe(2);
    const { page, errors } = await openPlanner(codes[0]);
    const drafts: number[] = await page.evaluate(async (ps) => {
      const { csrfToken } = await (await fetch('/api/me')).json();
      const ids = [];
      for (const p of ps) {
        const r = await fetch('/api/plans', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
          body: JSON.stringify({ community: p.community, title: 'e2e together', assignments: p.assignments }) });
        ids.push((await r.json()).id);
      }
      return ids;
    }, picks);

    await page.click('[data-testid=planner-together] summary');
    for (const id of drafts) await page.waitForSelector(`[data-testid=planner-together] li[data-plan="${id}"]`);
    // only these two (other communities may hold drafts of their own)
    for (const box of await page.$$('[data-testid=planner-together] input[type=checkbox]')) {
      const id = Number(await box.evaluate((e) => (e as HTMLInputElement).value));
      if (drafts.includes(id) !== (await box.isChecked())) await box.click();
    }
    expect(await page.textContent('[data-testid=together-apply]')).toContain('2 个社区');
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-together-1920x1080.png') });
    await page.click('[data-testid=together-apply]');
    await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('一并生效'), null, { timeout: 60_000 })
      .catch(async (err) => { throw new Error(`${err.message}; the page says: ${await statusLine(page)}`); });
    const moved = picks.reduce((n, p) => n + p.households, 0);
    expect(await statusLine(page)).toContain(`2 个社区的草案已一并生效：${moved} 户`);
    const grids = await page.evaluate(async (ps) => Promise.all(ps.map(async (p: any) =>
      (await (await fetch(`/api/blocks?community=${p.community}`)).json()).features.find((f: any) => f.id === p.block).properties.grid_id)), picks);
    expect(grids).toEqual(picks.map((p) => p.to_grid));

    // each reverts on its own, from its community's plan list
    for (const [i, id] of drafts.entries()) {
      await page.goto(`${app.server.url}/planner?community=${picks[i].community}`);
      await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), picks[i].community, { timeout: 120_000 });
      await page.click(`[data-testid=planner-plans] li[data-plan="${id}"] [data-testid=plan-revert]`);
      await page.waitForFunction(() => document.querySelector('[data-testid=planner-status]')?.textContent?.includes('已撤回'), null, { timeout: 60_000 });
    }
    const back = await page.evaluate(async (ps) => Promise.all(ps.map(async (p: any) =>
      (await (await fetch(`/api/blocks?community=${p.community}`)).json()).features.map((f: any) => ({ block: f.id, grid: f.properties.grid_id })).sort((a: any, b: any) => a.block - b.block))), picks);
    expect(back).toEqual(picks.map((p) => p.original));
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
