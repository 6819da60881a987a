import { connect, type Socket } from 'node:net';
import { type RtmpClientEvent, RtmpClientSession } from '../../../server-core/protocol/rtmp/client-session.js';
import type { RtmpMessage } from '../../../server-core/protocol/rtmp/message.js';

/** The project's own RTMP client over a real socket, for tests that need what ffmpeg 5.1 cannot send or read. */
export class TestRtmpClient {
  readonly media: RtmpMessage[] = [];
  readonly statuses: string[] = [];
  private socket?: Socket;
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
