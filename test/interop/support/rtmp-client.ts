import { connect, type Socket } from 'node:net';
import { encodeMessageChunks } from '../../../server-core/protocol/rtmp/chunk-writer.js';
import { type RtmpClientEvent, RtmpClientSession } from '../../../server-core/protocol/rtmp/client-session.js';
import { command } from '../../../server-core/protocol/rtmp/commands.js';
import type { RtmpMessage } from '../../../server-core/protocol/rtmp/message.js';

/** The project's own RTMP client over a real socket, for tests that need what ffmpeg 5.1 cannot send or read. */
export class TestRtmpClient {
  readonly media: RtmpMessage[] = [];
  readonly statuses: string[] = [];
  private socket?: Socket;
  private commands = 0;
  private session: RtmpClientSession;

  constructor(url: string, mode: 'publish' | 'play') {
    this.session = new RtmpClientSession({ url, mode, chunkSize: 4096 });
  }

  /** Connects and resolves once publishing or playing has started. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port } = this.session.target;
      const socket = connect(port, host, () => socket.write(this.session.start(Date.now())));
      this.socket = socket;
      socket.on('error', reject);
      socket.on('data', (bytes: Buffer) => {
        for (const event of this.session.push(bytes, Date.now())) this.handle(event, resolve, reject);
      });
    });
  }

  send(typeId: 8 | 9 | 18, timestamp: number, payload: Buffer): void {
    this.socket?.write(this.session.sendMedia(typeId, timestamp, payload));
  }

  /** A command on a NetStream of this connection (what ffmpeg would not send: a second publish or play). */
  command(name: string, args: (string | number | null | boolean)[], streamId: number): void {
    this.socket?.write(encodeMessageChunks(command(name, 100 + this.commands++, null, args, streamId), 4096, 8));
  }

  /** The connection is still open (the server has not closed it). */
  get open_(): boolean {
    return this.socket !== undefined && !this.socket.destroyed && this.socket.readable;
  }

  close(): void {
    if (this.socket && !this.socket.destroyed) this.socket.end(this.session.close());
  }

  private handle(event: RtmpClientEvent, resolve: () => void, reject: (e: Error) => void): void {
    if (event.type === 'send') this.socket?.write(event.bytes);
    else if (event.type === 'ready') resolve();
    else if (event.type === 'media') this.media.push(event.message);
    else if (event.type === 'status') {
      this.statuses.push(event.code);
      if (event.level === 'error') reject(new Error(event.code));
    } else if (event.type === 'error') reject(event.error);
  }
}
