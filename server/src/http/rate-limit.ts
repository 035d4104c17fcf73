// A per-address request limit for public reads that cost the database real work (a search that
// scans every household): a fixed window per client address, kept in memory. It bounds what one
// address can make the embedded database do, whose single connection every other request shares.
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { clientIp } from './client-ip.ts';

export interface RateLimit {
  /** Requests per window and address. */
  max: number;
  windowMs: number;
  trustProxy: boolean;
  /** What the person reads when over the limit (Chinese first). */
  message: string;
}

/** At most this many addresses are tracked; beyond it, windows that have ended are dropped. */
const MAX_ADDRESSES = 10_000;

export function perAddressLimit(limit: RateLimit, now: () => number = Date.now): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const t = now();
    const address = clientIp(c, limit.trustProxy);
    let w = windows.get(address);
    if (!w || t - w.start >= limit.windowMs) {
      if (windows.size >= MAX_ADDRESSES) {
        for (const [k, v] of windows) if (t - v.start >= limit.windowMs) windows.delete(k);
      }
      w = { start: t, count: 0 };
      windows.set(address, w);
    }
    if (++w.count > limit.max) {
      c.header('Retry-After', String(Math.ceil((w.start + limit.windowMs - t) / 1000)));
      throw new HTTPException(429, { message: limit.message });
    }
    await next();
  };
}
