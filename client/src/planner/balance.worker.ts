// The auto-balance Web Worker: ReCom runs here so the map stays responsive.
// Created by client/src/planner/balance.ts with new Worker(new URL(...), { type: 'module' }).
import { createBalanceHandler, type ToWorker } from './balance-protocol.ts';

const scope = self as unknown as {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
};
const onMessage = createBalanceHandler((m) => scope.postMessage(m));
scope.addEventListener('message', (e) => void onMessage(e.data));
