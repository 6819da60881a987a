import type { Logger } from 'pino';
import type { AudioCodec, MediaPacket } from '../../hub/media-packet.js';
import type { PacketSubscriber, StreamSource } from '../../hub/stream-source.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import { DEFAULT_RESTART, type FfmpegJob, type FfmpegJobs } from '../../jobs/index.js';
import type { AudioCodecPipe, TranscodeInput, TranscodeOutput } from './audio-codec-pipes.js';
import { TranscodeTimeline } from './transcode-timeline.js';

/** A transcode of track N is track DERIVED_TRACK_OFFSET + N: apart from anything a publisher numbers. */
export const DERIVED_TRACK_OFFSET = 100;

export interface TrackTranscoderOptions {
  source: StreamSource;
  pipe: AudioCodecPipe;
  jobs: FfmpegJobs;
  bitrate: number;
  logger: Logger;
  /** ffmpeg could not be started (none found): the stream goes on without the transcode. */
  onUnavailable?: (reason: string) => void;
}

/**
 * One stream's audio in another codec, by one ffmpeg process: it subscribes to the stream's track of the
 * pipe's input codec, feeds it to ffmpeg and pushes what comes back into the same stream as a derived track
 * (the hub gives each consumer the codec it wants). A new input configuration restarts ffmpeg; ffmpeg
 * dying restarts it with backoff; stop() ends it. Frames ffmpeg cannot take right now are dropped, never queued
 * without bound.
 */
export class TrackTranscoder implements PacketSubscriber {
  readonly name: string;
  readonly audioCodecs: readonly AudioCodec[];
  private job?: FfmpegJob;
  private starting?: Promise<void>;
  private input?: TranscodeInput;
  private output?: TranscodeOutput;
  private inputHeader?: Buffer;
  private derivedHeader?: Buffer;
  private derivedHeaderSent = false;
  private readonly timeline = new TranscodeTimeline();
  private sourceTrack?: number;
  private unsubscribe?: () => void;
  private stopped = false;
  /** Frames in and out, for the API and tests. */
  framesIn = 0;
  framesOut = 0;
  dropped = 0;

  constructor(private readonly options: TrackTranscoderOptions) {
    this.name = `${options.pipe.from}→${options.pipe.to}`;
    this.audioCodecs = [options.pipe.from];
  }

  start(): void {
    if (this.unsubscribe || this.stopped) return;
    const { source } = this.options;
    this.unsubscribe = source.subscribe(this);
    const header = source.header('audio', this.audioCodecs);
    if (header) this.onPacket(header);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.job?.stop();
    this.job = undefined;
  }

  onPacket(shared: SharedPacket): void {
    const packet = shared.packet;
    if (packet.kind !== 'audio' || packet.codec !== this.options.pipe.from) return;
    if (packet.sequenceHeader) {
      this.sourceTrack = packet.track;
      if (this.inputHeader?.equals(packet.payload) && this.job) return;
      this.inputHeader = packet.payload;
      this.restartJob();
      return;
    }
    this.feed(packet);
  }

  onPublisherChange(publishing: boolean): void {
    // A new publisher: the stream forgot its derived tracks; the header goes again before the next frame.
    if (publishing) this.derivedHeaderSent = false;
  }

  onEnd(): void {
    this.stop();
  }

  onFault(): void {
    this.stop();
  }

  private feed(packet: MediaPacket): void {
    const job = this.job;
    const input = this.input;
    if (!job || !input || job.state !== 'running') return;
    const frame = input.frame(packet.payload);
    if (!frame) {
      this.dropped++;
      return;
    }
    if (!job.write(frame.bytes)) {
      this.dropped++;
      return;
    }
    this.framesIn++;
    this.timeline.input(packet.pts, frame.durationMs);
  }

  private restartJob(): void {
    this.job?.stop();
    this.job = undefined;
    const header = this.inputHeader;
    if (!header || this.stopped) return;
    const { pipe, jobs, bitrate, logger, source } = this.options;
    const starting = jobs
      .start({
        kind: 'audio-transcode',
        label: `${pipe.from}→${pipe.to} /${source.key.app}/${source.key.stream}`,
        inputs: [{ pipe: true, options: pipe.inputOptions }],
        output: { pipe: true, options: pipe.outputOptions(bitrate) },
        restart: DEFAULT_RESTART,
        onRunStart: () => this.onRunStart(header),
        onOutput: (chunk) => this.onOutput(chunk),
      })
      .then(
        (job) => {
          if (this.stopped || this.starting !== starting) job.stop();
          else this.job = job;
        },
        (error: Error) => {
          logger.warn({ err: error.message }, `${this.name} transcode not started: audio stays ${pipe.from}`);
          this.options.onUnavailable?.(error.message);
        },
      );
    this.starting = starting;
  }

  /** Every ffmpeg run starts afresh: new input preamble, new output parser, new timeline. */
  private onRunStart(header: Buffer): void {
    const { pipe } = this.options;
    this.input = pipe.input();
    this.output = pipe.output();
    this.timeline.reset();
    let preamble: Buffer;
    try {
      preamble = this.input.begin(header);
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, `${this.name}: input configuration refused`);
      this.input = undefined;
      return;
    }
    // The job is 'running' by now (onRunStart follows the state change), but this.job may not be set yet.
    queueMicrotask(() => {
      if (preamble.length) this.job?.write(preamble);
    });
  }

  private onOutput(chunk: Buffer): void {
    const output = this.output;
    const track = this.sourceTrack;
    if (!output || track === undefined || this.stopped) return;
    const derivedTrack = DERIVED_TRACK_OFFSET + track;
    for (const out of output.push(chunk)) {
      if (out.header) {
        this.derivedHeader = out.header;
        this.derivedHeaderSent = false;
        continue;
      }
      if (!out.frame) continue;
      const pts = this.timeline.output(out.durationMs);
      if (pts === undefined) continue;
      if (!this.derivedHeaderSent && this.derivedHeader) {
        this.options.source.pushDerived(this.packet(derivedTrack, pts, this.derivedHeader, true));
        this.derivedHeaderSent = true;
      }
      if (!this.derivedHeaderSent) continue;
      this.framesOut++;
      this.options.source.pushDerived(this.packet(derivedTrack, pts, out.frame, false));
    }
  }

  private packet(track: number, pts: number, payload: Buffer, sequenceHeader: boolean): MediaPacket {
    return {
      track,
      kind: 'audio',
      codec: this.options.pipe.to,
      dts: pts,
      pts,
      keyframe: false,
      sequenceHeader,
      payload,
    };
  }
}
