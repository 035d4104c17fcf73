// User-visible problems (failed fetches, a basemap that did not load). Shown by ErrorBanner.vue:
// an error must never be swallowed silently, a command-centre operator has to see that data is missing.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError, peopleMessage, retryable } from '../api/http';
import { t } from '../i18n';

export interface Notice {
  id: number;
  /** What the user was trying to get, e.g. "网格边界"; one notice per context. */
  context: string;
  /** Headline, e.g. "网格边界加载失败". */
  title: string;
  message: string;
  level: 'error' | 'warning';
  /** Present when the failed action can simply be run again. */
  retry?: () => void;
}

export const useNoticeStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  function report(context: string, err: unknown, opts: { level?: Notice['level']; retry?: () => void } = {}): void {
    console.error(`[grid-atlas] ${context}:`, err);
    // Without a session every data endpoint fails alike; api/http.ts already sends the user to the
    // sign-in page, so a banner would only flash on the way out.
    if (err instanceof ApiError && err.status === 401) return;
    const notice: Omit<Notice, 'id'> = {
      context,
      title: opts.level === 'warning' ? context : t('shell.notice.failed', { context }),
      message: peopleMessage(err),
      level: opts.level ?? 'error',
      // A refusal (no such thing, not yours, invalid) comes back the same however often it is asked.
      retry: retryable(err) ? opts.retry : undefined,
    };
    // One notice per context: a retried failure replaces the old one instead of stacking up.
    notices.value = notices.value.filter((n) => n.context !== notice.context);
    notices.value.push({ id: nextId++, ...notice });
  }

  function clear(context: string): void {
    notices.value = notices.value.filter((n) => n.context !== context);
  }

  function clearAll(): void {
    notices.value = [];
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return { notices, report, clear, clearAll, dismiss };
});
