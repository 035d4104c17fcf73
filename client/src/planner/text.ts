// What the planner shows of the plan library's findings: their half in the interface's language.
// The library writes "中文 (English)"; the English half may name internal grid and block keys.
import { localMessage, t } from '../i18n';

export function reasonsText(list: readonly { message: string }[]): string {
  return list.map((x) => localMessage(x.message)).join(t('planner.edit.reasonsJoin'));
}
