// A JSON request body read straight from Node's IncomingMessage when the app runs under
// @hono/node-server, instead of through the fetch Request the adapter would otherwise build for
// it. That Request (undici's, with a web ReadableStream over the socket, an AbortSignal and its
// transfer bookkeeping) cost ~0.3 ms of the server's one thread per POST, a fifth of filing a
// case. The body is read once, within the route's limit, and handed to both consumers Hono has:
// the HonoRequest's body cache (what c.req.json() and c.req.text() read first) and the adapter's
// `rawBody` (what it serves c.req.raw.body from, should anything ask). Elsewhere (app.request()
// in tests, another runtime) there is no IncomingMessage and the fetch Request path is taken.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { badRequest } from './errors.ts';

/** The Node request under @hono/node-server (it passes `{ incoming, outgoing }` as c.env); else null. */
export function nodeIncoming(c: Context): (IncomingMessage & { rawBody?: Buffer }) | null {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming && typeof (incoming as IncomingMessage).on === 'function' && 'httpVersion' in (incoming as object)
    ? (incoming as IncomingMessage & { rawBody?: Buffer })
    : null;
}

const ignore = () => {};

/**
 * The whole body, or null as soon as it passes `maxSize` bytes: what was read is dropped and
 * the stream paused, not destroyed (that would close the socket before the 413 is sent; the
 * adapter drains what is left once the response is out). Rejects (400) when the client goes
 * away mid-body.
 */
export function readIncoming(incoming: IncomingMessage, maxSize: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      // A reset after this (say, while what is left of an oversized body drains) must not be an
      // 'error' event without a listener, which would end the process.
      incoming.on('error', ignore);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxSize) return void chunks.push(chunk);
      done();
      incoming.pause();
      resolve(null);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    // An error or 'close' before 'end': the client went away mid-body. Nobody is left to read
    // the answer; a 400 keeps it out of the server-error log.
    const early = () => {
      done();
      reject(badRequest('请求内容不完整 (the request body ended early: the client closed the connection)'));
    };
    const onError = early;
    const onClose = () => {
      if (!incoming.complete) early();
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

// Decodes as a fetch Request's text() does: UTF-8, a leading byte-order mark dropped, malformed
// sequences replaced rather than refused (JSON.parse then says what is wrong).
const utf8 = new TextDecoder();

/** Makes `body` the request's body for every later reader (see the top of this file). */
export function adoptBody(c: Context, incoming: IncomingMessage & { rawBody?: Buffer }, body: Buffer): void {
  incoming.rawBody = body;
  // The cache holds promises (HonoRequest returns bodyCache[key] from json()/text() and chains
  // .then on it), though its declared type names the values.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(utf8.decode(body));
}
