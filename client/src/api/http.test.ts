import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, q } from './client';
import { fetchGrids } from './geo';
import { applyLocale } from '../i18n';
import { ApiError, configureHttp, loginPath, peopleMessage, refusalText, resetHttpState, retryable, zhMessage } from './http';
import { fetchMe, login, logout } from './session';

interface Call {
  url: string;
  init: RequestInit;
}

let calls: Call[];
let respond: (url: string) => Response;
const onUnauthorized = vi.fn<(next: string) => void>();
let token: string | null;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

beforeEach(() => {
  calls = [];
  token = 'tok-1';
  respond = () => json(200, { ok: true });
  onUnauthorized.mockReset();
  resetHttpState();
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url: String(url), init });
    return respond(url);
  });
  configureHttp({ csrfToken: () => token, onUnauthorized, currentPath: () => '/community?community=8' });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const header = (c: Call, name: string) => new Headers(c.init.headers).get(name) ?? undefined;

describe('CSRF header', () => {
  it('is sent on state-changing requests, with a JSON body', async () => {
    await api.auth.login.$post({ json: { username: 'a', password: 'b' } });
    expect(calls[0].init.method).toBe('POST');
    expect(header(calls[0], 'X-CSRF-Token')).toBe('tok-1');
    expect(header(calls[0], 'Content-Type')).toBe('application/json');
    expect(calls[0].init.body).toBe('{"username":"a","password":"b"}');
  });

  it('is not sent on GET', async () => {
    await fetchGrids();
    expect(calls[0].init.method).toBe('GET');
    expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined();
  });

  it('follows the current token and is left out before sign-in', async () => {
    token = null;
    await api.auth.logout.$post();
    expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined();
    token = 'tok-2';
    await logout();
    expect(header(calls[1], 'X-CSRF-Token')).toBe('tok-2');
  });
});

describe('401', () => {
  it('sends the user to sign in, once, with the current path', async () => {
    respond = () => json(401, { error: '未登录 (not signed in)' });
    const results = await Promise.allSettled([fetchGrids(), api.communities.$get({ query: {} })]);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof ApiError && r.reason.status === 401)).toBe(true);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).toHaveBeenCalledWith('/community?community=8');
  });

  it('does not redirect from the sign-in call or /api/me', async () => {
    respond = () => json(401, { error: '用户名或密码错误 (wrong username or password)' });
    const err = await login('leader', 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).serverMessage).toBe('用户名或密码错误 (wrong username or password)');
    await expect(fetchMe()).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ username: 'leader', password: 'nope' });
  });

  it('builds the login path with next, leaving out trivial ones', () => {
    expect(loginPath('/community?community=8')).toBe('/login?next=%2Fcommunity%3Fcommunity%3D8');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/login?next=x')).toBe('/login');
  });
});

describe('errors', () => {
  it('carries Retry-After of a throttled sign-in', async () => {
    respond = () => json(429, { error: '登录失败次数过多，请 2 分钟后再试 (too many failed sign-ins; try again in 90 s)' }, { 'Retry-After': '90' });
    const err = (await login('leader', 'x').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(90);
    expect(zhMessage(err.serverMessage!)).toBe('登录失败次数过多，请 2 分钟后再试');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await fetchGrids().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBeNull();
    expect(err.message).toContain('无法连接服务器');
  });

  it('keeps messages without an English part whole', () => {
    expect(zhMessage('用户名或密码错误')).toBe('用户名或密码错误');
    expect(zhMessage('网格（第3网格）')).toBe('网格（第3网格）');
  });

  it('builds query strings, skipping undefined', async () => {
    await api.households.records.$get({ query: q({ community: 8, q: '张', difficulty: true, grid: undefined }) });
    expect(calls[0].url).toBe('/api/households/records?community=8&q=%E5%BC%A0&difficulty=true');
  });
});

describe('what a person reads of a failed request', () => {
  it('is the server\'s Chinese reason alone: no URL, no id, no English', async () => {
    respond = () => json(404, { error: '该案件不存在或不在您的管辖范围内 (no case with id 5611 in your scope)' });
    const err = await fetchGrids().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(peopleMessage(err)).toBe('该案件不存在或不在您的管辖范围内');
    expect(retryable(err)).toBe(false);
  });
  it('offers a retry only where asking again may help', () => {
    expect(retryable(new ApiError('x', '/api/grids', 503))).toBe(true);
    expect(retryable(new ApiError('x', '/api/grids', null))).toBe(true);
    expect(retryable(new ApiError('x', '/api/grids', 429))).toBe(true);
    expect(retryable(new ApiError('x', '/api/grids', 403))).toBe(false);
    expect(peopleMessage(new ApiError('请求失败（/api/cases/5611）：502', '/api/cases/5611', 502))).not.toMatch(/5611|api/);
    // A browser's own error is English alone, and says nothing a person can use.
    expect(peopleMessage(new TypeError('Failed to fetch'))).toBe('操作未能完成，请稍后重试');
    expect(peopleMessage('AbortError: The operation was aborted.')).toBe('操作未能完成，请稍后重试');
    expect(peopleMessage(new Error('锁定的网格把其余地块分成 2 片，至少需要 5 个网格 (locked grids split the rest into 2 areas: at least 5 grids are needed)'))).toBe('锁定的网格把其余地块分成 2 片，至少需要 5 个网格');
  });

  it('is in English when the interface is: the server\'s English half, and our own lines', () => {
    applyLocale('en');
    try {
      const refused = new ApiError('x', '/api/cases/5611', 404, '该案件不存在或不在您的管辖范围内 (no case with id 5611 in your scope)');
      expect(peopleMessage(refused)).toBe('no case with id 5611 in your scope');
      expect(peopleMessage(new ApiError('x', '/api/grids', null))).toBe('Cannot reach the server; check the network and try again');
      expect(peopleMessage(new ApiError('x', '/api/grids', 502))).toBe('The server could not complete the request (status 502)');
      expect(peopleMessage(new TypeError('Failed to fetch'))).toBe('The operation could not be completed; please try again later');
      const invalid = new ApiError('x', '/api/needs', 400, '请求内容无效 (invalid request): 标题不能为空 (title is required)');
      expect(refusalText(invalid, 'fallback')).toBe('title is required');
      expect(refusalText(new ApiError('x', '/api/needs', null), 'fallback')).toBe('fallback');
    } finally {
      applyLocale('zh-CN');
    }
    const invalid = new ApiError('x', '/api/needs', 400, '请求内容无效 (invalid request): 标题不能为空 (title is required)');
    expect(refusalText(invalid, 'fallback')).toBe('标题不能为空');
  });
});
