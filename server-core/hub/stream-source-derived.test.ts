import { describe, expect, it } from 'vitest';
import type { MediaPacket } from './media-packet.js';
import { type PacketSubscriber, StreamSource } from './stream-source.js';
import { audio, header, MemorySink, nextTurn, sourceOptions, video } from './test-support.js';
import type { SharedPacket, WireFormat } from './wire-format.js';

const key = { vhost: '__defaultVhost__', app: 'live', stream: 's' };
const publisher = { cid: 'pub', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };
const info = (cid: string) => ({ cid, protocol: 'test', ip: '127.0.0.1' });

/** Labels packets with their codec so a reader's bytes show which track it got. */
function codecFormat(id: string, audioCodecs?: WireFormat['audioCodecs']): WireFormat {
  return {
    id,
    audioCodecs,
    encode: (shared) =>
      Buffer.from(`${shared.packet.codec}${shared.packet.sequenceHeader ? 'h' : ''}${shared.packet.dts};`),
  };
}

const OPUS_HEAD = Buffer.from('4f707573486561640102380180bb0000000000', 'hex');

function opus(dts: number, sequenceHeader = false, track = 2): MediaPacket {
  return {
    track,
    kind: 'audio',
    codec: 'opus',
    dts,
    pts: dts,
    keyframe: false,
    sequenceHeader,
    payload: sequenceHeader ? OPUS_HEAD : Buffer.from([0xfc, 1, 2]),
  };
}

function aacOn(track: number, dts: number, sequenceHeader = false): MediaPacket {
  const base = sequenceHeader ? header('audio') : audio(dts);
  return { ...base, track, dts, pts: dts };
}

class Recorder implements PacketSubscriber {
  readonly seen: string[] = [];
  constructor(readonly audioCodecs?: PacketSubscriber['audioCodecs']) {}
  onPacket(shared: SharedPacket): void {
    if (shared.packet.kind === 'audio') this.seen.push(shared.packet.codec);
  }
}

describe('StreamSource with a transcoded audio track', () => {
  it('gives containers the AAC and Opus consumers the Opus made from it', async () => {
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    source.push(header('video'));
    source.push(header('audio'));
    source.push(video(0, true));
    source.pushDerived(opus(0, true, 102));
    const flv = new MemorySink();
    const rtp = new MemorySink();
    source.addReader(codecFormat('container'), info('flv'), flv);
    source.addReader(codecFormat('rtp', ['opus']), info('rtp'), rtp);
    const containerSubscriber = new Recorder();
    const opusSubscriber = new Recorder(['opus']);
    source.subscribe(containerSubscriber);
    source.subscribe(opusSubscriber);
    await nextTurn();
    source.push(audio(10));
    source.pushDerived(opus(10, false, 102));
    await nextTurn();
    expect(flv.text()).toBe('h264h0;aach0;h2640;aac10;');
    expect(rtp.text()).toBe('h264h0;opush0;h2640;opus10;');
    expect(containerSubscriber.seen).toEqual(['aac']);
    expect(opusSubscriber.seen).toEqual(['opus']);
    expect(source.track('audio')?.codec).toBe('aac');
    expect(source.track('audio', ['opus'])?.id).toBe(102);
  });

  it("holds containers back from a WHIP publisher's Opus until its AAC transcode arrives", async () => {
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    source.expectTranscodedAac();
    source.push(header('video'));
    source.push(opus(0, true));
    source.push(video(0, true));
    const flv = new MemorySink();
    source.addReader(codecFormat('container'), info('flv'), flv);
    await nextTurn();
    source.push(opus(20));
    await nextTurn();
    expect(flv.text()).toBe('h264h0;h2640;');
    source.pushDerived(aacOn(102, 0, true));
    source.pushDerived(aacOn(102, 20));
    await nextTurn();
    expect(flv.text()).toBe('h264h0;h2640;aach0;aac20;');
    expect(source.snapshot().headers.map((h) => h.packet.codec)).toEqual(['h264', 'aac']);
    expect(source.snapshot(['opus']).headers.map((h) => h.packet.codec)).toEqual(['h264', 'opus']);
  });

  it('refuses derived packets on a track the publisher sends, and forgets derived tracks with the publisher', () => {
    const source = new StreamSource(key, publisher, sourceOptions({ now: 0 }));
    source.push(header('audio'));
    source.pushDerived(opus(0, true, 2));
    expect(source.track('audio', ['opus'])).toBeUndefined();
    source.pushDerived(opus(0, true, 102));
    expect(source.track('audio', ['opus'])?.id).toBe(102);
    source.detachPublisher();
    source.attachPublisher(publisher);
    expect(source.track('audio', ['opus'])).toBeUndefined();
  });
});
