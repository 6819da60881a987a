import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitAdtsFrames } from '../../server-core/codec/aac/adts.js';
import { AAC_ADTS, H264_ANNEXB } from '../../server-core/codec/mpegts/fixtures.js';
import { TS_CLOCK_HZ, TsDemuxer, TsMuxer } from '../../server-core/codec/mpegts/index.js';
import {
  aacFixture,
  h264Fixture,
  hevcFixture,
  muxInterleaved,
  pesEvents,
} from '../../server-core/codec/mpegts/test-support.js';
import { splitAnnexB } from '../../server-core/codec/nal/annexb.js';
import { buildOpusHead } from '../../server-core/codec/opus/opus-head.js';
import { probe } from './support/ffmpeg.js';
import { runProcess } from './support/run-process.js';

/** The MPEG-TS muxer and demuxer against ffmpeg: what we write, ffprobe reads and decodes; what ffmpeg writes, we read. */
const hasFfmpeg = ['ffprobe', 'ffmpeg'].every((tool) => spawnSync(tool, ['-version']).status === 0);
const FRAME = TS_CLOCK_HZ / 25;
const dir = mkdtempSync(join(tmpdir(), 'tally-mpegts-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasFfmpeg)('MPEG-TS with ffmpeg', () => {
  it('ffprobe reads H.264 + AAC from our muxer and decodes every frame', async () => {
    const h264 = h264Fixture();
    const aac = aacFixture();
    const muxer = new TsMuxer({
      video: { codec: 'h264', config: h264.config },
      audio: { codec: 'aac', config: aac.config },
    });
    const video = h264.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    const audio = aac.frames.map((f, i) => ({
      pts: Math.round((i * 1024 * TS_CLOCK_HZ) / aac.sampleRate),
      frames: [f],
    }));
    const file = join(dir, 'h264-aac.ts');
    writeFileSync(file, Buffer.concat(muxInterleaved(muxer, video, audio)));

    const streams = await probe(file, ['-count_frames']);
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(streams[0]).toMatchObject({ width: 128, height: 72, nb_read_frames: String(video.length) });
    expect(streams[1]).toMatchObject({ sample_rate: String(aac.sampleRate), channels: 1 });
    const decoded = await runProcess('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], 20_000);
    expect(decoded.code).toBe(0);
    expect(decoded.stderr).toBe('');
  });

  it('ffprobe reads HEVC + Opus from our muxer', async () => {
    const hevc = hevcFixture();
    const head = buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 });
    const muxer = new TsMuxer({
      video: { codec: 'hevc', config: hevc.config },
      audio: { codec: 'opus', config: head },
    });
    const video = hevc.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    // 20 ms CELT frames with no coded data (TOC only): valid packets a decoder conceals.
    const audio = Array.from({ length: 16 }, (_, i) => ({ pts: i * 1800, frames: [Buffer.from([0xfc])] }));
    const file = join(dir, 'hevc-opus.ts');
    writeFileSync(file, Buffer.concat(muxInterleaved(muxer, video, audio)));

    const streams = await probe(file, ['-count_frames']);
    expect(streams.map((s) => s.codec_name)).toEqual(['hevc', 'opus']);
    expect(streams[0]).toMatchObject({ width: 128, height: 72, nb_read_frames: String(video.length) });
    expect(streams[1]).toMatchObject({ sample_rate: '48000', channels: 2 });
  });

  it('our demuxer reads the access units and frames ffmpeg muxes', async () => {
    const videoFile = join(dir, 'in.h264');
    const audioFile = join(dir, 'in.aac');
    const file = join(dir, 'ffmpeg.ts');
    writeFileSync(videoFile, H264_ANNEXB);
    writeFileSync(audioFile, AAC_ADTS);
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const args = ['-v', 'error', '-y', '-r', '25', '-i', videoFile, '-i', audioFile, '-c', 'copy', '-f', 'mpegts', file];
    expect((await runProcess('ffmpeg', args, 20_000)).code).toBe(0);

    const demuxer = new TsDemuxer();
    const events = [...demuxer.push(readFileSync(file)), ...demuxer.flush()];
    expect(demuxer.continuityErrors).toBe(0);
    const streams = events.find((e) => e.type === 'streams');
    expect(streams?.type === 'streams' && streams.streams.map((s) => s.codec)).toEqual(['h264', 'aac']);

    const h264 = h264Fixture();
    const video = pesEvents(events).filter((e) => e.codec === 'h264');
    expect(video.map((e) => splitAnnexB(e.data).filter((n) => (n[0] & 0x1f) !== 9))).toEqual(
      h264.units.map((u) => u.nals),
    );
    expect(video.map((e) => e.randomAccess)).toEqual(h264.units.map((u) => u.keyframe));
    const pts = video.map((e) => e.pts!);
    expect(pts.slice(1).map((p, i) => p - pts[i])).toEqual(pts.slice(1).map(() => FRAME));

    const audio = pesEvents(events).filter((e) => e.codec === 'aac');
    expect(audio.flatMap((e) => splitAdtsFrames(e.data).frames)).toEqual(aacFixture().frames);
  });
});
