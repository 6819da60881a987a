import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abortMessage,
  acknowledgement,
  parseUserControl,
  pingRequest,
  pingResponse,
  readControlValue,
  setBufferLength,
  setChunkSize,
  setPeerBandwidth,
  streamBegin,
  streamDry,
  streamEof,
  streamIsRecorded,
  windowAckSize,
} from './control-messages.js';
import { RtmpError } from './message.js';

const hex = (m: { payload: Buffer }) => m.payload.toString('hex');

describe('protocol and user control messages (RTMP 1.0 5.4, 7.1.7)', () => {
  it('builds protocol control messages on stream 0 with their type ids', () => {
    expect(setChunkSize(4096)).toEqual({
      typeId: 1,
      streamId: 0,
      timestamp: 0,
      payload: Buffer.from('00001000', 'hex'),
    });
    expect(hex(setChunkSize(0xffffffff))).toBe('7fffffff'); // the first bit must be 0
    expect([abortMessage(6).typeId, hex(abortMessage(6))]).toEqual([2, '00000006']);
    expect([acknowledgement(2 ** 32 + 5).typeId, hex(acknowledgement(2 ** 32 + 5))]).toEqual([3, '00000005']);
    expect([windowAckSize(2_500_000).typeId, hex(windowAckSize(2_500_000))]).toEqual([5, '002625a0']);
    expect([setPeerBandwidth(2_500_000).typeId, hex(setPeerBandwidth(2_500_000))]).toEqual([6, '002625a002']);
    expect(hex(setPeerBandwidth(1, 0))).toBe('0000000100');
    expect(readControlValue(windowAckSize(77))).toBe(77);
    expect(() => readControlValue({ ...windowAckSize(1), payload: Buffer.alloc(3) })).toThrow(RtmpError);
  });

  it('builds user control events as type 4: event u16, then u32 data', () => {
    expect(streamBegin(1).typeId).toBe(4);
    expect(hex(streamBegin(1))).toBe('000000000001');
    expect(hex(streamEof(1))).toBe('000100000001');
    expect(hex(streamDry(1))).toBe('000200000001');
    expect(hex(setBufferLength(1, 3000))).toBe('00030000000100000bb8');
    expect(hex(streamIsRecorded(1))).toBe('000400000001');
    expect(hex(pingRequest(99))).toBe('000600000063');
    expect(hex(pingResponse(99))).toBe('000700000063');
  });

  it('parses every user control event it builds', () => {
    expect(parseUserControl(streamBegin(3).payload)).toEqual({ type: 'stream-begin', streamId: 3 });
    expect(parseUserControl(streamEof(3).payload)).toEqual({ type: 'stream-eof', streamId: 3 });
    expect(parseUserControl(streamDry(3).payload)).toEqual({ type: 'stream-dry', streamId: 3 });
    expect(parseUserControl(streamIsRecorded(3).payload)).toEqual({ type: 'stream-is-recorded', streamId: 3 });
    expect(parseUserControl(setBufferLength(3, 500).payload)).toEqual({
      type: 'set-buffer-length',
      streamId: 3,
      bufferMs: 500,
    });
    expect(parseUserControl(pingRequest(7).payload)).toEqual({ type: 'ping-request', timestamp: 7 });
    expect(parseUserControl(pingResponse(7).payload)).toEqual({ type: 'ping-response', timestamp: 7 });
    expect(parseUserControl(Buffer.from('001a0102', 'hex'))).toEqual({
      type: 'unknown',
      event: 26,
      data: Buffer.from([1, 2]),
    });
  });

  it('refuses short events with RtmpError and nothing else, whatever the bytes', () => {
    expect(() => parseUserControl(Buffer.from([0]))).toThrow(RtmpError);
    expect(() => parseUserControl(Buffer.from('0003000000010000', 'hex'))).toThrow(RtmpError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        try {
          parseUserControl(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(RtmpError);
        }
      }),
    );
  });
});
