import { z } from 'zod';
import { isValidStreamName } from '../../hub/stream-key.js';

/** Config of the features run as ffmpeg jobs: virtual live, transcode profiles (ABR ladders), thumbnails. */

const streamName = z.string().refine(isValidStreamName, { message: 'use 1-256 letters, digits and _ - . ~ /' });
const featureName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'use 1-64 letters, digits, _ and -' })
  .describe('A short name (letters, digits, _ and -).');

const virtualLiveSource = z
  .object({
    name: featureName,
    input: z
      .string()
      .min(1)
      .describe('A video file, or a URL ffmpeg reads: http(s):// (HLS, MP4), rtsp://, rtmp://, srt://.'),
    app: streamName.default('live').describe('The app the stream is published under.'),
    stream: streamName.describe('The stream name it is published as.'),
    loop: z.boolean().default(true).describe('Start again at the end (files only; a live URL is read once).'),
    autostart: z.boolean().default(false).describe('Start with the server (else from the app or the API).'),
    mode: z
      .enum(['auto', 'copy', 'encode'])
      .default('auto')
      .describe('auto: copy H.264/AAC as they are, encode anything else; copy: never encode; encode: always.'),
    videoKbps: z.number().int().min(100).max(50_000).default(2500).describe('Video bitrate when encoding.'),
  })
  .strict();

export const virtualLiveSchema = z
  .object({
    sources: z
      .array(virtualLiveSource)
      .max(64)
      .default([])
      .refine((list) => new Set(list.map((s) => s.name)).size === list.length, { message: 'names must differ' })
      .describe('Files and URLs turned into live streams (SRS ingest, Oryx virtual live).'),
  })
  .strict()
  .prefault({});

const rendition = z
  .object({
    name: featureName.describe('Suffix of the rendition stream: `{stream}_{name}` (e.g. 720p).'),
    height: z
      .number()
      .int()
      .min(0)
      .max(4320)
      .describe('Picture height; the width follows the source aspect ratio. 0: the source itself, not re-encoded.'),
    videoKbps: z.number().int().min(50).max(50_000).default(1500).describe('Video bitrate of this rendition.'),
  })
  .strict();

const profile = z
  .object({
    name: featureName,
    renditions: z
      .array(rendition)
      .min(1)
      .max(8)
      .refine((list) => new Set(list.map((r) => r.name)).size === list.length, { message: 'names must differ' }),
  })
  .strict();

const profileUse = z
  .object({
    app: streamName.default('live'),
    stream: z.string().min(1).describe('A stream name, or * for every stream of the app.'),
    profile: featureName.describe('The transcode profile to run while the stream is live.'),
  })
  .strict();

export const transcodeSchema = z
  .object({
    profiles: z
      .array(profile)
      .max(32)
      .default([
        {
          name: 'abr',
          renditions: [
            { name: 'source', height: 0, videoKbps: 4000 },
            { name: '720p', height: 720, videoKbps: 2800 },
            { name: '480p', height: 480, videoKbps: 1200 },
            { name: '360p', height: 360, videoKbps: 700 },
          ],
        },
      ])
      .describe('Adaptive bitrate ladders: the renditions one ffmpeg process makes of a stream.'),
    streams: z
      .array(profileUse)
      .max(256)
      .default([])
      .describe('Which streams run which profile; their HLS playlist becomes a master playlist over the renditions.'),
    preset: z
      .enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'])
      .default('veryfast')
      .describe('libx264 preset of the renditions (faster uses less CPU for a little more bitrate).'),
    audioKbps: z.number().int().min(16).max(512).default(128).describe('AAC bitrate when audio must be encoded.'),
  })
  .strict()
  .superRefine((value, ctx) => {
    const names = new Set(value.profiles.map((p) => p.name));
    value.streams.forEach((use, i) => {
      if (!names.has(use.profile)) {
        ctx.addIssue({ code: 'custom', path: ['streams', i, 'profile'], message: `no profile "${use.profile}"` });
      }
    });
  })
  .prefault({});

export const thumbnailsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Make JPEG snapshots of streams while someone asks for them.'),
    width: z.number().int().min(32).max(1920).default(320).describe('Snapshot width; the height keeps the ratio.'),
    quality: z.number().int().min(2).max(31).default(6).describe('JPEG quality as ffmpeg -q:v (2 best, 31 worst).'),
    idleStopMs: z
      .number()
      .int()
      .min(1000)
      .max(3_600_000)
      .default(30_000)
      .describe('A stream whose snapshot nobody asked for this long stops its snapshot job.'),
    firstFrameTimeoutMs: z
      .number()
      .int()
      .min(500)
      .max(60_000)
      .default(8000)
      .describe('How long the first request of a stream waits for its first snapshot.'),
    maxStreams: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(16)
      .describe('At most this many streams make snapshots at once (each is one small ffmpeg process).'),
  })
  .strict()
  .prefault({});
