import type { Codec, MediaKind } from './media-packet.js';
import type { SharedPacket } from './wire-format.js';

/** One track of a stream: its codec and the configuration (sequence header) its decoders need. */
export interface StreamTrack {
  readonly id: number;
  readonly kind: Exclude<MediaKind, 'data'>;
  codec: Codec;
  /** The last valid sequence header (AVC/HEVC record, AudioSpecificConfig, OpusHead...), when it has one. */
  header?: SharedPacket;
  /** Why the last sequence header was refused: the track's media is dropped until a valid one arrives. */
  problem?: string;
  /** Made by the server from another track (an audio transcode), not sent by the publisher. */
  derived?: boolean;
}
