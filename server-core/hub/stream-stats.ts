import type { MediaPacket } from './media-packet.js';

const KBPS_WINDOW_MS = 30_000;
/** Media time the frame rate is measured over (timestamps, so a bursty sender does not skew it). */
const FPS_WINDOW_MS = 2000;

/** Counters of one stream, read by the API, metrics and UI. Cheap per packet: additions only. */
export class StreamStats {
  readonly publishedAt: number;
  recvBytes = 0;
  videoFrames = 0;
  audioFrames = 0;
  /** Bytes sent to readers that already left; live readers are summed on demand. */
  readerBytesSent = 0;
  /** Readers that ever joined this publish. */
  readersJoined = 0;
  /** Frames skipped by readers that already left. */
  framesDropped = 0;
  /** Measured keyframe interval (null until two keyframes were seen): the UI warns when it is too long. */
  gopMs: number | null = null;
  /** Frames in the last complete GOP (null until two keyframes were seen). */
  gopFrames: number | null = null;
  /** Measured video frame rate over the last 2 s of media time (null until 2 s of video arrived). */
  fps: number | null = null;
  /** A video frame with pts ≠ dts was seen: the encoder uses B-frames (WebRTC players stutter on them). */
  bFrames = false;
  lastVideoDts?: number;
  lastAudioDts?: number;
  private lastKeyframeDts?: number;
  private framesSinceKeyframe = 0;
  private fpsWindowDts?: number;
  private fpsWindowFrames = 0;
  private windowStart: number;
  private windowBytes = 0;
  private lastKbps = 0;

  constructor(nowMs: number) {
    this.publishedAt = nowMs;
    this.windowStart = nowMs;
  }

  onPacket(packet: MediaPacket, nowMs: number): void {
    this.recvBytes += packet.payload.length;
    this.windowBytes += packet.payload.length;
    if (!packet.sequenceHeader) {
      if (packet.kind === 'video') {
        this.videoFrames++;
        if (packet.keyframe) {
          if (this.lastKeyframeDts !== undefined && packet.dts > this.lastKeyframeDts) {
            this.gopMs = packet.dts - this.lastKeyframeDts;
            this.gopFrames = this.framesSinceKeyframe;
          }
          this.lastKeyframeDts = packet.dts;
          this.framesSinceKeyframe = 0;
        }
        this.framesSinceKeyframe++;
        if (packet.pts !== packet.dts) this.bFrames = true;
        this.countFrame(packet.dts);
        this.lastVideoDts = packet.dts;
      }
      if (packet.kind === 'audio') {
        this.audioFrames++;
        this.lastAudioDts = packet.dts;
      }
    }
    if (nowMs - this.windowStart >= KBPS_WINDOW_MS) this.rollWindow(nowMs);
  }

  /** A new publisher continues the stream: what described the old encoder's settings is forgotten. */
  newPublisher(): void {
    this.gopMs = null;
    this.gopFrames = null;
    this.fps = null;
    this.bFrames = false;
    this.lastVideoDts = undefined;
    this.lastAudioDts = undefined;
    this.lastKeyframeDts = undefined;
    this.framesSinceKeyframe = 0;
    this.fpsWindowDts = undefined;
    this.fpsWindowFrames = 0;
  }

  /** Last audio dts − last video dts, ms (null until both arrived): how far the two have drifted apart. */
  get avDriftMs(): number | null {
    return this.lastAudioDts === undefined || this.lastVideoDts === undefined
      ? null
      : this.lastAudioDts - this.lastVideoDts;
  }

  private countFrame(dts: number): void {
    if (this.fpsWindowDts === undefined || dts < this.fpsWindowDts) {
      this.fpsWindowDts = dts;
      this.fpsWindowFrames = 0;
    }
    const span = dts - this.fpsWindowDts;
    if (span >= FPS_WINDOW_MS) {
      this.fps = Math.round((this.fpsWindowFrames * 10_000) / span) / 10;
      this.fpsWindowDts = dts;
      this.fpsWindowFrames = 0;
    }
    this.fpsWindowFrames++;
  }

  /** Receive bitrate over the current (or, early on, partial) 30 s window, like SRS's recv_30s. */
  recvKbps(nowMs: number): number {
    const elapsed = nowMs - this.windowStart;
    if (elapsed >= KBPS_WINDOW_MS) this.rollWindow(nowMs);
    const partial = nowMs - this.windowStart;
    if (this.lastKbps > 0 && partial < 5000) return this.lastKbps;
    return partial > 0 ? Math.round((this.windowBytes * 8) / partial) : 0;
  }

  private rollWindow(nowMs: number): void {
    const elapsed = nowMs - this.windowStart;
    this.lastKbps = elapsed > 0 ? Math.round((this.windowBytes * 8) / elapsed) : 0;
    this.windowBytes = 0;
    this.windowStart = nowMs;
  }
}
