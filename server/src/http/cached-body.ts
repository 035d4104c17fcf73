// Encoded API responses cached against the database's data_version counter: the
// per-feature statistics behind /api/grids take a join over 95k households, so they are
// computed once per change of the data, not once per request. Each entry keeps the gzip
// form too, so a warm request costs one tiny query plus a memory copy.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context, TypedResponse } from 'hono';

export interface Encoded {
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
  contentType: string;
}

/** The bytes as their own ArrayBuffer, made once, so every request sends them without a copy. */
const own = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b);

export function encode(body: Buffer | string, contentType: string): Encoded {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const etag = `"${createHash('sha1').update(buf).digest('base64url').slice(0, 22)}"`;
  return { body: own(buf), gzip: own(gzipSync(buf, { level: 6 })), etag, contentType };
}

/**
 * Remembers at most `limit` values per key (filters create keys) for the current version: the
 * encodings of responses, or what several of them are built from.
 */
export class VersionedCache<T = Encoded> {
  private entries = new Map<string, { version: number; value: Promise<T> }>();
  constructor(private readonly limit = 200) {}

  get(key: string, version: number, build: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = build();
    // A failed build must not be cached: the next request tries again (unless a newer one replaced it).
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    return value;
  }
}

/** Sends an encoding, honouring If-None-Match and Accept-Encoding. */
export function send(c: Context, e: Encoded): Response {
  c.header('ETag', e.etag);
  c.header('Vary', 'Accept-Encoding');
  c.header('Cache-Control', 'no-cache'); // always revalidate; the ETag makes that cheap
  if (c.req.header('If-None-Match') === e.etag) return c.body(null, 304);
  return sendBody(c, e);
}

/** The body itself, gzipped when the client accepts it. */
function sendBody(c: Context, e: Encoded): Response {
  c.header('Content-Type', e.contentType);
  if (/\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip');
    return c.body(e.gzip);
  }
  return c.body(e.body);
}

/**
 * send(), typed as the JSON the encoding holds, so the route's type (and the client's `hc`)
 * knows what the cached body is. The body itself was built in SQL or by JSON.stringify.
 */
export function sendJson<T>(c: Context, e: Encoded): Response & TypedResponse<T, 200, 'json'> {
  return send(c, e) as Response & TypedResponse<T, 200, 'json'>;
}

/**
 * A cached encoding of personal data (the roster, the links): gzip when accepted, but no ETag
 * and `no-store`, so no browser or proxy keeps a copy. The cache itself lives only in this
 * process, keyed by the caller's scope.
 */
export function sendPrivateJson<T>(c: Context, e: Encoded): Response & TypedResponse<T, 200, 'json'> {
  return sendPrivate(c, e) as Response & TypedResponse<T, 200, 'json'>;
}

function sendPrivate(c: Context, e: Encoded): Response {
  c.header('Cache-Control', 'no-store');
  c.header('Vary', 'Accept-Encoding');
  return sendBody(c, e);
}
