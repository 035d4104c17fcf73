import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounced, latestOnly } from './latest';

describe('latestOnly', () => {
  it('aborts the run before when a new one starts, and an abort is no failure', async () => {
    const signals: AbortSignal[] = [];
    const failures: unknown[] = [];
    const run = latestOnly((signal) => {
      signals.push(signal);
      return new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        if (signals.length === 2) resolve();
      });
    }, (err) => failures.push(err));
    const first = run();
    const second = run();
    await Promise.all([first, second]);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    expect(failures).toEqual([]);
  });

  it('hands any other failure to fail', async () => {
    const failures: unknown[] = [];
    const boom = new Error('refused');
    await latestOnly(() => Promise.reject(boom), (err) => failures.push(err))();
    expect(failures).toEqual([boom]);
  });
});

describe('debounced', () => {
  afterEach(() => vi.useRealTimers());

  it('calls once, after the calls pause for the given time', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const typed = debounced(fn, 300);
    typed();
    vi.advanceTimersByTime(200);
    typed();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
