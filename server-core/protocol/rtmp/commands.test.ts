import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmfError, encodeAmf0 } from '../../codec/amf/index.js';
import { decodeCommand, encodeCommand, errorCommand, onBWDone, onStatus, resultCommand } from './commands.js';
import { RtmpError } from './message.js';

describe('command messages (RTMP 1.0 7.1.1, 7.2)', () => {
  it('decodes a type 20 command into name, transaction id, command object and arguments', () => {
    const payload = encodeAmf0(['publish', 5, null, 'cam?key=1', 'live']);
    expect(decodeCommand({ typeId: 20, streamId: 1, timestamp: 0, payload })).toEqual({
      name: 'publish',
      transactionId: 5,
      commandObject: null,
      args: ['cam?key=1', 'live'],
    });
  });

  it('decodes a type 17 command: format byte 0x00, then AMF0 that may switch to AMF3', () => {
    // 0x00 | "connect" | 1 | avmplus 0x11 + AMF3 object { app: "live" }
    const amf3Object = [0x11, 0x0a, 0x0b, 0x01, 0x07, ...Buffer.from('app'), 0x06, 0x09, ...Buffer.from('live'), 0x01];
    const payload = Buffer.concat([Buffer.from([0x00]), encodeAmf0(['connect', 1]), Buffer.from(amf3Object)]);
    expect(decodeCommand({ typeId: 17, streamId: 0, timestamp: 0, payload })).toEqual({
      name: 'connect',
      transactionId: 1,
      commandObject: { app: 'live' },
      args: [],
    });
  });

  it('round-trips encodeCommand -> decodeCommand in both message types', () => {
    const cmd = { name: 'play', transactionId: 4, commandObject: null, args: ['cam', -2, -1, true] };
    for (const typeId of [20, 17] as const) {
      const message = encodeCommand(cmd, 1, typeId);
      expect(message.typeId).toBe(typeId);
      expect(message.streamId).toBe(1);
      expect(decodeCommand(message)).toEqual(cmd);
    }
  });

  it('builds _result, _error, onStatus and onBWDone', () => {
    expect(decodeCommand(resultCommand(3, null, 1))).toEqual({
      name: '_result',
      transactionId: 3,
      commandObject: null,
      args: [1],
    });
    expect(decodeCommand(errorCommand(3, 'NetConnection.Call.Failed', 'no')).args[0]).toEqual({
      level: 'error',
      code: 'NetConnection.Call.Failed',
      description: 'no',
    });
    const status = onStatus(1, 'status', 'NetStream.Play.Start', 'go', { details: 'cam' });
    expect(status.streamId).toBe(1);
    expect(decodeCommand(status)).toEqual({
      name: 'onStatus',
      transactionId: 0,
      commandObject: null,
      args: [{ level: 'status', code: 'NetStream.Play.Start', description: 'go', details: 'cam' }],
    });
    expect(decodeCommand(onBWDone()).name).toBe('onBWDone');
  });

  it('turns undecodable commands into RtmpError, never AmfError or anything else', () => {
    const bad = (payload: Buffer) => () => decodeCommand({ typeId: 20, streamId: 0, timestamp: 0, payload });
    expect(bad(encodeAmf0([1, 2]))).toThrow(RtmpError);
    expect(bad(Buffer.alloc(0))).toThrow(RtmpError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(17, 20), (bytes, typeId) => {
        try {
          decodeCommand({ typeId, streamId: 0, timestamp: 0, payload: Buffer.from(bytes) });
        } catch (error) {
          expect(error).toBeInstanceOf(RtmpError);
          expect(error).not.toBeInstanceOf(AmfError);
        }
      }),
    );
  });
});
