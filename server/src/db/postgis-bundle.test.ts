// The trimmed PostGIS bundle the embedded database loads (postgis-bundle.mjs): it keeps every
// file CREATE EXTENSION postgis and its functions read, byte for byte, and drops only the
// libraries and scripts of the extensions we never create.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { postgis } from '@electric-sql/pglite-postgis';
import { filterTar, UNUSED } from './postgis-bundle.mjs';

/** name → contents of each regular file; name → target of each link. */
function entries(tar: Buffer) {
  const files = new Map<string, string>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const h = tar.subarray(offset, offset + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const body = type === '2' ? `-> ${h.subarray(157, 257).toString('utf8').replace(/\0.*$/s, '')}`
      : tar.subarray(offset + 512, offset + 512 + size).toString('base64');
    files.set(name, body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('the trimmed PostGIS bundle', async () => {
  const { bundlePath } = await postgis.setup({} as never, { PGLITE_ENV: {} } as never);
  const full = gunzipSync(fs.readFileSync(fileURLToPath(bundlePath!)));
  const all = entries(full);
  const trimmed = entries(filterTar(full, (name) => !UNUSED.test(name)));

  it('keeps PostGIS itself byte for byte', () => {
    for (const name of ['lib/postgresql/postgis-3.so', 'share/postgresql/extension/postgis.control',
      'share/postgresql/extension/postgis--3.6.2.sql', 'share/proj/proj.db']) {
      expect(trimmed.get(name), name).toBeDefined();
    }
    for (const [name, body] of trimmed) expect(body, name).toBe(all.get(name));
  });

  it('drops only the unused extensions (raster, topology, tiger geocoder) and no other file', () => {
    const dropped = [...all.keys()].filter((name) => !trimmed.has(name));
    expect(dropped).toContain('lib/postgresql/postgis_raster-3.so');
    expect(dropped).toContain('lib/postgresql/postgis_topology-3.so');
    for (const name of dropped) expect(name).toMatch(/raster|rtpostgis|topology|tiger|unpackaged/);
    // The only WebAssembly library left is the one CREATE EXTENSION postgis loads.
    expect([...trimmed.keys()].filter((name) => name.endsWith('.so'))).toEqual(['lib/postgresql/postgis-3.so']);
  });

  it('copies an archive whole when it keeps everything', () => {
    expect(entries(filterTar(full, () => true))).toEqual(all);
  });
});
