// A case filed through the API by the grid worker of the first grid, in their own browser session
// (as a worker's phone would), at the mean of the grid's outline: what the wall and the command
// centre tests watch arrive live. The session is closed once the case is filed.
import type { Browser, Page } from 'playwright-core';
import { signInThroughForm } from './signIn.ts';

export interface FiledCase {
  status: number;
  body: { id: number; number: string; [k: string]: unknown };
}

/** `page` is any signed-in page (it reads the grids); `extra` goes into the filing's body. */
export async function fileCaseAsGridWorker(browser: Browser, serverUrl: string, page: Page, extra: { description: string; priority?: string }): Promise<FiledCase> {
  const grid = await page.evaluate(async () => {
    const f = (await (await fetch('/api/grids')).json()).features[0];
    const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const pts = ring.slice(0, -1);
    return { code: f.properties.code as string, lon: pts.reduce((s, p) => s + p[0], 0) / pts.length, lat: pts.reduce((s, p) => s + p[1], 0) / pts.length };
  });
  const ctx = await browser.newContext();
  try {
    const gw = await ctx.newPage();
    await signInThroughForm(gw, serverUrl, `grid-${grid.code}`, { next: '/needs' });
    return await gw.evaluate(async ({ g, extra }) => {
      const { csrfToken } = await (await fetch('/api/me')).json();
      const { categories } = await (await fetch('/api/case-categories')).json();
      const res = await fetch('/api/cases', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
        body: JSON.stringify({ category: categories[0].code, lon: g.lon, lat: g.lat, ...extra }),
      });
      return { status: res.status, body: await res.json() };
    }, { g: grid, extra });
  } finally {
    await ctx.close();
  }
}
