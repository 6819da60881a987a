import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmfEcmaArray, type AmfValue, encodeAmf0 } from '../../codec/amf/index.js';
import { ChunkReader } from './chunk-reader.js';
import { encodeMessageChunks } from './chunk-writer.js';
import { command, decodeCommand, type RtmpCommand } from './commands.js';
import { abortMessage, parseUserControl, pingRequest, setChunkSize, windowAckSize } from './control-messages.js';
import { RtmpClientHandshake } from './handshake.js';
import { HANDSHAKE_SIZE } from './handshake-digest.js';
import { RtmpError, type RtmpMessage } from './message.js';
import { type RtmpServerEvent, RtmpServerSession, type RtmpServerSessionOptions } from './server-session.js';

/** Plays the client by hand: raw commands in, the server's bytes decoded back into messages. */
class HandClient {
  readonly server: RtmpServerSession;
  readonly reader = new ChunkReader();
  chunkSize = 128;

  constructor(options?: RtmpServerSessionOptions) {
    this.server = new RtmpServerSession(options);
    const handshake = new RtmpClientHandshake();
    const s0s1s2 = this.server.push(handshake.start(), 0);
    const c2 = handshake.push(sent(s0s1s2));
    expect(this.server.push(Buffer.concat(c2.send), 0)).toEqual([]);
  }

  push(bytes: Buffer): RtmpServerEvent[] {
    return this.server.push(bytes, 0);
  }

  send(message: RtmpMessage, csid = 3): RtmpServerEvent[] {
    return this.push(encodeMessageChunks(message, this.chunkSize, csid));
  }

  command(name: string, transactionId: number, args: AmfValue[] = [], streamId = 0, object: AmfValue = null) {
    return this.send(command(name, transactionId, object, args, streamId), streamId === 0 ? 3 : 8);
  }

  connect(app = 'live'): RtmpServerEvent[] {
    return this.command('connect', 1, [], 0, { app, tcUrl: `rtmp://localhost:1935/${app}` });
  }

  /** Messages the server sent, as the client reads them. */
  read(from: RtmpServerEvent[] | Buffer): RtmpMessage[] {
    return this.reader.push(Array.isArray(from) ? sent(from) : from);
  }

  commands(from: RtmpServerEvent[] | Buffer): RtmpCommand[] {
    return this.read(from)
      .filter((m) => m.typeId === 20)
      .map(decodeCommand);
  }
}

const sent = (events: RtmpServerEvent[]) => Buffer.concat(events.flatMap((e) => (e.type === 'send' ? [e.bytes] : [])));
const notSent = (events: RtmpServerEvent[]) => events.filter((e) => e.type !== 'send');
const codes = (cmds: RtmpCommand[]) =>
  cmds.map((c) => `${c.name} ${(c.args[0] as { code?: string })?.code ?? ''}`.trim());

describe('RtmpServerSession', () => {
  it('answers a connect from OBS (bytes written out from RTMP 1.0 5.3.1 and 7.2.1.1) and reports it after', () => {
    const str = (text: string) => [0x02, text.length >> 8, text.length & 0xff, ...Buffer.from(text)];
    const key = (text: string) => [text.length >> 8, text.length & 0xff, ...Buffer.from(text)];
    const body = Buffer.from([
      ...str('connect'),
      ...[0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0], // transaction id 1
      0x03,
      ...key('app'),
      ...str('live?secret=abc'),
      ...key('type'),
      ...str('nonprivate'),
      ...key('flashVer'),
      ...str('FMLE/3.0 (compatible; FMSc/1.0)'),
      ...key('swfUrl'),
      ...str('rtmp://localhost:1935/live?secret=abc'),
      ...key('tcUrl'),
      ...str('rtmp://localhost:1935/live?secret=abc'),
      ...[0x00, 0x00, 0x09],
    ]);
    expect(body.length).toBe(0xcc);
    // fmt 0 csid 3 | timestamp 0 | length 0xcc | type 20 | stream 0, then 128 bytes, fmt 3 csid 3, the rest
    const header = Buffer.from([0x03, 0, 0, 0, 0x00, 0x00, 0xcc, 0x14, 0, 0, 0, 0]);
    const chunks = Buffer.concat([header, body.subarray(0, 128), Buffer.from([0xc3]), body.subarray(128)]);

    const client = new HandClient();
    expect(client.server.outChunkSize).toBe(128);
    const events = client.push(chunks);
    expect(events.map((e) => e.type)).toEqual(['send', 'send', 'connect']);
    expect(events[2]).toEqual({
      type: 'connect',
      app: 'live',
      tcUrl: 'rtmp://localhost:1935/live?secret=abc',
      connectQuery: 'secret=abc',
      commandObject: expect.objectContaining({ type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; FMSc/1.0)' }),
    });
    expect(client.server.outChunkSize).toBe(4096);
    const replies = client.read(events);
    expect(replies.slice(0, 3).map((m) => [m.typeId, m.payload.toString('hex')])).toEqual([
      [5, '002625a0'],
      [6, '002625a002'],
      [1, '00001000'],
    ]);
    const [result, bw] = replies.slice(3).map(decodeCommand);
    expect(result).toEqual({
      name: '_result',
      transactionId: 1,
      commandObject: { fmsVer: 'FMS/3,5,3,888', capabilities: 127, mode: 1 },
      args: [
        {
          level: 'status',
          code: 'NetConnection.Connect.Success',
          description: 'Connection succeeded.',
          objectEncoding: 0,
        },
      ],
    });
    expect(bw.name).toBe('onBWDone');
  });

  it('runs the FMLE publish flow: releaseStream, FCPublish, createStream, publish, accept, media, FCUnpublish', () => {
    const client = new HandClient({ chunkSize: 1000 });
    client.read(client.connect());
    expect(codes(client.commands(client.command('releaseStream', 2, ['cam'])))).toEqual(['_result']);
    expect(codes(client.commands(client.command('FCPublish', 3, ['cam'])))).toEqual(['_result']);
    const created = client.commands(client.command('createStream', 4));
    expect(created).toEqual([{ name: '_result', transactionId: 4, commandObject: null, args: [1] }]);

    const publish = client.command('publish', 5, ['cam?secret=x&y=1', 'live'], 1);
    expect(publish).toEqual([
      { type: 'publish', streamId: 1, streamName: 'cam', query: 'secret=x&y=1', publishType: 'live' },
    ]);
    const accepted = client.commands(client.server.acceptPublish(1));
    expect(codes(accepted)).toEqual(['onFCPublish NetStream.Publish.Start', 'onStatus NetStream.Publish.Start']);

    // The publisher raises its chunk size, then sends media, including an AMF3 data message and an extended time.
    client.send(setChunkSize(60_000), 2);
    client.chunkSize = 60_000;
    const video = { typeId: 9, streamId: 1, timestamp: 0x1000001, payload: Buffer.alloc(100_000, 7) };
    const audio = { typeId: 8, streamId: 1, timestamp: 40, payload: Buffer.from([0xaf, 1, 2]) };
    const meta = encodeAmf0(['@setDataFrame', 'onMetaData', new AmfEcmaArray({ width: 1280 })]);
    const media = [
      ...client.send(video, 6),
      ...client.send(audio, 4),
      ...client.send({ typeId: 15, streamId: 1, timestamp: 0, payload: Buffer.concat([Buffer.from([0]), meta]) }, 5),
      ...client.send({ typeId: 18, streamId: 1, timestamp: 0, payload: meta }, 5),
    ];
    expect(media).toEqual([
      { type: 'media', message: video },
      { type: 'media', message: audio },
      { type: 'media', message: { typeId: 18, streamId: 1, timestamp: 0, payload: meta } },
      { type: 'media', message: { typeId: 18, streamId: 1, timestamp: 0, payload: meta } },
    ]);

    const unpublish = client.command('FCUnpublish', 6, ['cam?secret=x&y=1']);
    expect(notSent(unpublish)).toEqual([{ type: 'unpublish', streamId: 1 }]);
    expect(codes(client.commands(unpublish))).toEqual([
      'onFCUnpublish NetStream.Unpublish.Success',
      '_result',
      'onStatus NetStream.Unpublish.Success',
    ]);
    expect(notSent(client.command('deleteStream', 7, [1]))).toEqual([]); // already unpublished
  });

  it('reports unpublish on deleteStream and closeStream of a publishing stream, close-stream for players', () => {
    const client = new HandClient();
    client.read(client.connect());
    client.command('createStream', 2);
    client.command('publish', 0, ['a'], 1);
    client.server.acceptPublish(1);
    expect(notSent(client.command('deleteStream', 3, [1]))).toEqual([{ type: 'unpublish', streamId: 1 }]);

    client.command('createStream', 4);
    client.command('publish', 0, ['b'], 2);
    expect(notSent(client.command('closeStream', 0, [], 2))).toEqual([{ type: 'unpublish', streamId: 2 }]);

    client.command('createStream', 5);
    client.command('play', 0, ['c'], 3);
    client.server.acceptPlay(3);
    expect(notSent(client.command('closeStream', 0, [], 3))).toEqual([{ type: 'close-stream', streamId: 3 }]);
    client.command('play', 0, ['c'], 3);
    expect(notSent(client.command('play', 0, [false], 3))).toEqual([{ type: 'close-stream', streamId: 3 }]);
  });

  it('runs the play flow: play event, acceptPlay, pause, playEnded', () => {
    const client = new HandClient();
    client.read(client.connect());
    client.command('createStream', 2);
    const play = client.command('play', 3, ['cam?token=t', 0], 1);
    expect(play).toEqual([{ type: 'play', streamId: 1, streamName: 'cam', query: 'token=t', start: 0 }]);
    // Already playing: an error status goes back, no second play starts, the session goes on.
    const again = client.command('play', 0, ['x'], 1);
    expect(again.map((e) => e.type)).toEqual(['send']);
    expect(client.server.isPending(1, 'play')).toBe(true);
  });

  it('holds at most a small message before a publish is admitted, and big media after', () => {
    const big = (size: number): RtmpMessage => ({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(size) });
    const early = new HandClient({ preAdmissionMaxMessageSize: 4096 });
    early.read(early.connect());
    // The header announces 1 MB: refused as soon as it is read, before any of the payload is held.
    const refused = early.push(encodeMessageChunks(big(1_000_000), 128, 6).subarray(0, 200));
    expect(refused).toEqual([expect.objectContaining({ type: 'error' })]);
    expect(early.server.bufferedBytes).toBeLessThan(4096);

    const admitted = new HandClient({ preAdmissionMaxMessageSize: 4096 });
    admitted.read(admitted.connect());
    admitted.command('createStream', 2);
    admitted.command('publish', 3, ['cam'], 1);
    admitted.server.acceptPublish(1);
    const media = admitted.send(big(1_000_000), 6);
    expect(media).toEqual([expect.objectContaining({ type: 'media' })]);
  });

  it('refuses a second publish or play on one connection, on any NetStream, without breaking the first', () => {
    const client = new HandClient();
    client.read(client.connect());
    client.command('createStream', 2);
    client.command('createStream', 3);
    expect(client.command('publish', 4, ['a'], 1)[0]).toMatchObject({ type: 'publish', streamName: 'a' });
    client.server.acceptPublish(1);
    const second = client.command('publish', 5, ['b'], 2);
    expect(second.map((e) => e.type)).toEqual(['send']);
    expect(second[0].type === 'send' && second[0].bytes.toString('latin1')).toContain('one publish or play');
    expect(client.command('play', 6, ['c'], 2).map((e) => e.type)).toEqual(['send']);
    // After unpublishing, the connection may publish again (OBS reconnects this way on some versions).
    expect(notSent(client.command('closeStream', 0, [], 1))).toEqual([{ type: 'unpublish', streamId: 1 }]);
    expect(client.command('publish', 7, ['b'], 2)[0]).toMatchObject({ type: 'publish', streamName: 'b' });
  });

  it('answers acceptPlay with StreamBegin, Play.Reset, Play.Start and sample access; then pause and end', () => {
    const client = new HandClient();
    client.read(client.connect());
    client.command('createStream', 2);
    expect(client.command('play', 3, ['cam'], 1)[0]).toMatchObject({ start: -2 });
    const messages = client.read(client.server.acceptPlay(1));
    expect(parseUserControl(messages[0].payload)).toEqual({ type: 'stream-begin', streamId: 1 });
    expect(codes(messages.slice(1, 3).map(decodeCommand))).toEqual([
      'onStatus NetStream.Play.Reset',
      'onStatus NetStream.Play.Start',
    ]);
    expect(messages.slice(1).every((m) => m.streamId === 1)).toBe(true);
    expect(messages[3].typeId).toBe(18);
    expect(messages[3].payload.includes('|RtmpSampleAccess')).toBe(true);

    expect(client.command('pause', 0, [true, 1500], 1)).toEqual([
      { type: 'pause', streamId: 1, paused: true, positionMs: 1500 },
    ]);
    const paused = client.read(client.server.pauseReply(1, true));
    expect(codes([decodeCommand(paused[0])])).toEqual(['onStatus NetStream.Pause.Notify']);
    expect(codes(client.commands(client.server.pauseReply(1, false)))).toEqual(['onStatus NetStream.Unpause.Notify']);

    const ended = client.read(client.server.playEnded(1));
    expect(parseUserControl(ended[0].payload)).toEqual({ type: 'stream-eof', streamId: 1 });
    expect(codes(ended.slice(1).map(decodeCommand))).toEqual([
      'onStatus NetStream.Play.UnpublishNotify',
      'onStatus NetStream.Play.Stop',
    ]);
    // Ended: the stream is idle again, so closing it reports nothing.
    expect(notSent(client.command('deleteStream', 4, [1]))).toEqual([]);
  });

  it('rejects publish and play with error statuses, and lets the client try again', () => {
    const client = new HandClient();
    client.read(client.connect());
    client.command('createStream', 2);
    client.command('publish', 0, ['taken'], 1);
    const rejected = client.commands(client.server.rejectPublish(1, 'NetStream.Publish.BadName', 'in use'));
    expect(rejected[0].args[0]).toEqual({ level: 'error', code: 'NetStream.Publish.BadName', description: 'in use' });
    expect(client.command('play', 0, ['missing'], 1)[0]).toMatchObject({ type: 'play' });
    const notFound = client.commands(client.server.rejectPlay(1, 'NetStream.Play.StreamNotFound', 'no such stream'));
    expect(codes(notFound)).toEqual(['onStatus NetStream.Play.StreamNotFound']);
  });

  it('answers getStreamLength, ignores what needs no answer, and _errors unknown calls that expect a reply', () => {
    const client = new HandClient();
    client.read(client.connect());
    expect(client.commands(client.command('getStreamLength', 2, ['cam']))[0]).toMatchObject({
      name: '_result',
      args: [0],
    });
    for (const name of ['receiveAudio', 'receiveVideo', '_checkbw', 'play2']) {
      expect(client.command(name, 0, [true], 1)).toEqual([]);
    }
    expect(client.command('whatever', 0)).toEqual([]);
    const error = client.commands(client.command('whatever', 9));
    expect(error[0]).toMatchObject({ name: '_error', transactionId: 9 });
    expect((error[0].args[0] as { code: string }).code).toBe('NetConnection.Call.Failed');
  });

  it('limits streams per connection with _error replies', () => {
    const client = new HandClient();
    client.read(client.connect());
    const results = Array.from({ length: 17 }, (_, i) => client.commands(client.command('createStream', 2 + i))[0]);
    expect(results[15]).toMatchObject({ name: '_result', args: [16] });
    expect(results[16]).toMatchObject({ name: '_error' });
  });

  it('turns protocol violations into one error event and then goes quiet', () => {
    const before = new HandClient();
    const early = before.command('createStream', 2);
    expect(early).toEqual([{ type: 'error', error: expect.any(RtmpError) }]);
    expect((early[0] as { error: RtmpError }).error.code).toBe('RTMP_BAD_STATE');
    expect(before.connect()).toEqual([]);

    const twice = new HandClient();
    twice.connect();
    expect(twice.connect()).toMatchObject([{ type: 'error' }]);

    const onZero = new HandClient();
    onZero.connect();
    expect(onZero.command('publish', 0, ['x'], 0)).toMatchObject([{ type: 'error' }]);

    const garbage = new HandClient();
    const events = garbage.send({ typeId: 20, streamId: 0, timestamp: 0, payload: Buffer.from([0x02, 0xff]) });
    expect((events[0] as { error: RtmpError }).error.code).toBe('RTMP_BAD_COMMAND');

    const version = new RtmpServerSession().push(Buffer.from([6, 0, 0]), 0);
    expect(version).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'RTMP_BAD_VERSION' }) }]);
  });

  it('answers pings and acknowledges bytes at the window the peer asked for', () => {
    const client = new HandClient();
    client.read(client.connect());
    const pong = client.read(client.send(pingRequest(1234), 2));
    expect(parseUserControl(pong[0].payload)).toEqual({ type: 'ping-response', timestamp: 1234 });
    client.send(windowAckSize(5000), 2);
    client.command('createStream', 2);
    client.command('publish', 0, ['a'], 1);
    const events = client.send({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(6000) }, 6);
    const ack = client.read(events).find((m) => m.typeId === 3);
    // Everything since the start counts: handshake (2 * 1537... from the client: C0C1 + C2) and chunks.
    expect(ack?.payload.readUInt32BE(0)).toBeGreaterThan(6000 + 1 + 2 * HANDSHAKE_SIZE);
  });

  it('handles a client that aborts a message and uses extended timestamps', () => {
    const client = new HandClient();
    client.read(client.connect());
    client.command('createStream', 2);
    client.command('publish', 0, ['a'], 1);
    const big = encodeMessageChunks({ typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(300) }, 128, 6);
    client.push(big.subarray(0, 12 + 128)); // the first chunk only
    client.send(abortMessage(6), 2);
    const late = { typeId: 9, streamId: 1, timestamp: 0xffffffff, payload: Buffer.from([0x17, 0]) };
    expect(client.send(late, 6)).toEqual([{ type: 'media', message: late }]);
  });

  it('refuses an outgoing chunk size outside 128..16 MiB', () => {
    expect(() => new RtmpServerSession({ chunkSize: 64 })).toThrow(RtmpError);
    expect(() => new RtmpServerSession({ chunkSize: 2 ** 25 })).toThrow(RtmpError);
  });

  it('gives the same events however a whole session is split into pushes', () => {
    // One recorded client byte stream: handshake, connect, createStream, publish, media, FCUnpublish.
    const handshake = new RtmpClientHandshake();
    const c0c1 = handshake.start();
    const c2 = Buffer.alloc(HANDSHAKE_SIZE, 2);
    const at = (m: RtmpMessage, csid: number, size = 128) => encodeMessageChunks(m, size, csid);
    const stream = Buffer.concat([
      c0c1,
      c2,
      at(setChunkSize(300), 2),
      at(command('connect', 1, { app: 'live', tcUrl: 'rtmp://h/live' }), 3, 300),
      at(command('createStream', 2, null), 3, 300),
      at(command('publish', 0, null, ['cam', 'live'], 1), 8, 300),
      at({ typeId: 9, streamId: 1, timestamp: 0x1234567, payload: Buffer.alloc(1000, 9) }, 6, 300),
      at(command('FCUnpublish', 3, null, ['cam']), 3, 300),
    ]);
    const whole = notSent(new RtmpServerSession().push(stream, 0));
    expect(whole.map((e) => e.type)).toEqual(['connect', 'publish', 'media', 'unpublish']);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 12 }), (cuts) => {
        const server = new RtmpServerSession();
        const events: RtmpServerEvent[] = [];
        let last = 0;
        for (const cut of [...cuts.sort((a, b) => a - b), stream.length]) {
          events.push(...server.push(stream.subarray(last, cut), 0));
          last = cut;
        }
        expect(notSent(events)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws and never hangs on random or truncated input: errors come out as events', () => {
    const handshake = new RtmpClientHandshake();
    const prefix = Buffer.concat([handshake.start(), Buffer.alloc(HANDSHAKE_SIZE)]);
    const connect = encodeMessageChunks(command('connect', 1, { app: 'live' }), 128, 3);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom('none', 'handshaken', 'connected'),
        fc.array(fc.nat(3000), { maxLength: 4 }),
        (random, stage, cuts) => {
          const server = new RtmpServerSession({ maxMessageSize: 65_536 });
          if (stage !== 'none') server.push(prefix, 0);
          if (stage === 'connected') server.push(connect, 0);
          const bytes = Buffer.from(random);
          let last = 0;
          for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
            for (const event of server.push(bytes.subarray(last, cut), 0)) {
              if (event.type === 'error') expect(event.error).toBeInstanceOf(RtmpError);
            }
            last = cut;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
