import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fileCase } from './cases';
import { configureHttp, resetHttpState } from './http';
import { newIdempotencyKey, SubmissionKey, submissionContent } from './idempotency';
import { gatherNeed } from './needs';
import { fileReport } from './public-reports';

let calls: { url: string; init: RequestInit }[];
let answers: (() => Response)[];
const created = (body: unknown) => new Response(JSON.stringify(body), { status: 201, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  calls = [];
  answers = [];
  resetHttpState();
  configureHttp({ csrfToken: () => 'tok', onUnauthorized: () => {}, currentPath: () => '/' });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new TypeError('Failed to fetch');
    return next();
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const keyOf = (i: number) => new Headers(calls[i].init.headers).get('Idempotency-Key');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Idempotency-Key on filings', () => {
  it('a case whose answer was lost is sent again with the same key', async () => {
    vi.useFakeTimers();
    answers = [() => { throw new TypeError('Failed to fetch'); }, () => created({ id: 1, number: 'ES20250101-0001' })];
    const key = newIdempotencyKey();
    const filed = fileCase({ category: 'garbage', description: '垃圾桶满溢', lon: 109.48, lat: 30.29 }, [], key);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(filed).resolves.toMatchObject({ id: 1 });
    expect(calls).toHaveLength(2);
    expect(keyOf(0)).toBe(key);
    expect(keyOf(1)).toBe(key);
  });

  it('a refusal is final: not sent again', async () => {
    answers = [() => new Response(JSON.stringify({ error: '请求内容无效 (invalid request)' }), { status: 400 })];
    await expect(gatherNeed({ title: 't', category: 'garbage', lon: 1, lat: 2 } as never, 'k-1')).rejects.toMatchObject({ status: 400 });
    expect(calls).toHaveLength(1);
    expect(keyOf(0)).toBe('k-1');
  });

  it('a resident\'s report carries its key', async () => {
    answers = [() => created({ number: 'ES20250101-0002', token: 't', follow: '/report/t' })];
    await fileReport({ category: 'garbage', lon: 1, lat: 2, description: '路灯不亮已一周' }, [], 'k-2');
    expect(calls[0].url).toBe('/api/public/reports');
    expect(keyOf(0)).toBe('k-2');
  });

  it('one key per submission: the same for the same content, a new one for new content or after success', () => {
    const s = new SubmissionKey();
    const photo = new File([new Uint8Array([1, 2, 3])], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    const a = s.for(submissionContent({ description: '一' }, [photo]));
    expect(a).toMatch(UUID);
    expect(s.for(submissionContent({ description: '一' }, [photo]))).toBe(a);
    const b = s.for(submissionContent({ description: '二' }, [photo]));
    expect(b).not.toBe(a);
    s.done();
    expect(s.for(submissionContent({ description: '二' }, [photo]))).not.toBe(b);
  });

  it('makes a UUID without crypto.randomUUID (plain http)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => real.getRandomValues(a) });
    const k = newIdempotencyKey();
    expect(k).toMatch(UUID);
    expect(newIdempotencyKey()).not.toBe(k);
  });
});
