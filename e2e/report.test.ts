// The residents' report page on a phone (390×844), without an account: locate by the device's
// position, choose a category, describe, attach a photo, a refused phone number first, then the
// report filed; the private follow link shows its progress; once the people who work it have
// closed it, the resident rates it there. Screenshots go to artifacts/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../test/db.ts';
import { act, castAround, type Cast } from '../test/cases.ts';
import { createApp } from '../server/src/app.ts';
import type { Db } from '../server/src/db/index.ts';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';

const app = useBrowserApp();
let db: Db;
let api: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  // The people who work the case, through the same API in this process.
  api = createApp({ db, trustProxy: true });
  cast = await castAround(api, db, '10.72.0');
});
afterAll(() => db?.close());

const PHONE = { width: 390, height: 844 };

describe.skipIf(!app.hasChromium)('residents\' report page on a phone', () => {
  it('files a report with a photo, follows it and rates the result', async () => {
    const ctx = await app.browser.newContext({
      viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      geolocation: { longitude: cast.point.lon, latitude: cast.point.lat }, permissions: ['geolocation'],
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.server.url}/report`);
    await page.waitForFunction(() => document.documentElement.dataset.reportMapReady === '1', null, { timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/report'); // no sign-in asked for
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-empty-390x844.png') });

    await page.click('[data-testid=report-locate]');
    await page.waitForFunction(() => /^已选位置：.+社区 第\d+网格/.test(document.querySelector('[data-testid=report-place]')?.textContent ?? ''));
    await page.selectOption('[data-testid=report-category]', 'garbage');
    const description = `小区门口垃圾堆了三天，气味很大 ${Date.now()}`;
    await page.fill('[data-testid=report-description]', description);
    await page.fill('[data-testid=report-address]', '门口的垃圾站');
    // A photo: any PNG will do; the page's own screenshot is one.
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 200, height: 150 } });
    await page.setInputFiles('[data-testid=report-photo]', { name: 'photo.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.photos figure img');

    // A phone number the server refuses: the reason is shown and nothing is filed.
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE description = $1', [description])).rows[0].n;
    await page.fill('[data-testid=report-phone]', '12345');
    await page.click('[data-testid=report-submit]');
    await page.waitForSelector('[data-testid=report-error]');
    expect(await page.textContent('[data-testid=report-error]')).toContain('手机号');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE description = $1', [description])).rows[0].n).toBe(before);

    await page.fill('[data-testid=report-phone]', '13907180000');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-filled-390x844.png'), fullPage: true });
    // The first answer is lost after the server has filed the report (the connection drops on
    // the way back): the page sends it again with the same Idempotency-Key and is answered the
    // same report, filed once.
    const keys: (string | null)[] = [];
    await page.route('**/api/public/reports', async (route) => {
      keys.push(await route.request().headerValue('Idempotency-Key'));
      if (keys.length > 1) return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    });
    await page.click('[data-testid=report-submit]');
    await page.waitForSelector('[data-testid=report-done]', { timeout: 30_000 });
    await page.unroute('**/api/public/reports');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE description = $1', [description])).rows[0].n).toBe(before + 1);
    const number = (await page.textContent('[data-testid=report-number]'))!;
    expect(number).toMatch(/^ES\d{8}-\d{4}$/);
    const follow = (await page.getAttribute('[data-testid=report-follow]', 'href'))!;
    expect(follow).toMatch(/^\/report\/[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-done-390x844.png') });

    // Stored as the resident's case, in the grid the device stood in, with the photo.
    const row = (await db.query<any>(
      `SELECT c.id, c.number, c.grid_id, c.reporter_kind, c.reporter_phone, (SELECT count(*)::int FROM case_photos p WHERE p.case_id = c.id) AS photos
         FROM cases c WHERE c.description = $1`, [description])).rows[0];
    expect(row).toMatchObject({ number, grid_id: cast.grid.id, reporter_kind: 'resident', reporter_phone: '13907180000', photos: 1 });

    // The follow link: received, one step so far.
    await page.goto(`${app.server.url}${follow}`);
    await page.waitForSelector('[data-testid=follow-status]');
    expect(await page.textContent('[data-testid=follow-number]')).toBe(number);
    expect(await page.textContent('[data-testid=follow-status]')).toBe('已收到');
    expect(await page.$$eval('[data-testid=follow-timeline] li', (l) => l.length)).toBe(1);

    // Worked to the end by the grid worker and the department.
    for (const [who, body] of [
      ['grid', { action: 'accept' }],
      ['grid', { action: 'dispatch', mode: 'department', department_id: cast.assignedDepartment }],
      ['deptAssigned', { action: 'claim' }],
      ['deptAssigned', { action: 'start' }],
      ['deptAssigned', { action: 'resolve', note: '垃圾已清运，垃圾站已消杀' }],
      ['grid', { action: 'verify' }],
      ['grid', { action: 'close' }],
    ] as const) await act(api, cast, who, row.id, body);

    await page.reload();
    await page.waitForSelector('[data-testid=follow-rate]');
    expect(await page.textContent('[data-testid=follow-status]')).toBe('已办结');
    const steps = await page.$$eval('[data-testid=follow-timeline] li span', (l) => l.map((x) => x.textContent));
    expect(steps).toEqual(['已收到您的反映', '已受理', '已交办给承办人员', '承办人员已接单', '开始办理', '已办结，等待核查', '已核查', '已结案']);
    await page.click('[data-testid=star-4]');
    await page.fill('[data-testid=follow-rate] textarea', '处理很快，谢谢网格员');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-rate-390x844.png'), fullPage: true });
    await page.click('[data-testid=follow-rate-submit]');
    await page.waitForSelector('[data-testid=follow-rated]');
    expect((await db.query<any>('SELECT rating FROM cases WHERE id = $1', [row.id])).rows[0].rating).toBe(4);
    // Nothing of the staff, and not the resident's own phone, on the follow page.
    const text = (await page.textContent('[data-testid=report-follow-view]'))!;
    expect(text).not.toContain('13907180000');
    expect(text).not.toMatch(/grid-|dept-|网格员（/);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 300_000);
});
