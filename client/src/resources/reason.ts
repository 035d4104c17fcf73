// Why a unit is suggested for a case or a need, in the words a dispatcher reads: the terms its
// resources entry shares with what was asked, then whether it serves the category, is the
// category's own unit (本类主责) and serves this community in particular.
import type { UnitSuggestion } from '@grid-atlas/contract';

export function matchReason(s: Pick<UnitSuggestion, 'matched_terms' | 'serves_category' | 'default_unit' | 'local'>): string {
  const parts: string[] = [];
  if (s.matched_terms.length) parts.push(`相符：${s.matched_terms.slice(0, 4).join('、')}`);
  if (s.default_unit) parts.push('本类主责');
  else if (s.serves_category) parts.push('服务本类别');
  if (s.local) parts.push('服务本社区');
  return parts.join(' · ');
}
