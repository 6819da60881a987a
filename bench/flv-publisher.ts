import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { FlvStreamReader, type FlvTag } from '../server-core/codec/flv/index.js';
import { RtmpClientSession } from '../server-core/protocol/rtmp/client-session.js';

/**
 * Publishes an FLV file over RTMP in real time, looping, with our own RTMP client. It remembers when each video
 * timestamp was sent so a reader on the same host can measure glass-to-glass delay.
 */
export class FlvPublisher {
  readonly sentAt = new Map<number, number>();
  bytesSent = 0;
  private socket?: Socket;
  private timer?: NodeJS.Timeout;
  private readonly tags: FlvTag[];
  private readonly span: number;

  constructor(
    file: string,
    private readonly url: string,
  ) {
    const reader = new FlvStreamReader();
    this.tags = reader.push(readFileSync(file));
    this.span = this.tags[this.tags.length - 1].timestamp + 33;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const session = new RtmpClientSession({ url: this.url, mode: 'publish', chunkSize: 60000 });
      const target = session.target;
      const socket = connect(target.port, target.host, () => socket.write(session.start(Date.now())));
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('error', reject);
      socket.on('data', (bytes: Buffer) => {
        for (const event of session.push(bytes, Date.now())) {
          if (event.type === 'send') socket.write(event.bytes);
          if (event.type === 'ready') {
            this.pace(session, socket);
            resolve();
          }
          if (event.type === 'error' || (event.type === 'status' && event.level === 'error')) {
            reject(new Error(event.type === 'error' ? event.error.message : event.code));
          }
        }
      });
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket?.destroy();
  }

  /** Sends every tag whose time has come, every 10 ms; loops with increasing timestamps. */
  private pace(session: RtmpClientSession, socket: Socket): void {
    const start = Date.now();
    let index = 0;
    let loop = 0;
    const tick = () => {
      const elapsed = Date.now() - start;
      for (;;) {
        if (index >= this.tags.length) {
          index = 0;
          loop++;
        }
        const tag = this.tags[index];
        const ts = tag.timestamp + loop * this.span;
        if (ts > elapsed) break;
        if (loop > 0 && isSequenceHeader(tag)) {
          index++;
          continue;
        }
        const bytes = session.sendMedia(tag.tagType as 8 | 9 | 18, ts, tag.body);
        socket.write(bytes);
        this.bytesSent += tag.body.length;
        if (tag.tagType === 9) this.sentAt.set(ts, Date.now());
        index++;
      }
    };
    this.timer = setInterval(tick, 10);
  }
}

function isSequenceHeader(tag: FlvTag): boolean {
  if (tag.tagType === 18) return true;
  if (tag.tagType === 9) return tag.body.length > 1 && tag.body[1] === 0;
  if (tag.tagType === 8) return tag.body.length > 1 && tag.body[0] >> 4 === 10 && tag.body[1] === 0;
  return false;
}
