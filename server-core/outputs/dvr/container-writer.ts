import type { SharedPacket } from '../../hub/wire-format.js';

/** What a recorder needs to open a file: the stream's metadata and its tracks' sequence headers (by track id). */
export interface RecordingHeaders {
  metadata?: SharedPacket;
  headers: readonly SharedPacket[];
}

/** The first header of a kind: single-video, single-audio containers carry that track. */
export function firstHeader(headers: RecordingHeaders, kind: 'video' | 'audio'): SharedPacket | undefined {
  return headers.headers.find((h) => h.packet.kind === kind);
}

/**
 * Turns a stream's packets into one container's bytes (pure: no I/O). A recorder appends what it returns.
 * The first packet handed to `write` is a keyframe (or audio for audio-only streams); timestamps in the file
 * start at 0.
 */
export interface ContainerWriter {
  readonly extension: 'flv' | 'mp4';
  begin(headers: RecordingHeaders): Buffer;
  write(shared: SharedPacket): Buffer;
  /** Flushes what is held back (the last fragment). */
  end(): Buffer;
}
