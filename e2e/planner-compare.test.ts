// Two plans side by side in a real browser (方案对比): two drafts made through the API in 城乡街社区
// (422801002003, which no other planner test uses), picked in the plans panel and compared; the
// panel's figures per grid are the drafts' own (GET /api/plans/:id), the blocks it lists and the
// map outlines are exactly those the two put in different grids, and closing clears the map;
// 在地图上查看 outlines what one draft changes against the grids as they stand.
// A screenshot goes to artifacts/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

const COMMUNITY = '422801002003';

describe.skipIf(!app.hasChromium)('comparing two plans in Chromium', () => {
  it('shows each grid of two drafts, the blocks they differ on and their deviations, outlined on the map', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'planner', { next: '/planner' });

    // Draft A moves the first block with households to another grid; draft B moves the next two.
    const made = await page.evaluate(async (code) => {
      const comm = (await (await fetch('/api/communities')).json()).features.find((f: any) => f.properties.code === code).properties.id as number;
      const blocks = (await (await fetch(`/api/blocks?community=${comm}`)).json()).features.map((f: any) => f.properties);
      const grids = [...new Set(blocks.map((b: any) => b.grid_id))] as number[];
      const peopled = blocks.filter((b: any) => b.households > 0);
      const other = (b: any) => grids.find((g) => g !== b.grid_id)!;
      const draft = (moved: any[]) => blocks.map((b: any) => ({ block: b.id, grid: moved.includes(b) ? other(b) : b.grid_id }));
      const { csrfToken } = await (await fetch('/api/me')).json();
      const ids: number[] = [];
      for (const [title, moved] of [['e2e 对比 A', peopled.slice(0, 1)], ['e2e 对比 B', peopled.slice(1, 3)]] as const) {
        const r = await fetch('/api/plans', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
          body: JSON.stringify({ community: comm, title, assignments: draft(moved as any[]) }) });
        if (!r.ok) throw new Error(`draft refused: ${r.status} ${await r.text()}`);
        ids.push((await r.json()).id);
      }
      const details = await Promise.all(ids.map(async (id) => (await fetch(`/api/plans/${id}`)).json()));
      return { comm, ids, details, grids: grids.length, blocks: blocks.map((b: any) => ({ id: b.id, grid: b.grid_id, households: b.households, in_difficulty: b.in_difficulty })) };
    }, COMMUNITY);
    expect(made.grids).toBeGreaterThan(1);
    const [idA, idB] = made.ids;
    const [dA, dB] = made.details;

    await page.goto(`${app.server.url}/planner?community=${made.comm}`);
    await page.evaluate((c) => localStorage.removeItem(`grid-atlas:planner:${c}`), made.comm);
    await page.reload();
    await page.waitForFunction((c) => document.documentElement.dataset.plannerLoaded?.startsWith(`${c}:`), made.comm, { timeout: 120_000 });
    await page.waitForSelector(`[data-testid=planner-plans] li[data-plan="${idB}"]`);
    // the drafts are listed by their titles
    expect(await page.textContent(`[data-testid=planner-plans] li[data-plan="${idA}"] .plan-title`)).toBe('e2e 对比 A');

    expect(await page.isDisabled('[data-testid=plan-compare]')).toBe(true);
    await page.selectOption('[data-testid=compare-a]', String(idA));
    await page.selectOption('[data-testid=compare-b]', String(idB));
    await page.click('[data-testid=plan-compare]');
    await page.waitForSelector('[data-testid=compare-result]');
    expect(await page.textContent('[data-testid=compare-label-a]')).toContain(`#${idA}`);
    expect(await page.textContent('[data-testid=compare-label-b]')).toContain(`#${idB}`);

    // Per grid number: the households and 困难户 each draft's own detail gives that grid.
    const rows = await page.$$eval('[data-testid=compare-row]', (trs) => trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      const n = (v: string | undefined) => (v === '' || v === undefined ? null : Number(v));
      return { number: Number(d.grid), a: n(d.a), b: n(d.b), aDifficulty: n(d.aDifficulty), bDifficulty: n(d.bDifficulty), diff: tr.children[3].textContent!.trim() };
    }));
    const byNumber = (d: any) => new Map<number, any>(d.grids.filter((g: any) => g.blocks > 0).map((g: any) => [g.number, g]));
    const gA = byNumber(dA), gB = byNumber(dB);
    expect(rows.map((r) => r.number)).toEqual([...new Set([...gA.keys(), ...gB.keys()])].sort((x, y) => x - y));
    for (const r of rows) {
      expect(r.a).toBe(gA.get(r.number)?.households ?? null);
      expect(r.b).toBe(gB.get(r.number)?.households ?? null);
      expect(r.aDifficulty).toBe(gA.get(r.number)?.in_difficulty ?? null);
      expect(r.bDifficulty).toBe(gB.get(r.number)?.in_difficulty ?? null);
      const diff = (r.b ?? 0) - (r.a ?? 0);
      expect(r.diff).toBe(diff > 0 ? `+${diff}` : String(diff));
    }
    // the moves make a difference somewhere
    expect(rows.some((r) => r.diff !== '0')).toBe(true);

    // The differing blocks: exactly those the two drafts put in grids of different numbers.
    const numberOf = (d: any) => {
      const num = new Map<string, number>(d.grids.map((g: any) => [g.key, g.number]));
      return new Map<number, number>(d.assignments.map((a: any) => [a.block, num.get(String(a.grid))!]));
    };
    const nA = numberOf(dA), nB = numberOf(dB);
    const differing = [...nA.keys()].filter((b) => nA.get(b) !== nB.get(b)).sort((x, y) => x - y);
    expect(differing.length).toBeGreaterThan(0);
    const listed = (await page.getAttribute('[data-testid=compare-differing]', 'data-blocks'))!.split(',').map(Number);
    expect(listed).toEqual(differing);
    const households = new Map<number, number>(made.blocks.map((b: { id: number; households: number }) => [b.id, b.households]));
    expect(Number(await page.textContent('[data-testid=compare-differing-households]'))).toBe(differing.reduce((n, b) => n + households.get(b)!, 0));
    // the map outlines those blocks and no other
    const blockIds: number[] = made.blocks.map((b: { id: number }) => b.id);
    const outlined: boolean[] = await page.evaluate((ids) => {
      const map = (window as any).__gridAtlas.map;
      return ids.map((id) => map.getFeatureState({ source: 'planner-blocks', id }).compared === true);
    }, blockIds);
    expect(blockIds.filter((_, i) => outlined[i])).toEqual(differing);

    // Each draft's largest deviation from the target the panel names.
    const target = Number(await page.textContent('[data-testid=compare-target]'));
    expect(target).toBeGreaterThan(0);
    const maxDev = (g: Map<number, any>) => Math.max(...[...g.values()].map((x) => (100 * Math.abs(x.households - target)) / target));
    expect(await page.textContent('[data-testid=compare-dev-a]')).toBe(`${maxDev(gA).toFixed(1)}%`);
    expect(await page.textContent('[data-testid=compare-dev-b]')).toBe(`${maxDev(gB).toFixed(1)}%`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-compare-1920x1080.png') });

    // Closing clears the panel and the map's outlines.
    await page.click('[data-testid=compare-close]');
    expect(await page.$('[data-testid=compare-result]')).toBeNull();
    const still = await page.evaluate((ids) => ids.filter((id: number) => (window as any).__gridAtlas.map.getFeatureState({ source: 'planner-blocks', id }).compared === true), differing);
    expect(still).toEqual([]);

    // 在地图上查看 one draft: compared with the grids as they stand, the blocks it moves outlined.
    await page.click(`[data-testid=planner-plans] li[data-plan="${idA}"] [data-testid=plan-show]`);
    await page.waitForSelector('[data-testid=compare-result]');
    expect(await page.textContent('[data-testid=compare-label-a]')).toContain('当前网格');
    expect(await page.textContent('[data-testid=compare-label-b]')).toContain(`#${idA}`);
    const now = new Map<number, string>(made.blocks.map((b: { id: number; grid: number }) => [b.id, String(b.grid)]));
    const movedByA = dA.assignments.filter((a: any) => String(a.grid) !== now.get(a.block)).map((a: any) => a.block as number).sort((x: number, y: number) => x - y);
    expect(movedByA.length).toBe(1);
    expect((await page.getAttribute('[data-testid=compare-differing]', 'data-blocks'))!.split(',').map(Number)).toEqual(movedByA);
    const shownA = await page.evaluate((ids) => ids.filter((id) => (window as any).__gridAtlas.map.getFeatureState({ source: 'planner-blocks', id }).compared === true), blockIds);
    expect(shownA).toEqual(movedByA);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
