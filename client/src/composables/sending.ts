// The case forms (filing a case, an action on it, a unit's part, a 四方共议 step) each checked the
// input against the contract's schema, showed the first complaint in the reader's language, then sent it with a
// busy flag and turned a refusal into a line for people. This holds that sequence once.
import { ref } from 'vue';
import { peopleMessage } from '../api/http';
import { localMessage, t } from '../i18n';

/** A schema's safeParse result, as far as the forms read it. */
export type Checked<T> = { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };

export function useSending() {
  const busy = ref(false);
  const error = ref<string | null>(null);

  /** The parsed input; else null, with the schema's first complaint (its half in the current language) in error. */
  function check<T>(parsed: Checked<T>): T | null {
    if (parsed.success) return parsed.data;
    error.value = localMessage(parsed.error.issues[0]?.message ?? t('shell.form.invalidInput'));
    return null;
  }

  /** Runs `work` with busy set; its failure becomes error, in plain words of the current language. */
  async function send(work: () => Promise<void>): Promise<void> {
    busy.value = true;
    try {
      await work();
    } catch (err) {
      error.value = peopleMessage(err);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, check, send };
}
