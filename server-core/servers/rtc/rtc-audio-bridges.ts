import type { Logger } from 'pino';
import { AAC_TO_OPUS, OPUS_TO_AAC } from '../../formats/audio-transcode/audio-codec-pipes.js';
import { TrackTranscoder } from '../../formats/audio-transcode/track-transcoder.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { FfmpegJobs } from '../../jobs/index.js';

/** The AAC→Opus transcode outlives its last WebRTC viewer by this long (a reload does not restart ffmpeg). */
export const OPUS_LINGER_MS = 5000;

export interface RtcAudioBridgesOptions {
  jobs: FfmpegJobs;
  opusBitrate: number;
  aacBitrate: number;
  logger: Logger;
}

interface OpusBridge {
  transcoder: TrackTranscoder;
  viewers: number;
  linger?: NodeJS.Timeout;
}

/**
 * WebRTC audio beside everyone else's: a WHIP publisher's Opus also becomes AAC (for RTMP, FLV, HLS, DASH and
 * DVR) while it publishes, and an AAC stream also becomes Opus while it has WebRTC viewers. One ffmpeg per
 * stream and direction.
 */
export class RtcAudioBridges {
  private readonly opus = new Map<StreamSource, OpusBridge>();

  constructor(private readonly options: RtcAudioBridgesOptions) {}

  /** A WHIP publisher with Opus audio: containers wait for its AAC. Returns the stop for when it leaves. */
  publishOpus(source: StreamSource): () => void {
    source.expectTranscodedAac();
    const transcoder = this.transcoder(source, 'aac', () => source.acceptContainerOpus());
    transcoder.start();
    return () => transcoder.stop();
  }

  /** A WebRTC viewer joined: Opus is made from the stream's AAC unless it has Opus. Returns its release. */
  viewerJoined(source: StreamSource): () => void {
    const audio = source.track('audio');
    if (source.track('audio', ['opus']) || (audio && audio.codec !== 'aac')) return () => {};
    let bridge = this.opus.get(source);
    if (!bridge) {
      bridge = { transcoder: this.transcoder(source, 'opus'), viewers: 0 };
      this.opus.set(source, bridge);
      bridge.transcoder.start();
    }
    const active = bridge;
    clearTimeout(active.linger);
    active.viewers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active.viewers--;
      if (active.viewers > 0) return;
      active.linger = setTimeout(() => this.stopOpus(source, active), OPUS_LINGER_MS);
      active.linger.unref();
    };
  }

  close(): void {
    for (const [source, bridge] of this.opus) this.stopOpus(source, bridge);
  }

  private stopOpus(source: StreamSource, bridge: OpusBridge): void {
    clearTimeout(bridge.linger);
    bridge.transcoder.stop();
    if (this.opus.get(source) === bridge) this.opus.delete(source);
  }

  private transcoder(source: StreamSource, to: 'aac' | 'opus', onUnavailable?: () => void): TrackTranscoder {
    const { jobs, logger, opusBitrate, aacBitrate } = this.options;
    return new TrackTranscoder({
      source,
      jobs,
      logger: logger.child({ stream: `/${source.key.app}/${source.key.stream}` }),
      pipe: to === 'opus' ? AAC_TO_OPUS : OPUS_TO_AAC,
      bitrate: to === 'opus' ? opusBitrate : aacBitrate,
      onUnavailable,
    });
  }
}
