// The command centre in English: the city leader opens /command?lang=en (the language for that
// page load only; the account's own choice is left alone, other tests sign in as the same
// account), the header, panels, layer switches and ticker read in English with no Chinese in the
// page's own words (data such as place and category names stays as the city wrote it), nothing
// of the wall at 1920×1080 overlaps or is cut off, and a screenshot goes to
// artifacts/english-command.png for people to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const app = useBrowserApp();

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]/;

describe.skipIf(!app.hasChromium)('command centre in English', () => {
  it('reads in English at 1920×1080, nothing cut off or overlapping', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInThroughForm(page, app.server.url, 'leader');
    await page.goto(`${app.server.url}/command?lang=en`);
    await page.waitForFunction(() => document.documentElement.dataset.gridsLoaded, null, { timeout: 200_000 });
    await page.waitForFunction(() => {
      const m = (window as any).__gridAtlas?.map;
      return m && !m.isMoving() && m.loaded();
    }, null, { timeout: 120_000 });
    await page.waitForFunction(
      () => !document.querySelector('.command-view [aria-busy=true]') && !document.querySelector('[data-testid=kpi-trend-loading]') && !document.querySelector('[data-testid=ticker-loading]'),
      null,
      { timeout: 120_000 },
    );
    await page.waitForTimeout(800);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    const text = async (sel: string) => ((await page.textContent(sel)) ?? '').replace(/\s+/g, ' ').trim();
    expect(await text('.cmd-header .title')).toBe('Enshi Grid Atlas');
    expect(await text('[data-testid=command-fullscreen]')).toBe('Full screen');
    expect(['Live', 'Connecting', 'Live feed off']).toContain(await text('[data-testid=command-live]'));
    expect(await text('[data-testid=crumb-city]')).toBe('Enshi City');
    expect(await text('[data-testid=tour-toggle]')).toBe('Auto tour');
    expect(await text('[data-testid=panel-totals] h2')).toBe('City overview');
    // A count's unit, said by its label in English, is left out; the figure's label stands alone.
    expect(await text('[data-testid=total-households] .label')).toBe('Households');
    expect(await text('[data-testid=panel-coverage] h2')).toBe('In-service member coverage');
    expect(await text('[data-testid=panel-cases] h2')).toBe('Cases (last 30 days)');
    expect(await text('[data-testid=kpi-in_grid_rate] .label')).toBe('Closed in grid');
    expect(await text('[data-testid=panel-ranking] h2')).toBe('Subdistricts by coverage');
    expect(await text('[data-testid=panel-scoreboard] h2')).toBe('Three-level scores (last 30 days)');
    expect(await text('[data-testid=board-subdistrict] .level-name')).toMatch(/^Subdistricts/);
    expect(await text('[data-testid=panel-categories] h2')).toMatch(/^Open cases by category/);
    expect(await text('[data-testid=panel-metric] h2')).toBe('Map layers');
    expect(await text('[data-testid=metric-households]')).toBe('Grid size');
    expect(await text('[data-testid=command-legend] .legend-title')).toBe('Households per grid');
    expect(await text('[data-testid=command-ticker] h2')).toBe('Live cases');
    expect(await text('.ticker-sum')).toMatch(/^Open [\d,]+ · Overdue [\d,]+$/);
    expect(await text('[data-testid=playback-day]')).toBe('Replay 24 h');
    expect(await text('[data-testid=kpi-response-minutes] .value')).toMatch(/^(—|[\d.]+(min|h))$/);

    // The page's own words: the header's brand, stream and button, every panel's title, labels,
    // buttons and keys. Lists of data (board rows, categories, ticker rows) are left out, and so
    // is the header's date (time/format.ts, the shell's).
    const chrome = await page.evaluate(() => {
      const sel = [
        '.cmd-header .brand', '[data-testid=command-live]', '[data-testid=command-fullscreen]', '[data-testid=command-freshness]',
        '[data-testid=crumb-city]', '[data-testid=tour-toggle]',
        '.command-view .panel h2', '.command-view .panel .label', '.command-view .level-name', '.command-view .trend-title',
        '.cover-note', '[data-testid=panel-metric] button', '[data-testid=command-legend]',
        '.ticker-head',
      ].join(',');
      return [...document.querySelectorAll<HTMLElement>(sel)].map((el) => el.textContent ?? '');
    });
    expect(chrome.length).toBeGreaterThan(30);
    expect(chrome.filter((s) => CJK.test(s))).toEqual([]);

    await page.screenshot({ path: path.join(ARTIFACTS, 'english-command.png'), timeout: 120_000 });

    // Nothing of the English is cut off: the panels' figures and labels, titles and buttons.
    const clipped = await page.evaluate(() => {
      const out: string[] = [];
      const sel = '.command-view .panel h2, .fig .label, .fig .value, .total .label, .total .value, .metric, .kind, .pb-btn, .crumb, .cover-note, .legend-title, .level-name, [data-testid=command-live], [data-testid=command-fullscreen], .cmd-header .title';
      for (const el of document.querySelectorAll<HTMLElement>(sel)) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`"${el.textContent?.trim()}" (${el.scrollWidth} > ${el.clientWidth})`);
      }
      // The figures of a panel: none runs into the one beside it.
      for (const panel of document.querySelectorAll<HTMLElement>('.command-view .panel')) {
        for (const v of panel.querySelectorAll<HTMLElement>('.fig .label, .total .label')) {
          const next = v.parentElement!.nextElementSibling as HTMLElement | null;
          if (!next || !(next.classList.contains('fig') || next.classList.contains('total'))) continue;
          const range = document.createRange();
          range.selectNodeContents(v);
          const t = range.getBoundingClientRect();
          const n = next.getBoundingClientRect();
          if (Math.abs(n.top - t.top) < t.height && t.right > n.left - 4) out.push(`"${v.textContent}" runs into "${next.textContent}"`);
        }
      }
      // The header's parts keep apart (the clock at least 1em from either side).
      const r = (s: string) => document.querySelector(s)!.getBoundingClientRect();
      const brand = r('.cmd-header .brand'), clock = r('[data-testid=command-clock]'), status = r('.cmd-header .status');
      if (brand.right + 16 > clock.left || clock.right + 16 > status.left) out.push('header: the clock is crowded');
      // The ticker's head: its title, counts and replay buttons on one line, inside the strip.
      const head = r('.ticker-head'), buttons = r('.pb-actions'), sum = r('.ticker-sum');
      if (buttons.right > head.right + 0.5 || sum.right > buttons.left) out.push('ticker head: counts run into the replay buttons');
      return out;
    });
    expect(clipped).toEqual([]);

    expect(errors).toEqual([]);
    await page.close();
  }, 400_000);
});
