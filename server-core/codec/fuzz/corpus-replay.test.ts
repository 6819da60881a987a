import { describe, expect, it } from 'vitest';
import { splitAdtsFrames } from '../aac/adts.js';
import { validateCodecConfig } from '../config-validation.js';
import { DEFAULT_AUDIO_PID } from '../mpegts/constants.js';
import { TsMuxer } from '../mpegts/muxer.js';
import { demux, pesEvents } from '../mpegts/test-support.js';
import { TsError } from '../mpegts/ts-error.js';
import { onlyTyped } from './typed-errors.test-support.js';

/** One input that once got through or broke something (codec/fuzz-corpus/<what-it-is>.json). */
interface CorpusEntry {
  what: string;
  /** How it failed before it was added. */
  found: string;
  codec: string;
  /** Hex: the sequence header. */
  config: string;
  /** Hex: a 4-byte length-prefixed access unit, muxed after the config. */
  accessUnit?: string;
  accessUnitOutcome?: 'TsError' | 'skipped' | 'muxed';
  /** Hex: one raw AAC frame, muxed after the config; it must come out decodable on its own. */
  audioFrame?: string;
  expect: { ok: true } | { ok: false; reason: string };
}

declare global {
  interface ImportMeta {
    /** Vite's import.meta.glob, which vitest resolves at transform time (no fs import in codec/). */
    glob<T>(pattern: string, options: { eager: true; import: 'default' }): Record<string, T>;
  }
}

const corpus = import.meta.glob<CorpusEntry>('../fuzz-corpus/*.json', { eager: true, import: 'default' });
const entries = Object.entries(corpus).map(([path, entry]) => ({ name: path.replace(/^.*\/|\.json$/g, ''), entry }));
const MUXED = new Set(['h264', 'hevc', 'aac', 'opus']);

describe('fuzz corpus replay', () => {
  it('holds the inputs found so far', () => {
    expect(entries.length).toBeGreaterThanOrEqual(20);
  });

  for (const { name, entry } of entries) {
    it(`${name}: ${entry.what}`, () => {
      const config = Buffer.from(entry.config, 'hex');
      const verdict = validateCodecConfig(entry.codec, config);
      expect(verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason }).toEqual(entry.expect);
      if (!MUXED.has(entry.codec)) return;

      const isVideo = entry.codec === 'h264' || entry.codec === 'hevc';
      const make = () =>
        isVideo
          ? new TsMuxer({ video: { codec: entry.codec as 'h264' | 'hevc', config } })
          : new TsMuxer({ audio: { codec: entry.codec as 'aac' | 'opus', config } });
      const muxer = onlyTyped(TsError, name, make);
      if (!verdict.ok) {
        expect(muxer, 'the muxer must refuse what the validator refuses').toBeUndefined();
        expect(make).toThrowError(new TsError('TS_BAD_INPUT', verdict.reason));
        return;
      }
      expect(muxer).toBeDefined();
      if (muxer && verdict.info.checked && verdict.info.codec === 'aac' && entry.audioFrame !== undefined) {
        // ADTS frames whose header says what the config says, channel configuration 0 with its PCE first.
        const frame = Buffer.from(entry.audioFrame, 'hex');
        const [pes] = pesEvents(demux(muxer.writeAudio({ pts: 0, data: frame })), DEFAULT_AUDIO_PID);
        const { config: header, frames } = splitAdtsFrames(pes.data);
        const asc = verdict.info.asc;
        expect(header.channelConfiguration).toBe(asc.channelConfiguration);
        expect(frames).toEqual([Buffer.concat([asc.programConfigElement ?? Buffer.alloc(0), frame])]);
      }
      if (!muxer || !isVideo || entry.accessUnit === undefined) return;
      const data = Buffer.from(entry.accessUnit, 'hex');
      const out = onlyTyped(TsError, name, () => muxer.writeVideo({ dts: 0, pts: 0, keyframe: true, data }));
      const outcome = out === undefined ? 'TsError' : out.length === 0 ? 'skipped' : 'muxed';
      expect(outcome).toBe(entry.accessUnitOutcome);
    });
  }
});
