import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAmf0 } from '../../codec/amf/index.js';
import { encodeMessageChunks } from './chunk-writer.js';
import { type RtmpClientEvent, RtmpClientSession } from './client-session.js';
import { pingRequest } from './control-messages.js';
import { RtmpError, type RtmpMessage } from './message.js';
import { type RtmpServerEvent, RtmpServerSession } from './server-session.js';

/** Wires a client session to a server session in memory, the way the TCP listener and a socket would. */
class Link {
  readonly serverEvents: RtmpServerEvent[] = [];
  readonly clientEvents: RtmpClientEvent[] = [];

  constructor(
    readonly client: RtmpClientSession,
    readonly server: RtmpServerSession,
    private readonly listener: (event: RtmpServerEvent, server: RtmpServerSession) => Buffer | undefined = () =>
      undefined,
  ) {
    this.toServer(client.start(0));
  }

  toServer(bytes: Buffer): void {
    for (const event of this.server.push(bytes, 0)) {
      if (event.type === 'send') {
        this.toClient(event.bytes);
        continue;
      }
      this.serverEvents.push(event);
      const reply = this.listener(event, this.server);
      if (reply) this.toClient(reply);
    }
  }

  toClient(bytes: Buffer): void {
    for (const event of this.client.push(bytes, 0)) {
      if (event.type === 'send') this.toServer(event.bytes);
      else this.clientEvents.push(event);
    }
  }

  take<T extends RtmpServerEvent['type']>(type: T): Extract<RtmpServerEvent, { type: T }>[] {
    return this.serverEvents.filter((e) => e.type === type) as Extract<RtmpServerEvent, { type: T }>[];
  }
}

const accept = (event: RtmpServerEvent, server: RtmpServerSession) =>
  event.type === 'publish'
    ? server.acceptPublish(event.streamId)
    : event.type === 'play'
      ? server.acceptPlay(event.streamId)
      : undefined;

describe('RtmpClientSession against RtmpServerSession', () => {
  for (const complexHandshake of [false, true]) {
    it(`publishes (${complexHandshake ? 'digest' : 'plain'} handshake): media arrives byte for byte, then unpublishes`, () => {
      const client = new RtmpClientSession({
        url: 'rtmp://localhost/live/cam?secret=x',
        mode: 'publish',
        chunkSize: 60_000,
        complexHandshake,
      });
      const link = new Link(client, new RtmpServerSession(), accept);
      expect(link.take('connect')).toMatchObject([{ app: 'live', tcUrl: 'rtmp://localhost:1935/live' }]);
      expect(link.take('publish')).toEqual([
        { type: 'publish', streamId: 1, streamName: 'cam', query: 'secret=x', publishType: 'live' },
      ]);
      expect(link.clientEvents).toEqual([
        { type: 'status', level: 'status', code: 'NetStream.Publish.Start', description: 'cam is now published.' },
        { type: 'ready', streamId: 1 },
      ]);

      const sentMedia: RtmpMessage[] = [
        { typeId: 18, streamId: 1, timestamp: 0, payload: encodeAmf0(['@setDataFrame', 'onMetaData', { width: 1 }]) },
        { typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64]) },
        { typeId: 9, streamId: 1, timestamp: 33, payload: Buffer.alloc(150_000, 0x27) },
        { typeId: 8, streamId: 1, timestamp: 0x1000000, payload: Buffer.from([0xaf, 1, 0x21]) },
      ];
      for (const m of sentMedia) link.toServer(client.sendMedia(m.typeId as 8 | 9 | 18, m.timestamp, m.payload));
      expect(link.take('media').map((e) => e.message)).toEqual(sentMedia);

      link.toServer(client.close());
      expect(link.take('unpublish')).toEqual([{ type: 'unpublish', streamId: 1 }]);
      expect(link.take('error')).toEqual([]);
    });
  }

  it('plays: ready on Play.Start, shared media chunks come out as media, the end as statuses', () => {
    const client = new RtmpClientSession({ url: 'rtmp://localhost:1935/live/cam', mode: 'play' });
    const link = new Link(client, new RtmpServerSession({ chunkSize: 4096 }), accept);
    const [play] = link.take('play');
    expect(play).toMatchObject({ streamName: 'cam', start: -2 });
    expect(link.clientEvents.map((e) => (e.type === 'status' ? e.code : e.type))).toEqual([
      'NetStream.Play.Reset',
      'NetStream.Play.Start',
      'ready',
    ]);
    link.clientEvents.length = 0;

    const media: RtmpMessage[] = [
      { typeId: 18, streamId: play.streamId, timestamp: 0, payload: encodeAmf0(['onMetaData', { width: 1 }]) },
      { typeId: 9, streamId: play.streamId, timestamp: 0xffffff, payload: Buffer.alloc(9000, 3) },
      { typeId: 8, streamId: play.streamId, timestamp: 0x1000000, payload: Buffer.from([0xaf, 1]) },
    ];
    const csids = { 8: 4, 9: 6, 18: 5 } as Record<number, number>;
    for (const m of media) link.toClient(encodeMessageChunks(m, link.server.outChunkSize, csids[m.typeId]));
    expect(link.clientEvents).toEqual(media.map((message) => ({ type: 'media', message })));

    link.clientEvents.length = 0;
    link.toClient(link.server.playEnded(play.streamId));
    expect(link.clientEvents.map((e) => e.type === 'status' && e.code)).toEqual([
      'NetStream.Play.UnpublishNotify',
      'NetStream.Play.Stop',
    ]);
    link.toServer(client.close());
    expect(link.take('close-stream')).toEqual([]); // the server already ended it
  });

  it('reports a refused publish as an error status and never gets ready', () => {
    const client = new RtmpClientSession({ url: 'rtmp://localhost/live/cam', mode: 'publish' });
    const link = new Link(client, new RtmpServerSession(), (event, server) =>
      event.type === 'publish'
        ? server.rejectPublish(event.streamId, 'NetStream.Publish.BadName', 'in use')
        : undefined,
    );
    expect(link.clientEvents).toEqual([
      { type: 'status', level: 'error', code: 'NetStream.Publish.BadName', description: 'in use' },
    ]);
  });

  it('answers pings and acknowledges what it received at the window the server asked for', () => {
    const client = new RtmpClientSession({ url: 'rtmp://localhost/live/cam', mode: 'play' });
    const link = new Link(client, new RtmpServerSession(), accept);
    const [play] = link.take('play');
    const replies = client.push(encodeMessageChunks(pingRequest(77), 4096, 2), 0);
    expect(replies).toHaveLength(1);
    expect(replies[0].type === 'send' && replies[0].bytes.subarray(-6).toString('hex')).toBe('00070000004d');

    const big = encodeMessageChunks(
      { typeId: 9, streamId: play.streamId, timestamp: 0, payload: Buffer.alloc(2_600_000) },
      4096,
      6,
    );
    const events = client.push(big, 0);
    const sends = events.filter((e) => e.type === 'send');
    expect(sends).toHaveLength(1);
    const bytes = (sends[0] as { bytes: Buffer }).bytes;
    expect(bytes[7]).toBe(3); // an Acknowledgement message
  });

  it('refuses a bad URL and turns random server bytes into error events only', () => {
    expect(() => new RtmpClientSession({ url: 'rtmp://host-only', mode: 'play' })).toThrow(RtmpError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.boolean(), (random, validVersion) => {
        const client = new RtmpClientSession({ url: 'rtmp://h/live/s', mode: 'play' });
        client.start(0);
        const bytes = Buffer.from(random);
        if (validVersion && bytes.length > 0) bytes[0] = 3;
        for (const event of client.push(bytes, 0)) {
          if (event.type === 'error') expect(event.error).toBeInstanceOf(RtmpError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
