import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdtsStreamSplitter, audioSpecificConfigFromAdts, parseAudioSpecificConfig } from '../../codec/aac/index.js';
import { OggPacketReader } from '../../codec/ogg/index.js';
import { ignoreFaults } from '../../hub/consumer-fault.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { StreamSource } from '../../hub/stream-source.js';
import { FfmpegJobs } from '../../jobs/index.js';
import { AAC_TO_OPUS, type AudioCodecPipe, OPUS_TO_AAC } from './audio-codec-pipes.js';
import { DERIVED_TRACK_OFFSET, TrackTranscoder } from './track-transcoder.js';

const logger = pino({ level: 'silent' });
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function newSource(): StreamSource {
  return new StreamSource(
    { vhost: '__defaultVhost__', app: 'live', stream: 'a' },
    { cid: 'p', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} },
    {
      gopCache: { enabled: true, maxBytes: 1e7, maxPackets: 10_000 },
      readerLimits: { maxQueueBytes: 1e6, maxQueueMs: 1e5, stuckTimeoutMs: 5000 },
      jitter: 'off',
      mergeWindowMs: 0,
      publisherGraceMs: 0,
      now: Date.now,
      reportFault: ignoreFaults,
    },
  );
}

/** Two seconds of a 440 Hz tone encoded by ffmpeg: what a publisher would send. */
function encodedTone(format: 'adts' | 'ogg'): Buffer {
  const codec = format === 'adts' ? ['-c:a', 'aac', '-ar', '44100'] : ['-c:a', 'libopus', '-page_duration', '20000'];
  return execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'],
    ...['-ac', '2', ...codec, '-f', format, 'pipe:1'],
  ]);
}

function audio(codec: 'aac' | 'opus', pts: number, payload: Buffer, sequenceHeader = false): MediaPacket {
  return { track: 2, kind: 'audio', codec, dts: pts, pts, keyframe: false, sequenceHeader, payload };
}

async function transcode(pipe: AudioCodecPipe, packets: MediaPacket[]) {
  const source = newSource();
  const jobs = new FfmpegJobs({}, logger);
  const transcoder = new TrackTranscoder({ source, pipe, jobs, bitrate: 64_000, logger });
  cleanups.push(() => {
    transcoder.stop();
    jobs.close();
  });
  const derived: MediaPacket[] = [];
  source.subscribe({
    audioCodecs: [pipe.to],
    onPacket: (shared) => {
      if (shared.packet.track === DERIVED_TRACK_OFFSET + 2) derived.push(shared.packet);
    },
  });
  source.push(packets[0]);
  transcoder.start();
  const deadline = Date.now() + 15_000;
  while (jobs.list()[0]?.state !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  for (const p of packets.slice(1)) source.push(p);
  const inputMs = packets[packets.length - 1].pts - packets[1].pts;
  while (Date.now() < deadline) {
    const last = derived[derived.length - 1];
    if (last && last.pts >= packets[1].pts + inputMs - 300) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { derived, source, transcoder };
}

describe('TrackTranscoder with ffmpeg', () => {
  beforeAll(() => {
    toneCache = encodedTone('ogg');
  });

  it('makes Opus from an AAC track, on the same timeline, for consumers that want Opus', async () => {
    const { config, frames } = (() => {
      const bytes = encodedTone('adts');
      const out = new AdtsStreamSplitter().push(bytes);
      return { config: audioSpecificConfigFromAdts(out[0].header), frames: out.map((f) => f.raw) };
    })();
    const start = 5000;
    const packets = [
      audio('aac', start, config, true),
      ...frames.map((f, i) => audio('aac', start + Math.round((i * 1024 * 1000) / 44100), f)),
    ];
    const { derived, source } = await transcode(AAC_TO_OPUS, packets);
    const [header, ...media] = derived;
    expect(header.sequenceHeader).toBe(true);
    expect(header.payload.subarray(0, 8).toString('latin1')).toBe('OpusHead');
    expect(source.track('audio', ['opus'])?.codec).toBe('opus');
    expect(source.track('audio')?.codec).toBe('aac');
    // About two seconds of 20 ms Opus packets, starting where the AAC started, evenly spaced.
    expect(media.length).toBeGreaterThan(80);
    expect(Math.abs(media[0].pts - start)).toBeLessThanOrEqual(30);
    expect(media.every((p, i) => i === 0 || p.pts - media[i - 1].pts === 20)).toBe(true);
  });

  it('makes AAC from an Opus track that ffmpeg can decode', async () => {
    const opus = new OggPacketReader().push(encodedTone('ogg')).map((p) => p.data);
    const start = 1000;
    const packets = [
      audio('opus', start, opus[0], true),
      ...opus.slice(2).map((p, i) => audio('opus', start + i * 20, p)),
    ];
    const { derived } = await transcode(OPUS_TO_AAC, packets);
    const [header, ...media] = derived;
    expect(header.sequenceHeader).toBe(true);
    const asc = parseAudioSpecificConfig(header.payload);
    expect(asc.sampleRate).toBe(48000);
    expect(asc.channels).toBe(2);
    expect(media.length).toBeGreaterThan(80);
    expect(Math.abs(media[0].pts - start)).toBeLessThanOrEqual(30);
    expect(media.every((p, i) => i === 0 || p.pts > media[i - 1].pts)).toBe(true);
  });

  it('says so when there is no ffmpeg, and the stream goes on with its own audio', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const source = newSource();
      source.expectTranscodedAac();
      const opus = new OggPacketReader().push(encodedToneOrEmpty()).map((p) => p.data);
      source.push(audio('opus', 0, opus[0] ?? Buffer.alloc(0), true));
      expect(source.track('audio')).toBeUndefined();
      const jobs = new FfmpegJobs({ configuredPath: '/nonexistent/ffmpeg' }, logger);
      const reasons: string[] = [];
      const transcoder = new TrackTranscoder({
        source,
        pipe: OPUS_TO_AAC,
        jobs,
        bitrate: 64_000,
        logger,
        onUnavailable: (reason) => {
          reasons.push(reason);
          source.acceptContainerOpus();
        },
      });
      cleanups.push(() => transcoder.stop());
      transcoder.start();
      const deadline = Date.now() + 3000;
      while (reasons.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reasons[0]).toMatch(/ffmpeg not found.*apt-get install ffmpeg/);
      expect(source.track('audio')?.codec).toBe('opus');
    } finally {
      process.env.PATH = path;
    }
  });
});

/** An Ogg Opus tone made before PATH is emptied (cached). */
let toneCache: Buffer | undefined;
function encodedToneOrEmpty(): Buffer {
  return toneCache ?? Buffer.alloc(0);
}
