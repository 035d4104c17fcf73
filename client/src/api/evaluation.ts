// 三级考评 of people and units (server/src/routes/evaluation.ts): one subject's rows ranked by
// score with their rates and source figures; the administrator sets a subject's weights. Through
// the typed `hc` client.
import type { EvaluationResponse, EvaluationSubject, EvaluationWeightsResponse } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { EvaluationResponse, EvaluationRow, EvaluationSubject, EvaluationWeightsResponse } from '@grid-atlas/contract';

export function fetchEvaluation(subject: EvaluationSubject, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<EvaluationResponse> {
  return readJson(api.evaluation.$get({ query: { subject, limit: String(page.limit), offset: String(page.offset) } }, { init: { signal } }));
}

export function saveEvaluationWeights(subject: EvaluationSubject, weights: Record<string, number>): Promise<EvaluationWeightsResponse> {
  return readJson(api.evaluation.weights.$put({ json: { subject, weights } }));
}
