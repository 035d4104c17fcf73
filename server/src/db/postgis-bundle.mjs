// @ts-check
// PostGIS for the embedded database, without what we never load. PGlite unpacks an
// extension's whole bundle into its in-memory file system on every start and compiles every
// WebAssembly library in it, whether or not it is ever used. The PostGIS bundle carries three
// such libraries of ~16 MB each (postgis, postgis_raster, postgis_topology) plus the tiger
// geocoder's scripts; we only ever CREATE EXTENSION postgis. Compiling the other two cost ~3 s of
// every start on 2 cores. So the first start writes a copy of the bundle without the raster,
// topology and tiger-geocoder files, next to the package (node_modules/.cache, keyed by the
// original's size and time), and every start after that loads the copy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { postgis } from '@electric-sql/pglite-postgis';

/** Entries of extensions we never create: their libraries, scripts and upgrade links. */
export const UNUSED = /postgis_raster|rtpostgis|postgis_topology|topology\.sql|postgis_tiger_geocoder|address_standardizer|--unpackaged--/;

/**
 * Copies a tar archive keeping only the entries `keep` accepts. Metadata records (GNU long
 * names 'L'/'K', pax headers 'x') travel with the entry that follows them.
 * @param {Buffer} tar
 * @param {(name: string) => boolean} keep
 * @returns {Buffer}
 */
export function filterTar(tar, keep) {
  /** @type {Buffer[]} */
  const out = [];
  /** @type {Buffer[]} */
  let pending = [];
  let longName = '';
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end of archive
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const end = offset + 512 + Math.ceil(size / 512) * 512;
    if (end > tar.length) throw new Error('truncated tar archive');
    const record = tar.subarray(offset, end);
    offset = end;
    if (type === 'L') longName = record.subarray(512, 512 + size).toString('utf8').replace(/\0+$/, '');
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      pending.push(record);
      continue;
    }
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const short = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const magic = header.subarray(257, 263).toString('latin1');
    const name = longName || (magic === 'ustar\0' && prefix ? `${prefix}/${short}` : short);
    if (keep(name)) out.push(...pending, record);
    pending = [];
    longName = '';
  }
  out.push(Buffer.alloc(1024)); // two zero blocks end an archive
  return Buffer.concat(out);
}

/**
 * The postgis extension for PGlite.create, loading the trimmed bundle (written on first use;
 * the full one if it cannot be written, e.g. a read-only node_modules).
 * @param {(message: string) => void} [onProgress]
 */
export function corePostgis(onProgress) {
  return {
    name: 'postgis',
    /** @type {typeof postgis.setup} */
    async setup(pg, options, clientOnly) {
      const result = await postgis.setup(pg, options, clientOnly);
      if (!result.bundlePath) return result;
      try {
        return { ...result, bundlePath: trimmedBundle(result.bundlePath, onProgress) };
      } catch (err) {
        onProgress?.(`PostGIS bundle not trimmed (${/** @type {Error} */ (err).message}); loading it whole`);
        return result;
      }
    },
  };
}

/**
 * @param {URL} source
 * @param {(message: string) => void} [onProgress]
 * @returns {URL}
 */
function trimmedBundle(source, onProgress) {
  const file = fileURLToPath(source);
  const st = fs.statSync(file);
  // node_modules/.cache next to the package's own node_modules, the usual place for derived files.
  const nodeModules = file.slice(0, file.indexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  const dir = path.join(nodeModules, '.cache', 'grid-atlas');
  const target = path.join(dir, `postgis-core-${st.size}-${Math.round(st.mtimeMs)}.tar.gz`);
  if (!fs.existsSync(target)) {
    const t0 = Date.now();
    const trimmed = filterTar(gunzipSync(fs.readFileSync(file)), (name) => !UNUSED.test(name));
    fs.mkdirSync(dir, { recursive: true });
    // Written under a temporary name and renamed, so a start that reads it never sees half a file.
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, gzipSync(trimmed, { level: 1 }));
    fs.renameSync(tmp, target);
    onProgress?.(`PostGIS bundle trimmed to what the database loads (${Date.now() - t0} ms, once)`);
  }
  return pathToFileURL(target);
}
