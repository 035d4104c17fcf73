// Thin fetch wrappers: every failure becomes an ApiError with a message fit for the error banner.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request(url: string, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json, application/octet-stream' } });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`无法连接服务器（${url}）`, url, null);
  }
  if (!res.ok) {
    // The server may explain itself in a JSON body { error }; fall back to the status line.
    let detail = `${res.status} ${res.statusText}`.trim();
    try {
      const body = (await res.clone().json()) as { error?: unknown };
      if (typeof body?.error === 'string') detail = `${res.status} ${body.error}`;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ApiError(`请求失败（${url}）：${detail}`, url, res.status);
  }
  return res;
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await request(url, signal);
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(`服务器返回的数据无法解析（${url}）`, url, res.status);
  }
}

export async function getArrayBuffer(url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  const res = await request(url, signal);
  return res.arrayBuffer();
}

/** Builds "/api/x?key=value" skipping undefined parameters. */
export function apiUrl(path: string, params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const qs = q.toString();
  return `/api/${path}${qs ? `?${qs}` : ''}`;
}
