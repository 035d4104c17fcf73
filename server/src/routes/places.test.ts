// Places in words through the real app: a point is named by its community, grid and nearest
// building; a typed address finds its building, and the place of what it finds is the same
// community and grid; names of household heads only for roles that see them, in their area;
// the public routes never name a person; bad input is a 400, a point outside every grid a 404.
import { describe, expect, it } from 'vitest';
import { call, withCast } from '../../../test/cases.ts';

const t = withCast('10.78.0');

const pub = async (path: string) => {
  const res = await t.app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};

/** A household of the secretary's community: its building, head, point, grid and community. */
async function household(community: number) {
  return (await t.db.query<{ building: string; head_name: string; lon: number; lat: number; number: number; community: string }>(
    `SELECT h.building, h.head_name, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, g.number, cm.name AS community
       FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id
      WHERE cm.id = $1 ORDER BY h.id LIMIT 1`, [community])).rows[0];
}

describe('a point in words', () => {
  it('names the community, the grid and the nearest building, never coordinates', async () => {
    const h = await household(t.cast.users.secretary.community_id!);
    for (const path of [`/api/places/at?lon=${h.lon}&lat=${h.lat}`, `/api/public/places/at?lon=${h.lon}&lat=${h.lat}`]) {
      const r = path.startsWith('/api/public') ? await pub(path) : await call(t.app, t.cast.signed.grid, 'GET', path);
      expect(r.status, path).toBe(200);
      expect(r.body).toMatchObject({ community_name: h.community, grid_number: h.number, near: h.building, inside: true });
      expect(r.body.label).toBe(`${h.community} 第${h.number}网格 · ${h.building}附近`);
      expect(r.body.label).not.toMatch(/\d+\.\d{3,}/);
    }
  });

  it('a point outside every grid is a 404 in words; a malformed one a 400', async () => {
    const far = await pub('/api/public/places/at?lon=109.2&lat=30.1');
    expect(far.status).toBe(404);
    expect(far.body.error).toMatch(/不在.*网格内/);
    for (const q of ['lon=abc&lat=30.3', 'lon=109.4&lat=91', 'lon=109.4', 'lon=109.4&lat=30.3&x=1', 'lon=1e2&lat=30']) {
      const r = await pub(`/api/public/places/at?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error, q).toBeTruthy();
    }
  });
});

describe('public lookups per address', () => {
  it('are limited to 60 a minute; the 61st is a 429 with Retry-After, another address goes on', async () => {
    const from = (ip: string) => t.app.request(`/api/public/places?q=${encodeURIComponent('解放')}`, { headers: { 'X-Forwarded-For': ip } });
    for (let i = 0; i < 60; i++) expect((await from('10.78.9.9')).status).toBe(200);
    const over = await from('10.78.9.9');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: string }).error).toMatch(/太频繁/);
    expect((await from('10.78.9.10')).status).toBe(200);
  });
});

describe('finding an address', () => {
  it('a typed building address finds it, and its place is the same community and grid', async () => {
    const h = await household(t.cast.users.otherSecretary.community_id!);
    const r = await pub(`/api/public/places?q=${encodeURIComponent(h.building)}`);
    expect(r.status).toBe(200);
    const hit = r.body.places[0];
    expect(hit).toMatchObject({ kind: 'building', building: h.building });
    expect(hit).not.toHaveProperty('head_name');
    expect(hit).not.toHaveProperty('address');
    const at = await pub(`/api/public/places/at?lon=${hit.lon}&lat=${hit.lat}`);
    expect(at.body).toMatchObject({ community_name: hit.community_name, grid_number: hit.grid_number });
  });

  it('household heads: for the secretary in their community; not for the leader, another area, or the public', async () => {
    const h = await household(t.cast.users.secretary.community_id!);
    const name = encodeURIComponent(h.head_name);
    const own = await call(t.app, t.cast.signed.secretary, 'GET', `/api/places?q=${name}`);
    expect(own.status).toBe(200);
    expect(own.body.places.some((p: any) => p.kind === 'household' && p.head_name === h.head_name)).toBe(true);
    expect(own.body.places.filter((p: any) => p.kind === 'household').every((p: any) => p.community_name === h.community)).toBe(true);
    for (const who of ['leader', 'otherSecretary'] as const) {
      const r = await call(t.app, t.cast.signed[who], 'GET', `/api/places?q=${name}`);
      expect(r.status, who).toBe(200);
      const heads = r.body.places.filter((p: any) => p.kind === 'household');
      if (who === 'leader') expect(heads).toEqual([]);
      else expect(heads.every((p: any) => p.community_name !== h.community)).toBe(true);
    }
    const open = await pub(`/api/public/places?q=${name}`);
    expect(open.body.places.every((p: any) => p.kind === 'building' && !('head_name' in p) && !('address' in p))).toBe(true);
  });

  it('bad input is a 400; without a session only the public routes answer', async () => {
    for (const q of ['', 'q=', 'q=路', `q=${'路'.repeat(31)}`, 'q=解放&x=1']) {
      expect((await pub(`/api/public/places?${q}`)).status, q).toBe(400);
    }
    // One character is enough for staff (a surname), never for the public search.
    expect((await call(t.app, t.cast.signed.secretary, 'GET', `/api/places?q=${encodeURIComponent('路')}`)).status).toBe(200);
    expect((await pub('/api/places?q=解放路')).status).toBe(401);
    expect((await pub('/api/places/at?lon=109.47&lat=30.29')).status).toBe(401);
  });
});
