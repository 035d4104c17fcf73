// Reads a text/event-stream response in tests: next() resolves with the next event (of a
// type, when given), or rejects after a timeout; close() cancels the stream.
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

export class SseReader {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer = '';
  private decoder = new TextDecoder();
  readonly seen: SseEvent[] = [];
  private queue: SseEvent[] = [];

  constructor(res: Response) {
    if (!res.body) throw new Error('no body');
    this.reader = res.body.getReader();
  }

  /** The next event whose type is in `types` (others are skipped but kept in `seen`). */
  async next(types?: string | string[], timeoutMs = 10_000): Promise<SseEvent> {
    const wanted = types === undefined ? undefined : Array.isArray(types) ? types : [types];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.queue.length) {
        const e = this.queue.shift()!;
        if (!wanted || wanted.includes(e.event)) return e;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${wanted?.join('/') ?? ''} event within ${timeoutMs} ms; seen: ${JSON.stringify(this.seen.map((e) => e.event + ':' + (e.id ?? '')))}`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), left))),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') continue;
      if (chunk.done) throw new Error('stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      let i: number;
      while ((i = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        const e: SseEvent = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          const [k, ...rest] = line.split(': ');
          const v = rest.join(': ');
          if (k === 'event') e.event = v;
          else if (k === 'id') e.id = v;
          else if (k === 'data') data.push(v);
        }
        e.data = data.join('\n');
        this.seen.push(e);
        this.queue.push(e);
      }
    }
  }

  async close() {
    await this.reader.cancel().catch(() => {});
  }
}
