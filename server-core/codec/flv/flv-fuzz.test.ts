import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmfEcmaArray, AmfError } from '../amf/amf-value.js';
import { decodeAmf0 } from '../amf/amf0-decoder.js';
import { encodeAmf0 } from '../amf/amf0-encoder.js';
import { validateCodecConfig } from '../config-validation.js';
import { type Field, mutated } from '../fuzz/mutations.test-support.js';
import { onlyTyped } from '../fuzz/typed-errors.test-support.js';
import { aacFixture, h264Fixture, hevcFixture } from '../mpegts/test-support.js';
import { buildOpusHead } from '../opus/opus-head.js';
import { parseAudioTagBody, writeAudioTagBody } from './audio-tag.js';
import { FlvError } from './flv-error.js';
import { FLV_HEADER_SIZE, writeFlvHeader } from './header.js';
import { stripSetDataFrame } from './script-tag.js';
import { FlvStreamReader, type FlvTag } from './tag-reader.js';
import { FLV_TAG_HEADER_SIZE, writeFlvTag } from './tag-writer.js';
import { parseVideoTagBody, writeVideoTagBody } from './video-tag.js';

const h264 = h264Fixture();
const hevc = hevcFixture();
const aac = aacFixture();
const RUNS = { numRuns: 250 };

/** What an RTMP publisher's FLV looks like: metadata, sequence headers, then frames, legacy and enhanced. */
const STREAM = Buffer.concat([
  writeFlvHeader({ hasAudio: true, hasVideo: true }),
  writeFlvTag(
    18,
    0,
    encodeAmf0(['@setDataFrame', 'onMetaData', new AmfEcmaArray({ width: 128, height: 72, videocodecid: 7 })]),
  ),
  writeFlvTag(
    9,
    0,
    writeVideoTagBody({
      codec: 'h264',
      keyframe: true,
      packet: 'sequence-header',
      compositionTime: 0,
      data: h264.config,
    }),
  ),
  writeFlvTag(8, 0, writeAudioTagBody({ codec: 'aac', packet: 'sequence-header', data: aac.config })),
  writeFlvTag(
    9,
    0,
    writeVideoTagBody({
      codec: 'h264',
      keyframe: true,
      packet: 'coded-frames',
      compositionTime: 40,
      data: h264.units[0].data,
    }),
  ),
  writeFlvTag(8, 23, writeAudioTagBody({ codec: 'aac', packet: 'coded-frames', data: aac.frames[0] })),
  writeFlvTag(
    9,
    40,
    writeVideoTagBody({
      codec: 'hevc',
      keyframe: true,
      packet: 'sequence-header',
      compositionTime: 0,
      data: hevc.config,
    }),
  ),
  writeFlvTag(
    8,
    46,
    writeAudioTagBody({
      codec: 'opus',
      packet: 'sequence-header',
      data: buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 }),
    }),
  ),
]);

/** Tag headers of STREAM (E.4.1): type, data size, timestamps, and each PreviousTagSize. */
function tagFields(stream: Buffer): Field[] {
  const fields: Field[] = [
    { name: 'signature', offset: 0, size: 3 },
    { name: 'flags', offset: 4, size: 1 },
    { name: 'data offset', offset: 5, size: 4 },
  ];
  for (let at = FLV_HEADER_SIZE, i = 1; at + FLV_TAG_HEADER_SIZE <= stream.length; i++) {
    const size = stream.readUIntBE(at + 1, 3);
    fields.push(
      { name: `tag ${i} type`, offset: at, size: 1 },
      { name: `tag ${i} data size`, offset: at + 1, size: 3 },
      { name: `tag ${i} timestamp`, offset: at + 4, size: 3 },
      { name: `tag ${i} body byte 0`, offset: at + FLV_TAG_HEADER_SIZE, size: 1 },
      { name: `tag ${i} body byte 1`, offset: at + FLV_TAG_HEADER_SIZE + 1, size: 1 },
      { name: `tag ${i} PreviousTagSize`, offset: at + FLV_TAG_HEADER_SIZE + size, size: 4 },
    );
    at += FLV_TAG_HEADER_SIZE + size + 4;
  }
  return fields;
}

/** Reads a stream in the given chunks; FlvError stops it (what a connection would do). */
function readAll(stream: Buffer, cuts: readonly number[], how: string): FlvTag[] | undefined {
  const reader = new FlvStreamReader();
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  return onlyTyped(FlvError, how, () => {
    const tags: FlvTag[] = [];
    let last = 0;
    for (const p of [...points, stream.length]) {
      tags.push(...reader.push(stream.subarray(last, p)));
      last = p;
    }
    return tags;
  });
}

/** What a server does with each tag: parse the body, check a sequence header, decode script data. */
function handleTag(tag: FlvTag, how: string): void {
  if (tag.tagType === 9 || tag.tagType === 8) {
    const parsed = onlyTyped(FlvError, how, () =>
      tag.tagType === 9 ? parseVideoTagBody(tag.body) : parseAudioTagBody(tag.body),
    );
    if (parsed?.packet === 'sequence-header') {
      const verdict = validateCodecConfig(parsed.codec, parsed.data);
      if (!verdict.ok) expect(verdict.reason, how).not.toMatch(/unreadable \(/);
    }
  } else if (tag.tagType === 18) {
    onlyTyped(AmfError, how, () => decodeAmf0(stripSetDataFrame(tag.body)));
  }
}

describe('FLV reader on mutated valid streams (fast-check)', () => {
  it('the stream is valid to begin with', () => {
    const tags = readAll(STREAM, [], 'original') ?? [];
    expect(tags.map((t) => t.tagType)).toEqual([18, 9, 8, 9, 8, 9, 8]);
    for (const tag of tags) handleTag(tag, 'original');
  });

  it('throws only FlvError, reads the same in any split, and every tag is handled without untyped errors', () => {
    fc.assert(
      fc.property(mutated(STREAM, tagFields(STREAM)), fc.array(fc.nat(), { maxLength: 4 }), ({ bytes, how }, cuts) => {
        const whole = readAll(bytes, [], how);
        const split = readAll(bytes, cuts, `${how}, split at ${cuts}`);
        if (whole && split) {
          expect(
            split.map((t) => [t.tagType, t.timestamp, t.body.toString('hex')]),
            how,
          ).toEqual(whole.map((t) => [t.tagType, t.timestamp, t.body.toString('hex')]));
        }
        for (const tag of whole ?? []) handleTag(tag, how);
      }),
      RUNS,
    );
  });

  it('tag bodies: mutated sequence headers and frames throw only FlvError', () => {
    const bodies = (readAll(STREAM, [], 'original') ?? []).filter((t) => t.tagType !== 18).map((t) => t.body);
    fc.assert(
      fc.property(fc.constantFrom(...bodies).chain(mutated), ({ bytes, how }) => {
        handleTag({ tagType: 9, timestamp: 0, body: bytes }, how);
        handleTag({ tagType: 8, timestamp: 0, body: bytes }, how);
      }),
      RUNS,
    );
  });
});
