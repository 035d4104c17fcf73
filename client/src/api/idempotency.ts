// Filing safely more than once: every filing (a case, a resident's report, a need) carries an
// Idempotency-Key, one per submission. Sent again — by the automatic retry after a dropped
// connection, or by the person pressing 提交 again after an error — the same submission carries
// the same key, so the server answers what it answered the first time instead of filing twice
// (server/src/http/idempotency.ts). Changed content is another submission with a new key.
import { ApiError } from './http';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** A random UUID v4. crypto.randomUUID exists only on https and localhost; an intranet server on plain http still has getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** What a form sends, as one string: its fields and the photos picked (by name, size, type and date). */
export function submissionContent(fields: unknown, photos: readonly File[] = []): string {
  return JSON.stringify([fields, photos.map((f) => [f.name, f.size, f.type, f.lastModified])]);
}

/**
 * The key of a form's submission: the same while the same content is sent again, a new one
 * when the content changed or the last submission went through.
 */
export class SubmissionKey {
  #key: string | null = null;
  #content: string | null = null;

  for(content: string): string {
    if (this.#key === null || content !== this.#content) {
      this.#key = newIdempotencyKey();
      this.#content = content;
    }
    return this.#key;
  }

  /** The submission was filed: whatever comes next is a new one. */
  done(): void {
    this.#key = null;
    this.#content = null;
  }
}

/** The answer never came (no connection, the server restarting) or the first try is still being filed. */
function worthRetrying(err: unknown): boolean {
  return err instanceof ApiError && (err.status === null || err.status === 409 || err.status === 502 || err.status === 503 || err.status === 504);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a filing, and sends it again (with the same key, which `send` must carry) when its answer
 * was lost: after 1 s and 3 s. Any other answer is final.
 */
export async function withRetries<T>(send: () => Promise<T>, delaysMs: readonly number[] = [1000, 3000]): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await send();
    } catch (err) {
      if (i >= delaysMs.length || !worthRetrying(err)) throw err;
      await sleep(delaysMs[i]);
    }
  }
}
