// Matching (部门端菜): the units whose resources list fits what a case or a need asks, at its
// place, best first, each with why. Used for a case's dispatcher and for a need's community.
//
// A category alone is a poor guide: "增设电动车集中充电桩" is filed under fire hazards, and
// matching by category offered an emergency drill. So the text decides first: the request's
// words (Intl.Segmenter's Chinese word breaks, which Node carries with its ICU data, cut into
// two-character terms) found in a resource's name, description or unit, each weighted by how rare
// it is among the resources (a word every entry has tells nothing). Then whether the entry serves the category, serves this community in
// particular, belongs to the category's default unit, and last the unit's open work.
//
// Candidates are the active entries with capacity that serve the community or the whole city: a
// few hundred rows, ranked here in JS where the words are. One row per unit: its best entry.
import type { UnitSuggestion } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';

/** What is asked: the case's description, or the need's title and description. */
export interface MatchRequest {
  category: string;
  community: number;
  text: string;
}

// The weights of the four signals; the text counts most, so an entry that says most of what was
// asked comes before the category's own unit when that unit's entries say nothing like it
// (0.6 × a share above 0.54 > 0.22 + 0.1), and the dispatcher sees the words that matched to
// judge it. Among entries that say it equally, the category's default unit (本类主责) comes before
// a unit's local entry.
const WEIGHT = { text: 0.6, category: 0.22, defaultUnit: 0.1, local: 0.08 } as const;

// Words that every request and every entry use and that tell nothing about what is asked.
const STOPWORDS = new Set([
  '社区', '居民', '小区', '网格', '希望', '需要', '问题', '情况', '开展', '服务', '提供', '进行', '反映', '帮助', '解决',
  '没有', '已经', '我们', '他们', '一下', '一些', '这个', '那个', '现在', '目前', '相关', '工作', '办理', '指导', '协助',
  '组织', '定期', '受理', '群众', '家庭', '请求',
]);

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The terms of a text worth matching: every two-character run inside its words (Intl.Segmenter's
 * words are often longer compounds: "垃圾桶" must still meet "垃圾清运"), no stopwords, no numbers;
 * single-character words ("电", "车") match too much to tell anything.
 */
export function keywords(text: string): string[] {
  const out = new Set<string>();
  for (const s of segmenter.segment(text.toLowerCase())) {
    const chars = [...s.segment.trim()];
    if (!s.isWordLike || chars.length < 2) continue;
    for (let i = 0; i + 2 <= chars.length; i++) {
      const w = chars[i] + chars[i + 1];
      if (!/^\d+$/.test(w) && !STOPWORDS.has(w)) out.add(w);
    }
  }
  return [...out];
}

interface Candidate {
  department_id: number;
  department_name: string;
  resource_id: number;
  resource_name: string;
  description: string;
  kind: UnitSuggestion['kind'];
  capacity: number;
  local: boolean;
  serves_category: boolean;
  default_unit: boolean;
  open_cases: number;
  open_needs: number;
}

/** Scores every candidate against the request's words; pure, so the ranking is tested without a database. */
export function rank(candidates: Candidate[], text: string, limit: number): UnitSuggestion[] {
  const words = keywords(text);
  const haystacks = candidates.map((c) => `${c.resource_name} ${c.description} ${c.department_name}`.toLowerCase());
  // Inverse document frequency over the candidates: a term in every entry weighs little; one in
  // none still counts in what was asked, so an entry covers a share of the request (0–1), and a
  // single incidental word ("不便" in "为行动不便的居民上门办理户籍") lifts it little.
  const n = candidates.length;
  const idf = new Map(words.map((w) => [w, Math.log(1 + n / (1 + haystacks.filter((h) => h.includes(w)).length))]));
  const asked = words.reduce((s, w) => s + idf.get(w)!, 0);
  const scored = candidates.map((c, i) => {
    const matched = words.filter((w) => haystacks[i].includes(w));
    const text = asked > 0 ? matched.reduce((s, w) => s + idf.get(w)!, 0) / asked : 0;
    const score = WEIGHT.text * text + WEIGHT.category * Number(c.serves_category) + WEIGHT.local * Number(c.local)
      + WEIGHT.defaultUnit * Number(c.default_unit);
    return { c, matched, text, score };
  }).filter((s) => s.text > 0 || s.c.serves_category);
  scored.sort((a, b) => b.score - a.score || (a.c.open_cases + a.c.open_needs) - (b.c.open_cases + b.c.open_needs)
    || b.c.capacity - a.c.capacity || a.c.department_id - b.c.department_id || a.c.resource_id - b.c.resource_id);
  const seen = new Set<number>();
  const out: UnitSuggestion[] = [];
  for (const { c, matched, text, score } of scored) {
    if (seen.has(c.department_id)) continue;
    seen.add(c.department_id);
    const { description: _d, ...row } = c;
    out.push({ ...row, score: Math.round(score * 1000) / 1000, text_score: Math.round(text * 1000) / 1000, matched_terms: matched });
    if (out.length === limit) break;
  }
  return out;
}

export async function suggestUnits(db: Queryable, req: MatchRequest, limit = 10): Promise<UnitSuggestion[]> {
  const { rows } = await db.query<Candidate>(
    `SELECT d.id AS department_id, d.name AS department_name, r.id AS resource_id, r.name AS resource_name,
            r.description, r.kind, r.capacity,
            r.community_ids IS NOT NULL AS local,
            $1 = ANY (r.categories) AS serves_category,
            d.code IS NOT DISTINCT FROM cat.default_department_code AS default_unit,
            coalesce(oc.n, 0) AS open_cases, coalesce(onn.n, 0) AS open_needs
       FROM department_resources r
       JOIN departments d ON d.id = r.department_id
       LEFT JOIN case_categories cat ON cat.code = $1
       LEFT JOIN (SELECT assigned_department_id AS id, count(*)::int AS n FROM cases
                   WHERE status IN ('dispatched', 'claimed', 'in_progress') GROUP BY 1) oc ON oc.id = d.id
       LEFT JOIN (SELECT department_id AS id, count(*)::int AS n FROM needs
                   WHERE status IN ('dispatched', 'claimed') GROUP BY 1) onn ON onn.id = d.id
      WHERE r.active AND r.capacity > 0
        AND (r.community_ids IS NULL OR $2 = ANY (r.community_ids))`, [req.category, req.community]);
  return rank(rows, req.text, limit);
}
