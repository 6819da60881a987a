import type { Logger } from 'pino';
import { audioSpecificConfigFromAdts } from '../../codec/aac/adts-audio-specific-config.js';
import { AdtsStreamSplitter } from '../../codec/aac/adts-stream.js';
import type { PsG711Chunk } from '../../formats/ps/to-packets.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { AudioNormalizer } from '../../ingest/audio-normalizer.js';
import { DEFAULT_RESTART, type FfmpegJob, type FfmpegJobs } from '../../jobs/index.js';
import type { G711Transcoder, G711TranscoderFactory } from './gb28181-server.js';

const G711_RATE = 8000;
const AAC_FRAME_SAMPLES = 1024;
/** Output rate: AAC at 8 kHz is legal but browsers (MSE) and some players refuse it. */
const AAC_RATE = 44100;
const AAC_BITRATE = 64_000;
/** A gap in the input longer than this is filled with silence (up to MAX_FILL_MS at once). */
const MAX_GAP_WITHOUT_FILL_MS = 100;
const MAX_FILL_MS = 2000;
/** The codes of a zero sample (G.711 Table 1a/1b, with A-law's even-bit inversion). */
const ALAW_SILENCE = 0xd5;
const ULAW_SILENCE = 0xff;
/** Read the pipe as it arrives (no probing, no buffering). */
const LIVE_INPUT = ['-probesize', '32', '-analyzeduration', '0', '-fflags', 'nobuffer', '-flags', 'low_delay'];

/**
 * A camera's G.711 (A-law or µ-law, 8 kHz mono) as AAC, by one ffmpeg process per stream: no player of the
 * hub's formats takes G.711 everywhere (SRS drops it). Output frames are timed from the first input chunk's
 * pts plus the samples ffmpeg returned, on the stream's clock; each ffmpeg run starts a new anchor.
 */
class G711ToAac implements G711Transcoder {
  private job?: FfmpegJob;
  private starting = false;
  private closed = false;
  private anchorPts?: number;
  private samplesOut = 0;
  private samplesIn = 0;
  private splitter = new AdtsStreamSplitter();
  private readonly normalizer = new AudioNormalizer({ codec: 'aac' });

  constructor(
    private readonly jobs: FfmpegJobs,
    private readonly output: (packet: MediaPacket) => void,
    private readonly log: Logger,
    private readonly label: string,
  ) {}

  push(chunk: PsG711Chunk): void {
    if (this.closed) return;
    if (!this.job && !this.starting) this.start(chunk.codec);
    const job = this.job;
    if (job?.state !== 'running') return;
    if (this.anchorPts === undefined) {
      this.anchorPts = chunk.pts;
      this.samplesIn = 0;
    }
    // Samples lost on the way (an RTP gap) become silence, so that the output stays on the video's timeline.
    const expected = this.anchorPts + (this.samplesIn * 1000) / G711_RATE;
    const gapMs = chunk.pts - expected;
    if (gapMs > MAX_GAP_WITHOUT_FILL_MS) {
      const fill = Math.round((Math.min(gapMs, MAX_FILL_MS) * G711_RATE) / 1000);
      if (job.write(Buffer.alloc(fill, chunk.codec === 'g711a' ? ALAW_SILENCE : ULAW_SILENCE))) this.samplesIn += fill;
    }
    // A full pipe drops the chunk: audio is never queued without bound.
    if (job.write(chunk.samples)) this.samplesIn += chunk.samples.length;
  }

  close(): void {
    this.closed = true;
    this.job?.stop();
    this.job = undefined;
  }

  private start(codec: PsG711Chunk['codec']): void {
    this.starting = true;
    this.jobs
      .start({
        kind: 'audio-transcode',
        label: `${codec}→aac ${this.label}`,
        inputs: [
          {
            pipe: true,
            options: [...LIVE_INPUT, '-f', codec === 'g711a' ? 'alaw' : 'mulaw', '-ar', String(G711_RATE), '-ac', '1'],
          },
        ],
        output: {
          pipe: true,
          // biome-ignore format: ffmpeg arguments read best as flag/value pairs
          options: ['-vn', '-c:a', 'aac', '-b:a', String(AAC_BITRATE), '-ar', String(AAC_RATE), '-ac', '1',
            '-flush_packets', '1', '-f', 'adts'],
        },
        restart: DEFAULT_RESTART,
        onRunStart: () => {
          this.anchorPts = undefined;
          this.samplesOut = 0;
          this.splitter = new AdtsStreamSplitter();
        },
        onOutput: (bytes) => this.onOutput(bytes),
      })
      .then(
        (job) => {
          if (this.closed) job.stop();
          else this.job = job;
        },
        (error: Error) => this.log.warn({ err: error.message }, 'gb28181 G.711 transcode not started: no audio'),
      );
  }

  private onOutput(bytes: Buffer): void {
    const anchor = this.anchorPts;
    if (anchor === undefined || this.closed) return;
    for (const frame of this.splitter.push(bytes)) {
      const rate = frame.header.config.sampleRate;
      const pts = anchor + Math.round((this.samplesOut * 1000) / rate);
      this.samplesOut += AAC_FRAME_SAMPLES;
      const asc = audioSpecificConfigFromAdts(frame.header);
      for (const packet of this.normalizer.pushAacFrames([frame.raw], asc, pts)) this.output(packet);
    }
  }
}

/** The factory the GB28181 server calls per INVITE whose stream turns out to carry G.711. */
export function g711ToAac(jobs: FfmpegJobs): G711TranscoderFactory {
  return (output, log, label) => new G711ToAac(jobs, output, log, label);
}
