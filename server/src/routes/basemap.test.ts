import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let headers: Record<string, string>;

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db });
  headers = (await signIn(app, 'leader')).headers;
});
afterAll(() => db?.close());

describe('GET /api/basemap', () => {
  it('serves the river and named synthetic main roads as GeoJSON', async () => {
    const res = await app.request('/api/basemap', { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('geo+json');
    const fc = (await res.json()) as { features: { geometry: { type: string }; properties: { kind: string; name: string | null; synthetic: boolean } }[] };
    expect(fc.features[0].properties).toEqual({ kind: 'river', name: '清江（示意）', synthetic: true });
    const names = fc.features.filter((f) => f.properties.kind === 'main').map((f) => f.properties.name);
    expect(names).toContain('施州大道');
    expect(fc.features.every((f) => f.geometry.type === 'LineString')).toBe(true);
  });

  it('refuses unknown query parameters with a bilingual 400', async () => {
    const res = await app.request('/api/basemap?style=x', { headers });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/[\u4e00-\u9fff].*\(.+\)/);
  });
});
