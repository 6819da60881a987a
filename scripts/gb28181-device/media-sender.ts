import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { frameRfc4571 } from '../../server-core/protocol/rtp/rfc4571-framing.js';
import { serializeRtpPacket } from '../../server-core/protocol/rtp/rtp-packet.js';

/** RTP payload bytes per packet (cameras stay under a 1500-byte MTU). */
const RTP_PAYLOAD = 1400;
const PS_PAYLOAD_TYPE = 96;

export type MediaTransport =
  | { kind: 'udp'; host: string; port: number }
  | { kind: 'tcp-connect'; host: string; port: number }
  | { kind: 'tcp-listen'; server: Server };

/**
 * Sends PS packs as RTP (payload type 96, 90 kHz, marker on a pack's last packet) with the SSRC of the INVITE:
 * over UDP, over TCP framed per RFC 4571 to the platform (it is passive), or on a connection the platform
 * opens to us (it is active). `corruptEvery` replaces every n-th payload with noise (garbage PS).
 */
export class MediaSender {
  private seq = Math.floor(Math.random() * 0xffff);
  private udp?: UdpSocket;
  private tcp?: Socket;
  private closed = false;
  private sent = 0;

  constructor(
    private readonly transport: MediaTransport,
    private readonly ssrc: number,
    private readonly corruptEvery = 0,
  ) {
    if (transport.kind === 'udp') this.udp = createSocket('udp4');
    else if (transport.kind === 'tcp-connect') {
      this.tcp = connect({ host: transport.host, port: transport.port });
      this.tcp.setNoDelay(true);
      this.tcp.on('error', () => {});
    } else {
      transport.server.once('connection', (socket) => {
        if (this.closed) socket.destroy();
        else this.tcp = socket;
        socket.setNoDelay(true);
        socket.on('error', () => {});
      });
    }
  }

  send(pack: Buffer, pts: number): void {
    if (this.closed) return;
    for (let at = 0; at < pack.length; at += RTP_PAYLOAD) {
      const end = Math.min(at + RTP_PAYLOAD, pack.length);
      let payload = pack.subarray(at, end);
      this.sent++;
      if (this.corruptEvery > 0 && this.sent % this.corruptEvery === 0) {
        payload = Buffer.from(payload.map(() => Math.floor(Math.random() * 256)));
      }
      const packet = serializeRtpPacket({
        marker: end === pack.length,
        payloadType: PS_PAYLOAD_TYPE,
        sequenceNumber: this.seq,
        timestamp: pts >>> 0,
        ssrc: this.ssrc,
        payload,
      });
      this.seq = (this.seq + 1) & 0xffff;
      if (this.udp && this.transport.kind === 'udp') this.udp.send(packet, this.transport.port, this.transport.host);
      else if (this.tcp && !this.tcp.destroyed && this.tcp.writableLength < 4 * 1024 * 1024) {
        this.tcp.write(frameRfc4571(packet));
      }
    }
  }

  close(): void {
    this.closed = true;
    this.udp?.close();
    this.udp = undefined;
    this.tcp?.destroy();
    this.tcp = undefined;
  }
}

/** A TCP listener for the platform's active connection; closed with the sender's session. */
export async function listenForMedia(host: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return server;
}
