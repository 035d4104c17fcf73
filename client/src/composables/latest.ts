// The register pages (五社联动, 权力清单, 考评, 尖刀班, 社区工作者) reload a list each time a filter
// changes. Each kept its own AbortController so that a slow reply cannot overwrite a newer one, took
// the abort for no error, and waited for a pause in the typing before searching; this holds both once.

/** A function that runs `task` with a fresh signal and aborts the run before it. A run that was
 *  aborted ends quietly; any other failure goes to `fail`. */
export function latestOnly(task: (signal: AbortSignal) => Promise<void>, fail: (err: unknown) => void): () => Promise<void> {
  let controller: AbortController | null = null;
  return async () => {
    controller?.abort();
    controller = new AbortController();
    try {
      await task(controller.signal);
    } catch (err) {
      if ((err as Error | null)?.name === 'AbortError') return;
      fail(err);
    }
  };
}

/** A function that calls `fn` once `ms` milliseconds pass without another call (a search box). */
export function debounced(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
