// JSON bodies read straight from Node's request (http/node-body.ts) behind the API's body limit,
// served by @hono/node-server as in production, with node:http as the client (chunked bodies,
// a byte-order mark, a client that leaves mid-body).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiBodyLimit, KB } from './body-limit.ts';
import { onError } from './errors.ts';
import { rejectControlCharacters } from './text-input.ts';

let server: http.Server;
let port: number;
const seen: unknown[] = [];
beforeAll(async () => {
  const app = new Hono()
    .use(apiBodyLimit({ 'POST /big': 64 * KB }, 1 * KB))
    .use(rejectControlCharacters())
    .post('/small', async (c) => {
      const body = await c.req.json().catch(() => 'malformed');
      seen.push(body);
      // Read again, as text and from the raw request: the one body serves every reader.
      return c.json({ body, text: await c.req.text(), raw: await c.req.raw.text() });
    })
    .post('/big', async (c) => c.json({ length: JSON.stringify(await c.req.json()).length }))
    .post('/form', async (c) => c.json(await c.req.parseBody()));
  app.onError(onError);
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as http.Server;
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

/** POSTs `chunks` (chunked when `length` is not given) and returns the status and parsed body. */
function post(path: string, chunks: (string | Buffer)[], headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('JSON bodies under Node', () => {
  it('reach the handler, its text and its raw request alike, in one piece or in chunks', async () => {
    const json = JSON.stringify({ name: '舞阳坝', n: 1 });
    const whole = await post('/small', [json], { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(json)) });
    expect(whole).toEqual({ status: 200, body: { body: { name: '舞阳坝', n: 1 }, text: json, raw: json } });
    // A multi-byte character split across two chunks decodes whole.
    const bytes = Buffer.from(json);
    const split = await post('/small', [bytes.subarray(0, 11), bytes.subarray(11)]);
    expect(split.body.body).toEqual({ name: '舞阳坝', n: 1 });
  });

  it('drop a leading byte-order mark, as a fetch Request does', async () => {
    const res = await post('/small', [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])]);
    expect(res.body.body).toEqual({ a: 1 });
  });

  it('leave malformed JSON to the handler, and refuse control characters', async () => {
    expect((await post('/small', ['{"a":'])).body.body).toBe('malformed');
    const res = await post('/small', [JSON.stringify({ name: 'a\u0000b' })]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/控制字符.*control character/);
  });

  it('are refused with 413 past the limit: from Content-Length before reading, or as a chunked body passes it', async () => {
    const before = seen.length;
    const big = JSON.stringify({ x: 'x'.repeat(2 * KB) });
    const declared = await post('/small', [big], { 'Content-Type': 'application/json', 'Content-Length': String(big.length) });
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatch(/请求内容过大，最多 1 KB.*at most 1 KB/);
    const chunked = await post('/small', [big.slice(0, 600), big.slice(600)]);
    expect(chunked.status).toBe(413);
    expect(seen.length).toBe(before);
    // The route's own limit applies, and the connection still answers afterwards.
    expect((await post('/big', [big])).body).toEqual({ length: big.length });
    expect((await post('/small', ['{"after":true}'])).body.body).toEqual({ after: true });
  });

  it('leave forms to the multipart parser', async () => {
    const res = await post('/form', ['a=1&b=%E6%81%A9'], { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.body).toEqual({ a: '1', b: '恩' });
  });

  it('survive a client that leaves mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/small', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '100' } });
      req.on('error', () => resolve());
      req.write('{"a":', () => setTimeout(() => { req.destroy(); resolve(); }, 50));
    });
    expect((await post('/small', ['{"still":"serving"}'])).body.body).toEqual({ still: 'serving' });
  });
});
