// 三级考评 of people and units (server/src/routes/evaluation.ts): one subject's rows ranked by
// score with their rates and source figures; the administrator sets a subject's weights.
import type { EvaluationResponse, EvaluationSubject, EvaluationWeightsResponse } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

export type { EvaluationResponse, EvaluationRow, EvaluationSubject, EvaluationWeightsResponse } from '@grid-atlas/contract';

const call = fetchWith();

export function fetchEvaluation(subject: EvaluationSubject, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<EvaluationResponse> {
  const p = new URLSearchParams({ subject, limit: String(page.limit), offset: String(page.offset) });
  return readUntypedJson<EvaluationResponse>(call(`/api/evaluation?${p}`, { signal }));
}

export function saveEvaluationWeights(subject: EvaluationSubject, weights: Record<string, number>): Promise<EvaluationWeightsResponse> {
  return readUntypedJson<EvaluationWeightsResponse>(call('/api/evaluation/weights', { method: 'PUT', body: JSON.stringify({ subject, weights }) }));
}
