import type { Logger } from 'pino';
import { describeTrack } from '../codec/fmp4/track-description.js';
import { type StreamKey, streamKeyId } from '../hub/stream-key.js';
import type { StreamRegistry } from '../hub/stream-registry.js';
import type { StreamSource } from '../hub/stream-source.js';
import { DEFAULT_RESTART, type FfmpegJob, type FfmpegJobs, type JobSnapshot } from '../jobs/index.js';
import { ladderArgs, type Rendition, renditionStreamName, renditionsFor, type TranscodeProfile } from './abr-ladder.js';
import { loopbackReadUrl, loopbackRtmpUrl } from './loopback-url.js';

/** Which streams run which profile (config `transcode.streams`); `stream: '*'` is every stream of the app. */
export interface ProfileUse {
  app: string;
  stream: string;
  profile: string;
}

export interface TranscodeSettings {
  profiles: readonly TranscodeProfile[];
  streams: readonly ProfileUse[];
  preset: string;
  audioKbps: number;
}

export interface AbrTranscoderOptions {
  registry: StreamRegistry;
  vhost: string;
  jobs: FfmpegJobs;
  settings: TranscodeSettings;
  loopbackRtmp: () => string | undefined;
  publishSecret: string;
  logger: Logger;
}

/** A running ladder as the API and the app show it. */
export interface LadderState {
  app: string;
  stream: string;
  profile: string;
  renditions: string[];
  job?: JobSnapshot;
}

interface Ladder {
  key: StreamKey;
  profile: string;
  renditions: Rendition[];
  job?: FfmpegJob;
  stopped: boolean;
}

/** How long a new stream may take to show its video configuration before its ladder starts without it. */
const VIDEO_WAIT_MS = 5000;
const VIDEO_POLL_MS = 100;

/**
 * Adaptive bitrate: while a stream that a profile applies to is live, one ffmpeg job reads it from the loopback
 * RTMP listener and publishes each rendition back as `{stream}_{name}` — a normal stream on every protocol. The
 * HLS output asks `renditionsOf` to serve the stream's playlist as a master playlist over the renditions.
 */
export class AbrTranscoder {
  private readonly ladders = new Map<string, Ladder>();
  /** Stream ids our own jobs publish: a `*` profile must not transcode its own renditions. */
  private readonly renditionIds = new Set<string>();
  private unsubscribe?: () => void;

  constructor(private readonly options: AbrTranscoderOptions) {}

  start(): void {
    this.unsubscribe = this.options.registry.onStream((event) => {
      if (event.type === 'publish') this.begin(event.source);
      if (event.type === 'unpublish') this.end(streamKeyId(event.source.key));
    });
    for (const source of this.options.registry.list()) if (source.isPublishing) this.begin(source);
  }

  /** New profiles: every ladder restarts under the new settings. */
  configure(settings: TranscodeSettings, publishSecret: string): void {
    this.options.settings = settings;
    this.options.publishSecret = publishSecret;
    for (const id of [...this.ladders.keys()]) this.end(id);
    for (const source of this.options.registry.list()) if (source.isPublishing) this.begin(source);
  }

  /** The rendition stream names of a live ladder, best first; undefined when the stream has none. */
  renditionsOf(app: string, stream: string): string[] | undefined {
    const ladder = this.ladders.get(streamKeyId({ vhost: this.options.vhost, app, stream }));
    if (!ladder || ladder.stopped || ladder.renditions.length === 0) return undefined;
    return ladder.renditions.map((r) => renditionStreamName(stream, r.name));
  }

  list(): LadderState[] {
    return [...this.ladders.values()].map((ladder) => ({
      app: ladder.key.app,
      stream: ladder.key.stream,
      profile: ladder.profile,
      renditions: ladder.renditions.map((r) => renditionStreamName(ladder.key.stream, r.name)),
      job: ladder.job?.snapshot(),
    }));
  }

  close(): void {
    this.unsubscribe?.();
    for (const id of [...this.ladders.keys()]) this.end(id);
  }

  private profileFor(key: StreamKey): TranscodeProfile | undefined {
    const { settings } = this.options;
    const use =
      settings.streams.find((u) => u.app === key.app && u.stream === key.stream) ??
      settings.streams.find((u) => u.app === key.app && u.stream === '*');
    return use ? settings.profiles.find((p) => p.name === use.profile) : undefined;
  }

  private begin(source: StreamSource): void {
    const id = streamKeyId(source.key);
    if (this.renditionIds.has(id) || this.ladders.has(id)) return;
    const profile = this.profileFor(source.key);
    if (!profile) return;
    const ladder: Ladder = { key: source.key, profile: profile.name, renditions: [], stopped: false };
    this.ladders.set(id, ladder);
    this.launch(ladder, source, profile).catch((error) => {
      this.options.logger.warn(
        { stream: `/${source.key.app}/${source.key.stream}`, err: (error as Error).message },
        'transcode profile did not start',
      );
    });
  }

  private async launch(ladder: Ladder, source: StreamSource, profile: TranscodeProfile): Promise<void> {
    const base = this.options.loopbackRtmp();
    if (!base) throw new Error('transcoding reads and publishes over RTMP: turn the RTMP listener on');
    const video = await waitForVideo(source);
    // An audio-only stream has nothing to scale.
    if (ladder.stopped || !source.track('video')) return;
    // FLV (ffmpeg's RTMP muxer) carries H.264 only: a source in another codec gets its scaled renditions only.
    const videoCodec = source.track('video')?.codec;
    const renditions = renditionsFor(profile, video?.height).filter(
      (r) => r.height > 0 || videoCodec === undefined || videoCodec === 'h264',
    );
    if (renditions.length === 0) return;
    const audioCodec = source.track('audio')?.codec;
    const { filter, outputs } = ladderArgs(renditions, {
      preset: this.options.settings.preset,
      audioKbps: this.options.settings.audioKbps,
      copyAudio: audioCodec === undefined || audioCodec === 'aac',
      sourceHeight: video?.height,
    });
    const { app, stream } = ladder.key;
    const secret = this.options.publishSecret || undefined;
    const urls = outputs.map((o) => {
      const name = renditionStreamName(stream, o.rendition.name);
      this.renditionIds.add(streamKeyId({ ...ladder.key, stream: name }));
      return { url: loopbackRtmpUrl(base, app, name, secret), options: o.options };
    });
    const [first, ...more] = urls;
    ladder.renditions = renditions;
    ladder.job = await this.options.jobs.start({
      kind: 'transcode',
      label: `transcode /${app}/${stream} (${profile.name}: ${renditions.map((r) => r.name).join(', ')})`,
      inputs: [{ url: loopbackReadUrl(base, app, stream) }],
      output: { url: first.url, options: [...(filter ? ['-filter_complex', filter] : []), ...first.options] },
      moreOutputs: more,
      restart: DEFAULT_RESTART,
    });
    if (ladder.stopped) ladder.job.stop();
  }

  private end(id: string): void {
    const ladder = this.ladders.get(id);
    if (!ladder) return;
    this.ladders.delete(id);
    ladder.stopped = true;
    ladder.job?.stop();
    for (const r of ladder.renditions) {
      this.renditionIds.delete(streamKeyId({ ...ladder.key, stream: renditionStreamName(ladder.key.stream, r.name) }));
    }
  }
}

/** The source's picture size once its video configuration arrived (bounded wait); undefined for audio-only. */
async function waitForVideo(source: StreamSource): Promise<{ width: number; height: number } | undefined> {
  const deadline = Date.now() + VIDEO_WAIT_MS;
  for (;;) {
    const track = source.track('video');
    const header = track?.header?.packet.payload;
    if (track && header) {
      try {
        const described = describeTrack(1, track.codec, header);
        return described.height ? { width: described.width ?? 0, height: described.height } : undefined;
      } catch {
        return undefined;
      }
    }
    if (Date.now() > deadline || source.isEnded) return undefined;
    await new Promise((resolve) => setTimeout(resolve, VIDEO_POLL_MS));
  }
}
