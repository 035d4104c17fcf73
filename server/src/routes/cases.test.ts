// Filing, reading and the photos of cases through the real app: automatic assignment by PostGIS,
// bad input refused with a bilingual message and nothing stored, photo checks, scope and privacy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  CASE_EVENT_ACTIONS, CASE_LEVELS, CASE_MODES, CASE_PRIORITIES, CASE_STATUSES, REPORTER_KINDS, ROLES,
} from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import { act, call, castAround, fileCase, type Cast, type Persona } from '../../../test/cases.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  cast = await castAround(app, db, '10.68.0');
});
afterAll(() => db?.close());

const counts = async () => (await db.query(
  `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM case_events) AS events,
          (SELECT count(*) FROM case_photos) AS photos, (SELECT count(*) FROM audit_log) AS audit`)).rows[0];

/** The westernmost vertex of the whole city: every point west of it lies outside every grid. */
async function westEdge() {
  const { rows } = await db.query(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
       SELECT (ST_DumpPoints(geom)).geom AS p FROM grids WHERE id = (SELECT id FROM grids ORDER BY ST_XMin(geom) LIMIT 1)) x
      ORDER BY ST_X(p) LIMIT 1`);
  return rows[0] as { lon: number; lat: number };
}
const metresWest = (p: { lon: number; lat: number }, m: number) => ({ lon: p.lon - m / (111_320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat });

function multipart(who: Persona, fields: Record<string, string>, photos: { bytes: Uint8Array; name?: string; type?: string }[]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of photos) form.append('photo', new Blob([new Uint8Array(p.bytes)], { type: p.type ?? 'image/jpeg' }), p.name ?? 'photo.jpg');
  const { 'Content-Type': _json, ...headers } = cast.signed[who].write;
  // A browser sends its Origin with a form; hono's csrf() refuses cross-site ones.
  return app.request('/api/cases', { method: 'POST', headers: { ...headers, Origin: 'http://localhost' }, body: form });
}
const photoFields = () => ({ category: 'garbage', description: '测试：垃圾桶满溢', lon: String(cast.point.lon), lat: String(cast.point.lat) });

async function jpegWithGps(width = 800, height = 600) {
  return sharp({ create: { width, height, channels: 3, background: '#4a7' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 17/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '109/1 29/1 0/1' } })
    .toBuffer();
}

describe('automatic assignment from the point (PostGIS)', () => {
  it('inside a grid: that grid, its community and subdistrict', async () => {
    const r = await call(app, cast.signed.grid, 'POST', '/api/cases', { category: 'garbage', description: '网格内', ...cast.point });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ grid_id: cast.grid.id, community_id: cast.grid.community_id, subdistrict_id: cast.grid.subdistrict_id, snapped: false });
    expect(r.body.number).toMatch(/^ES\d{8}-\d{4}$/);
  });

  it('outside every grid but within 50 m: the nearest grid', async () => {
    const edge = await westEdge();
    const near = metresWest(edge, 30);
    const nearest = (await db.query(
      `SELECT g.id FROM grids g ORDER BY ST_Distance(g.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) LIMIT 1`,
      [near.lon, near.lat])).rows[0].id;
    const r = await call(app, cast.signed.admin, 'POST', '/api/cases', { category: 'garbage', description: '边界外 30 米', ...near });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ grid_id: nearest, snapped: true });
  });

  it('farther than 50 m from every grid: 400, nothing stored', async () => {
    const before = await counts();
    const far = metresWest(await westEdge(), 120);
    for (const p of [far, { lon: 116.4, lat: 39.9 }]) {
      const r = await call(app, cast.signed.admin, 'POST', '/api/cases', { category: 'garbage', description: '市外', ...p });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('不在本市网格范围内 (outside every grid of the city)');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('bad input is refused and nothing is stored', () => {
  const base = () => ({ category: 'garbage', description: '测试', ...cast.point });
  it.each([
    ['no location', () => ({ category: 'garbage', description: '测试' }), 400],
    ['lon as text', () => ({ ...base(), lon: String(cast.point.lon) }), 400],
    ['lat out of range', () => ({ ...base(), lat: 95 }), 400],
    ['unknown category', () => ({ ...base(), category: 'teleportation' }), 400],
    ['malformed category', () => ({ ...base(), category: 'DROP TABLE' }), 400],
    ['empty description', () => ({ ...base(), description: '   ' }), 400],
    ['description of 2001 characters', () => ({ ...base(), description: '字'.repeat(2001) }), 400],
    ['address of 201 characters', () => ({ ...base(), address: 'a'.repeat(201) }), 400],
    ['unknown priority', () => ({ ...base(), priority: 'whenever' }), 400],
    ['unknown field', () => ({ ...base(), status: 'closed' }), 400],
    ['an array', () => [base()], 400],
  ])('%s → %i', async (_name, body, status) => {
    const before = await counts();
    const r = await call(app, cast.signed.grid, 'POST', '/api/cases', body());
    expect(r.status).toBe(status);
    expect(r.body.error).toMatch(/\(.+\)/);
    expect(await counts()).toEqual(before);
  });

  it('not JSON, the wrong content type, the wrong role, or outside the filer\'s area', async () => {
    const before = await counts();
    const raw = await app.request('/api/cases', { method: 'POST', headers: cast.signed.grid.write, body: '{"category":' });
    expect(raw.status).toBe(400);
    const text = await app.request('/api/cases', { method: 'POST', headers: { ...cast.signed.grid.write, 'Content-Type': 'text/plain', Origin: 'http://localhost' }, body: 'hi' });
    expect(text.status).toBe(415);
    expect((await call(app, cast.signed.planner, 'POST', '/api/cases', base())).status).toBe(403);
    expect((await call(app, cast.signed.leader, 'POST', '/api/cases', base())).status).toBe(403);
    const r = await call(app, cast.signed.otherSecretary, 'POST', '/api/cases', base());
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/outside your area/);
    expect(await counts()).toEqual(before);
  });

  it('a 2000-character description is accepted', async () => {
    const r = await call(app, cast.signed.grid, 'POST', '/api/cases', { ...base(), description: '字'.repeat(2000) });
    expect(r.status).toBe(201);
  });
});

describe('photos', () => {
  it('stores a re-encoded photo without its GPS position, with a thumbnail, for the case\'s scope only', async () => {
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeTruthy();
    const res = await multipart('grid', photoFields(), [{ bytes: original }]);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as any;
    const detail = await call(app, cast.signed.secretary, 'GET', `/api/cases/${id}`);
    expect(detail.body.photos).toHaveLength(1);
    const photoId = detail.body.photos[0].id;

    const full = await app.request(`/api/cases/${id}/photos/${photoId}`, { headers: cast.signed.secretary.headers });
    expect(full.status).toBe(200);
    expect(full.headers.get('Content-Type')).toBe('image/jpeg');
    expect(full.headers.get('Cache-Control')).toMatch(/^private/);
    const bytes = Buffer.from(await full.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
    expect([meta.width, meta.height]).toEqual([800, 600]);

    const thumb = await app.request(`/api/cases/${id}/photos/${photoId}?thumb=1`, { headers: cast.signed.secretary.headers });
    expect(thumb.status).toBe(200);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBeLessThanOrEqual(320);

    for (const who of ['otherSecretary', 'deptOther'] as Persona[]) {
      const r = await app.request(`/api/cases/${id}/photos/${photoId}`, { headers: cast.signed[who].headers });
      expect(r.status).toBe(404);
    }
    // a photo id under another case's id is not found either
    const other = await fileCase(app, cast);
    expect((await app.request(`/api/cases/${other.id}/photos/${photoId}`, { headers: cast.signed.secretary.headers })).status).toBe(404);
  });

  it('accepts PNG and WebP by their content', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#123' } }).png().toBuffer();
    const webp = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#321' } }).webp().toBuffer();
    const res = await multipart('grid', photoFields(), [{ bytes: png, name: 'a.jpg', type: 'image/jpeg' }, { bytes: webp, name: 'b.png' }]);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as any;
    const mimes = (await db.query('SELECT mime FROM case_photos WHERE case_id = $1 ORDER BY id', [id])).rows.map((r) => r.mime);
    expect(mimes).toEqual(['image/png', 'image/webp']);
  });

  it.each([
    ['a fake JPEG: the right magic bytes, garbage after', async () => [{ bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 0x5a)]) }], 415],
    ['a text file named .jpg', async () => [{ bytes: Buffer.from('not an image at all'), name: 'x.jpg' }], 415],
    ['a truncated JPEG', async () => [{ bytes: (await jpegWithGps()).subarray(0, 2000) }], 415],
    ['a 6 MB file', async () => [{ bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(6 * 1024 * 1024, 1)]) }], 413],
    ['five photos', async () => { const j = await jpegWithGps(64, 48); return [1, 2, 3, 4, 5].map(() => ({ bytes: j })); }, 400],
  ])('%s → %i, nothing stored', async (_name, photos, status) => {
    const before = await counts();
    const res = await multipart('grid', photoFields(), await photos());
    expect(res.status).toBe(status);
    expect(((await res.json()) as any).error).toMatch(/\(.+\)/);
    expect(await counts()).toEqual(before);
  });

  it('four photos are fine', async () => {
    const j = await jpegWithGps(64, 48);
    const res = await multipart('grid', photoFields(), [1, 2, 3, 4].map(() => ({ bytes: j })));
    expect(res.status).toBe(201);
  });
});

describe('reading cases', () => {
  it('lists by scope: the community sees its case, another community and an unrelated department do not', async () => {
    const { id } = await fileCase(app, cast, { description: '范围测试', address: '官坡社区某楼', reporter_phone: '13800000000' });
    const ids = async (who: Persona, q = '') => ((await call(app, cast.signed[who], 'GET', `/api/cases?limit=200${q}`)).body.cases as any[]).map((c) => c.id);
    for (const who of ['admin', 'leader', 'taskforce', 'taskforceCommunity', 'subdistrict', 'secretary', 'grid', 'member'] as Persona[]) {
      expect(await ids(who), who).toContain(id);
    }
    for (const who of ['otherSecretary', 'deptOther', 'deptAssigned'] as Persona[]) {
      expect(await ids(who), who).not.toContain(id);
      const r = await call(app, cast.signed[who], 'GET', `/api/cases/${id}`);
      expect(r.status).toBe(404);
      // The part a person reads says why in words and names no id (the English part is for logs).
      expect(r.body.error.split(' (')[0]).toBe('该案件不存在或不在您的管辖范围内');
    }
    // filtering for another community's cases cannot widen the scope: that community is a 404
    expect((await call(app, cast.signed.otherSecretary, 'GET', `/api/cases?community=${cast.grid.community_id}`)).status).toBe(404);
  });

  it('shows the address and the reporter\'s phone only to roles that see personal data', async () => {
    const { id } = await fileCase(app, cast, { description: '隐私测试', address: '官坡社区 3 栋', reporter_phone: '13900001111' });
    const sec = await call(app, cast.signed.secretary, 'GET', `/api/cases/${id}`);
    expect(sec.body.case).toMatchObject({ address: '官坡社区 3 栋', reporter_phone: '13900001111' });
    for (const who of ['leader', 'admin', 'taskforce', 'member'] as Persona[]) {
      const r = await call(app, cast.signed[who], 'GET', `/api/cases/${id}`);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain('13900001111');
      expect(r.text).not.toMatch(/"address"/);
    }
  });

  it('offers open cases of the same category within 250 m as duplicates, on filing and by ?near', async () => {
    const first = await fileCase(app, cast, { category: 'streetlight', description: '路灯不亮 1' });
    const second = await fileCase(app, cast, { category: 'streetlight', description: '路灯不亮 2' });
    expect(second.duplicates.map((d) => d.id)).toContain(first.id);
    expect(second.duplicates.every((d) => d.distance_m <= 250)).toBe(true);
    const near = await call(app, cast.signed.grid, 'GET', `/api/cases?near=${cast.point.lon},${cast.point.lat}&category=streetlight`);
    expect(near.status).toBe(200);
    expect(near.body.cases.map((c: any) => c.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(near.body.cases.every((c: any) => c.category === 'streetlight' && c.distance_m <= 250)).toBe(true);
    // a closed or rejected case is no longer a candidate
    // 路灯 is dispatched by the community
    await act(app, cast, 'secretary', first.id, { action: 'reject', reason: '重复' });
    const third = await fileCase(app, cast, { category: 'streetlight', description: '路灯不亮 3' });
    expect(third.duplicates.map((d) => d.id)).not.toContain(first.id);
  });

  it('derives overdue from the running stage\'s deadline', async () => {
    const { id } = await fileCase(app, cast, { description: '超时测试' });
    const overdue = async () => ((await call(app, cast.signed.grid, 'GET', `/api/cases?overdue=true&limit=200`)).body.cases as any[]).some((c) => c.id === id);
    expect(await overdue()).toBe(false);
    // Travel: pretend the dispatch stage started long ago (the deadline column is the clock).
    await db.query(`UPDATE cases SET dispatch_deadline = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect(await overdue()).toBe(true);
    await act(app, cast, 'grid', id, { action: 'reject', reason: '不属实' });
    expect(await overdue()).toBe(false);
  });

  it('returns a case with its events, whistles, photos and the actions the caller may take', async () => {
    const { id } = await fileCase(app, cast);
    await act(app, cast, 'secretary', id, { action: 'whistle', department_ids: [cast.partners[0]] });
    const g = await call(app, cast.signed.grid, 'GET', `/api/cases/${id}`);
    expect(g.body.events.map((e: any) => e.action)).toEqual(['submit', 'whistle']);
    expect(g.body.whistles).toHaveLength(1);
    expect(g.body.whistles[0]).toMatchObject({ department_id: cast.partners[0], reported_at: null });
    expect(g.body.allowed_actions).toEqual(expect.arrayContaining(['accept', 'reject', 'mark_duplicate', 'escalate', 'comment']));
    expect(g.body.allowed_actions).not.toContain('claim');
    const l = await call(app, cast.signed.leader, 'GET', `/api/cases/${id}`);
    expect(l.body.allowed_actions).toEqual(['comment']);
    const p = await call(app, cast.signed.deptPartner, 'GET', `/api/cases/${id}`);
    expect(p.body.allowed_actions).toEqual(['report', 'comment']);
  });

  it('lists the party members of the case\'s grid to its dispatcher only, and one of them can be assigned', async () => {
    const { id } = await fileCase(app, cast);
    const path = `/api/cases/${id}/party-members`;
    // Not yet accepted: nobody may dispatch it, so nobody gets the list.
    expect((await call(app, cast.signed.grid, 'GET', path)).status).toBe(403);
    await act(app, cast, 'grid', id, { action: 'accept' });
    expect((await call(app, cast.signed.leader, 'GET', path)).status).toBe(403);
    expect((await call(app, cast.signed.otherSecretary, 'GET', path)).status).toBe(404);
    const r = await call(app, cast.signed.grid, 'GET', path);
    expect(r.status).toBe(200);
    const expected = (await db.query<{ id: number }>(
      `SELECT id FROM cadres WHERE grid_id = $1 AND kind IN ('in_service', 'sunk') ORDER BY id`, [cast.grid.id])).rows.map((x) => x.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.body.members.map((m: any) => m.id).sort((a: number, b: number) => a - b)).toEqual(expected);
    expect(Object.keys(r.body.members[0]).sort()).toEqual(['households', 'id', 'kind', 'name', 'open_cases']); // no phone
    const first = r.body.members[0];
    await act(app, cast, 'grid', id, { action: 'dispatch', mode: 'consultation', cadre_id: first.id });
    // Dispatched: the list is closed again.
    expect((await call(app, cast.signed.grid, 'GET', path)).status).toBe(403);
    expect((await call(app, cast.signed.grid, 'GET', '/api/cases/x/party-members')).status).toBe(400);
  });

  it('answers malformed filters with 400 and unknown ids with 404', async () => {
    for (const q of ['status=nope', 'limit=0', 'limit=201', 'near=abc', 'near=200,10', 'overdue=yes', 'foo=1', 'grid=-1', 'level=planet']) {
      const r = await call(app, cast.signed.grid, 'GET', `/api/cases?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toBeTruthy();
    }
    expect((await call(app, cast.signed.grid, 'GET', '/api/cases/abc')).status).toBe(400);
    expect((await call(app, cast.signed.grid, 'GET', '/api/cases/999999999')).status).toBe(404);
    expect((await call(app, cast.signed.grid, 'POST', '/api/cases/999999999/actions', { action: 'comment', note: 'x' })).status).toBe(404);
    const multi = await call(app, cast.signed.grid, 'GET', '/api/cases?status=submitted,accepted&level=grid');
    expect(multi.status).toBe(200);
    expect(multi.body.cases.every((c: any) => ['submitted', 'accepted'].includes(c.status) && c.level === 'grid')).toBe(true);
  });

  it('lists the category catalogue with limits for every priority', async () => {
    const r = await call(app, cast.signed.member, 'GET', '/api/case-categories');
    expect(r.status).toBe(200);
    expect(r.body.categories.length).toBeGreaterThanOrEqual(25);
    for (const c of r.body.categories) {
      expect(Object.keys(c.limits).sort()).toEqual([...CASE_PRIORITIES].sort());
      expect(c.limits.urgent.handling).toBeLessThan(c.limits.normal.handling);
    }
  });
});

describe('the schema agrees with the contract', () => {
  /** The quoted values of the CHECK constraint on table.column that lists them. */
  async function checkValues(table: string, column: string): Promise<string[]> {
    const { rows } = await db.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`, [table]);
    const def = rows.map((r) => r.def as string).find((d) => new RegExp(`\\(?\\b${column}\\b\\)? = ANY|\\b${column}\\b IN`).test(d));
    if (!def) throw new Error(`no CHECK listing ${table}.${column}`);
    return [...def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
  }
  it.each([
    ['cases', 'status', CASE_STATUSES], ['cases', 'mode', CASE_MODES], ['cases', 'level', CASE_LEVELS], ['cases', 'max_level', CASE_LEVELS],
    ['cases', 'priority', CASE_PRIORITIES], ['cases', 'reporter_kind', REPORTER_KINDS], ['case_events', 'action', CASE_EVENT_ACTIONS],
    ['case_events', 'to_status', CASE_STATUSES], ['case_categories', 'default_mode', CASE_MODES], ['case_categories', 'default_level', CASE_LEVELS],
    ['case_category_limits', 'priority', CASE_PRIORITIES], ['users', 'role', ROLES],
  ] as [string, string, readonly string[]][])('%s.%s', async (table, column, values) => {
    expect(await checkValues(table, column)).toEqual([...values].sort());
  });
});
