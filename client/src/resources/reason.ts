// Why a unit is suggested for a case or a need, in the words a dispatcher reads: the terms its
// resources entry shares with what was asked, then whether it serves the category, is the
// category's own unit (本类主责) and serves this community in particular.
import type { UnitSuggestion } from '@grid-atlas/contract';
import { t } from '../i18n';

export function matchReason(s: Pick<UnitSuggestion, 'matched_terms' | 'serves_category' | 'default_unit' | 'local'>): string {
  const parts: string[] = [];
  if (s.matched_terms.length) parts.push(t('community.reason.matched', { terms: s.matched_terms.slice(0, 4).join(t('community.reason.separator')) }));
  if (s.default_unit) parts.push(t('community.reason.defaultUnit'));
  else if (s.serves_category) parts.push(t('community.reason.servesCategory'));
  if (s.local) parts.push(t('community.reason.local'));
  return parts.join(' · ');
}
