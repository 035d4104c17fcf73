// Case events from the shared live stream (live/stream.ts), boiled down to what views need:
// "these cases changed" (or "everything may have changed" after a reset). The server only sends
// events in the user's scope, so every event is relevant to some list; bursts are coalesced so a
// dispatch that writes several events refreshes once.
import { liveStream, type LiveEvent } from './stream';

export interface CaseChange {
  /** Ids of the cases that changed; empty with `reset`. */
  caseIds: Set<number>;
  /** The stream lost its place: refetch everything. */
  reset: boolean;
}

/** Calls `fn` at most once per `delayMs` with the cases changed since the last call. */
export function onCaseChanges(fn: (change: CaseChange) => void, delayMs = 250): () => void {
  let pending: CaseChange | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const change = pending;
    pending = null;
    if (change) fn(change);
  };
  const unsubscribe = liveStream().subscribe((e: LiveEvent) => {
    if (e.type !== 'case' && e.type !== 'reset') return;
    pending ??= { caseIds: new Set(), reset: false };
    if (e.type === 'reset') pending.reset = true;
    if (e.type === 'case') pending.caseIds.add(e.data.case_id);
    timer ??= setTimeout(flush, delayMs);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
