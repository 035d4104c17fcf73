// 五社联动 in a real browser: a city leader browses the registry — exactly 24 social-work
// organisations, 287 volunteer teams, 169 self-governance organisations and 3 service teams — by
// kind, name and community; a community's secretary dispatches a resident's need to one of the
// organisations serving the community, records its claim and its result, finds the need under
// the organisation in the registry, and switches on the organisations' layer of the community map.
// Screenshots go to artifacts/.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../test/db.ts';
import { useBrowserApp } from './support/app.ts';
import { ARTIFACTS } from './support/browser.ts';
import { signInThroughForm } from './support/signIn.ts';

const COMMUNITY = '422801001001';
const app = useBrowserApp();

async function as(browser: Browser, username: string, errors: string[], next?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
  await signInThroughForm(page, app.server.url, username, { next });
  return page;
}

/** A write through the API as the page's signed-in user; returns status and body. */
const api = (page: Page, method: string, url: string, body: unknown) => page.evaluate(async ([m, u, b]) => {
  const { csrfToken } = await (await fetch('/api/me')).json();
  const r = await fetch(u, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify(b) });
  return { status: r.status, body: await r.json() };
}, [method, url, body] as const);

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim();

describe.skipIf(!app.hasChromium)('五社联动 in Chromium', () => {
  it('browses the registry, and an organisation takes a need of the community', async () => {
    const errors: string[] = [];
    // Fixtures from the test database: a grid of the community with a party member, a point in it,
    // and how many organisations the community hosts.
    const db = await openTestDb();
    const fx = (await db.query<{ code: string; lon: number; lat: number; community_id: number; hosted: number }>(
      `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat, g.community_id,
              (SELECT count(*)::int FROM social_organisations o WHERE o.community_id = g.community_id) AS hosted
         FROM grids g JOIN communities c ON c.id = g.community_id JOIN users u ON u.grid_id = g.id AND u.role = 'party_member'
        WHERE c.code = $1 ORDER BY g.code LIMIT 1`, [COMMUNITY])).rows[0];
    await db.close();

    const leader = await as(app.browser, 'leader', errors, '/organisations');
    await leader.waitForSelector('[data-testid=org-count-social_work]');
    expect(await text(leader, '[data-testid=org-count-social_work] b')).toBe('24');
    expect(await text(leader, '[data-testid=org-count-volunteer_team] b')).toBe('287');
    expect(await text(leader, '[data-testid=org-count-self_governance] b')).toBe('169');
    expect(await text(leader, '[data-testid=org-count-service_team] b')).toBe('3');
    expect(await text(leader, '[data-testid=org-count-total]')).toBe('483');
    await leader.click('[data-testid=org-count-social_work]');
    await leader.waitForFunction(() => document.querySelector('[data-testid=org-total]')?.textContent?.trim() === '24');
    expect(await leader.locator('[data-testid^=org-]:is(tr)').count()).toBe(24);
    await leader.fill('[data-testid=org-filter-q]', '毕兹卡');
    await leader.waitForFunction(() => document.querySelector('[data-testid=org-total]')?.textContent?.trim() === '1');
    expect(await leader.textContent('tbody')).toContain('毕兹卡社会工作服务中心');
    await leader.fill('[data-testid=org-filter-q]', '');
    await leader.selectOption('[data-testid=org-filter-kind]', { index: 0 });
    await leader.selectOption('[data-testid=org-filter-community]', String(fx.community_id));
    await leader.waitForFunction((n) => document.querySelector('[data-testid=org-total]')?.textContent?.trim() === String(n), fx.hosted);
    await leader.screenshot({ path: path.join(ARTIFACTS, 'organisations-registry-1920x1080.png') });
    await leader.context().close();

    // A need of the community, up the chain to the subdistrict's report, by the people who hold each step.
    const member = await as(app.browser, `member-${fx.code}`, errors);
    const title = `独居老人助餐 ${Date.now() % 100000}`;
    const gathered = await api(member, 'POST', '/api/needs', { title, category: 'garbage', lon: fx.lon, lat: fx.lat, households: 3 });
    expect(gathered.status).toBe(201);
    const id = gathered.body.need.id as number;
    const grid = await as(app.browser, `grid-${fx.code}`, errors);
    expect((await api(grid, 'POST', `/api/needs/${id}/actions`, { action: 'judge', body: 'building_party_group' })).status).toBe(200);
    await grid.context().close();
    expect((await api(member, 'POST', `/api/needs/${id}/actions`, { action: 'screen' })).status).toBe(200);
    await member.context().close();
    const secretary = await as(app.browser, `secretary-${COMMUNITY}`, errors);
    expect((await api(secretary, 'POST', `/api/needs/${id}/actions`, { action: 'compile' })).status).toBe(200);
    const sub = await as(app.browser, `subdistrict-${COMMUNITY.slice(0, 9)}`, errors);
    expect((await api(sub, 'POST', `/api/needs/${id}/actions`, { action: 'report' })).status).toBe(200);
    await sub.context().close();

    // The secretary dispatches it to a volunteer team of the community, then records its claim and result.
    await secretary.goto(`${app.server.url}/needs`);
    await secretary.click(`[data-testid=need-${id}]`);
    await secretary.click('[data-testid=need-action-dispatch]');
    await secretary.waitForSelector('[data-testid=need-organisation] option:nth-child(2)', { state: 'attached' });
    const option = secretary.locator('[data-testid=need-organisation] option', { hasText: '志愿服务队' }).first();
    const orgName = (await option.textContent())!.split('·')[1].trim();
    await secretary.selectOption('[data-testid=need-organisation]', (await option.getAttribute('value'))!);
    await secretary.screenshot({ path: path.join(ARTIFACTS, 'organisations-dispatch-1920x1080.png') });
    await secretary.click('[data-testid=need-act-submit]');
    await secretary.waitForSelector('[data-testid=need-organisation-name]');
    expect(await text(secretary, '[data-testid=need-status]')).toBe('已派单');
    expect(await secretary.textContent('[data-testid=need-organisation-name]')).toContain(orgName);
    await secretary.click('[data-testid=need-action-claim]');
    await secretary.click('[data-testid=need-act-submit]');
    await secretary.waitForSelector('[data-testid=need-step-claim]');
    await secretary.click('[data-testid=need-action-fulfil]');
    await secretary.click('[data-testid=need-act-submit]');
    await secretary.waitForSelector('[data-testid=need-act-error]');
    expect(await secretary.textContent('[data-testid=need-act-error]')).toContain('请填写办理结果');
    await secretary.fill('[data-testid=need-note]', '志愿者每日送餐上门');
    await secretary.click('[data-testid=need-act-submit]');
    await secretary.waitForSelector('[data-testid=need-step-fulfil]');
    expect(await text(secretary, '[data-testid=need-status]')).toBe('已办结');

    // The registry shows the need under the organisation.
    await secretary.goto(`${app.server.url}/organisations?community=${fx.community_id}`);
    await secretary.fill('[data-testid=org-filter-q]', orgName);
    await secretary.waitForFunction(() => document.querySelector('[data-testid=org-total]')?.textContent?.trim() === '1');
    await secretary.click('tbody tr');
    await secretary.waitForSelector('[data-testid=org-needs] li');
    expect(await secretary.textContent('[data-testid=org-needs]')).toContain(title);
    expect(await secretary.textContent('[data-testid=org-needs]')).toContain('已办结');

    // The community map's layer: the organisations based in the community.
    await secretary.goto(`${app.server.url}/community`);
    await secretary.waitForFunction(() => document.documentElement.dataset.communityLoaded, null, { timeout: 120_000 });
    await secretary.click('label:has([data-testid=toggle-organisations])');
    await secretary.waitForFunction((n) => document.documentElement.dataset.markersOrganisations === String(n), fx.hosted, { timeout: 60_000 });
    expect(await secretary.textContent('[data-testid=organisations-legend]')).toContain('社会工作服务机构');
    await secretary.screenshot({ path: path.join(ARTIFACTS, 'organisations-community-map-1920x1080.png') });
    await secretary.context().close();
    expect(errors).toEqual([]);
  }, 300_000);
});
