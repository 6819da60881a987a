/**
 * A per-stream consumer (segmenter, recorder, encoder for a group of readers, a listener of stream events)
 * threw. The hub ends that consumer, never the process, and reports the fault here: the composition root logs
 * it with the stream and counts it by kind.
 */
export type ConsumerKind = 'subscriber' | 'wire-format' | 'reader' | 'stream-listener' | 'ingest' | 'process';

export interface ConsumerFault {
  kind: ConsumerKind;
  /** vhost/app/stream, when the fault belongs to one stream. */
  stream?: string;
  /** Which consumer: a format id, a subscriber's name, a reader's context id. */
  consumer: string;
  /** What happened to it: ended, packet dropped, track dropped. */
  action: string;
  error: Error;
}

export type FaultReporter = (fault: ConsumerFault) => void;

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** A stand-in for tests and tools that do not care. */
export const ignoreFaults: FaultReporter = () => {};
