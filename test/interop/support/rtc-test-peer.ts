import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { DtlsClient } from 'werift-dtls/lib/dtls/src/index.js';
import { CHROMIUM_WHEP_OFFER, CHROMIUM_WHIP_OFFER } from '../../../server-core/protocol/sdp/chromium-offers.fixture.js';
import { formatFingerprint } from '../../../server-core/protocol/sdp/index.js';
import { datagramKind } from '../../../server-core/servers/rtc/datagram-kind.js';
import { createDtlsCertificate, type DtlsCertificate } from '../../../server-core/servers/rtc/dtls-certificate.js';
import { SrtpContext, type SrtpProfileId, srtpKeySizes } from '../../../server-core/servers/rtc/srtp-context.js';
import {
  ATTR_PRIORITY,
  ATTR_USE_CANDIDATE,
  ATTR_USERNAME,
  STUN_BINDING_REQUEST,
  serializeStunMessage,
} from '../../../server-core/servers/rtc/stun-message.js';

/**
 * A minimal WebRTC peer in Node for transport tests and cost measurements, made of our STUN codec,
 * werift-dtls's DtlsClient and our SRTP: it takes a recorded Chromium offer with its own ICE credentials and
 * certificate fingerprint, checks the server's candidate, handshakes, and counts what arrives.
 */
export class RtcTestPeer {
  readonly ufrag = randomBytes(3).toString('hex');
  readonly pwd = randomBytes(12).toString('hex');
  socket?: Socket;
  rtpReceived = 0;
  rtcpReceived = 0;
  bytesReceived = 0;
  private dtls?: DtlsClient;
  private rx?: SrtpContext;
  private tx?: SrtpContext;
  private dtlsOnData?: (data: Buffer) => void;
  decrypt = true;
  /** Every SRTP datagram as it arrived (its RTP header is in the clear: sequence numbers can be read). */
  onRtp?: (datagram: Buffer) => void;

  /** The server sent a DTLS alert (it ended the session). */
  closedByPeer = false;

  /** SO_RCVBUF after bind (a keyframe to many viewers at loopback speed overflows the default). */
  receiveBufferSize?: number;

  constructor(
    readonly certificate: DtlsCertificate,
    readonly role: 'whip' | 'whep' = 'whep',
  ) {}

  static async create(role: 'whip' | 'whep' = 'whep', certificate?: DtlsCertificate): Promise<RtcTestPeer> {
    return new RtcTestPeer(certificate ?? (await createDtlsCertificate()), role);
  }

  /** The recorded Chromium offer with our ufrag, pwd and fingerprint (or a wrong one, to test the check). */
  offer(fingerprint = formatFingerprint(this.certificate.fingerprint)): string {
    const lines = (this.role === 'whep' ? CHROMIUM_WHEP_OFFER : CHROMIUM_WHIP_OFFER).split('\r\n');
    return lines
      .map((l) => {
        if (l.startsWith('a=ice-ufrag:')) return `a=ice-ufrag:${this.ufrag}`;
        if (l.startsWith('a=ice-pwd:')) return `a=ice-pwd:${this.pwd}`;
        if (l.startsWith('a=fingerprint:')) return `a=fingerprint:${fingerprint}`;
        return l;
      })
      .join('\r\n');
  }

  /** Binds a loopback socket, sends checks until one is answered, then runs the DTLS client handshake. */
  async connect(answer: string, server: { address: string; port: number }, timeoutMs = 5000): Promise<void> {
    const ufrag = /a=ice-ufrag:(\S+)/.exec(answer)?.[1];
    const pwd = /a=ice-pwd:(\S+)/.exec(answer)?.[1];
    if (!ufrag || !pwd) throw new Error('answer without ICE credentials');
    const socket = createSocket('udp4');
    this.socket = socket;
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    if (this.receiveBufferSize) socket.setRecvBufferSize(this.receiveBufferSize);
    let answered = false;
    socket.on('message', (data) => {
      this.bytesReceived += data.length;
      const kind = datagramKind(data);
      if (kind === 'stun') answered = true;
      else if (kind === 'dtls') this.dtlsOnData?.(data);
      else if (kind === 'rtp') {
        this.rtpReceived++;
        this.onRtp?.(data);
        if (this.decrypt) this.rx?.unprotectRtp(data);
      } else if (kind === 'rtcp') {
        this.rtcpReceived++;
        if (this.decrypt) this.rx?.unprotectRtcp(data);
      }
    });
    const end = Date.now() + timeoutMs;
    while (!answered && Date.now() < end) {
      this.sendCheck(ufrag, pwd, server);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!answered) throw new Error('no STUN answer');
    const client = new DtlsClient({
      transport: {
        type: 'udp',
        address: { address: '127.0.0.1', family: 'IPv4', port: socket.address().port },
        closed: false,
        onData: () => {},
        send: async (data: Buffer) => {
          socket.send(data, server.port, server.address);
        },
        close: async () => {},
      },
      srtpProfiles: [7, 1],
      cert: this.certificate.certPem,
      key: this.certificate.keyPem,
      signatureHash: { hash: 4, signature: 3 },
      certificateRequest: true,
      extendedMasterSecret: true,
    });
    this.dtls = client;
    client.onClose.subscribe(() => {
      this.closedByPeer = true;
    });
    this.dtlsOnData = (data) => client.transport.socket.onData(data, ['127.0.0.1', server.port]);
    // werift's connect() resolves once its first flight is answered (half a second in, not at the end of the
    // handshake): the handshake is done when the server's Finished arrives (onConnect).
    const finished = new Promise<void>((resolve) => client.onConnect.once(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([client.connect(), finished]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('DTLS timeout')), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const profile = client.srtp.srtpProfile as SrtpProfileId;
    const { keyLength, saltLength } = srtpKeySizes(profile);
    const keys = client.extractSessionKeys(keyLength, saltLength);
    this.rx = new SrtpContext(profile, keys.remoteKey, keys.remoteSalt);
    this.tx = new SrtpContext(profile, keys.localKey, keys.localSalt);
    this.server = server;
    this.serverUfrag = ufrag;
    this.serverPwd = pwd;
  }

  private server?: { address: string; port: number };
  private serverUfrag?: string;
  private serverPwd?: string;

  /** One more consent check (keeps the session alive). */
  keepAlive(): void {
    if (this.server && this.serverUfrag && this.serverPwd)
      this.sendCheck(this.serverUfrag, this.serverPwd, this.server);
  }

  /** Sends an SRTP packet to the server (as a WHIP publisher would). */
  sendRtp(header: Buffer, payload: Buffer): void {
    if (!this.tx || !this.server) throw new Error('not connected');
    this.socket?.send(this.tx.protectRtp(header, payload), this.server.port, this.server.address);
  }

  sendRaw(data: Buffer): void {
    if (this.server) this.socket?.send(data, this.server.port, this.server.address);
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private sendCheck(ufrag: string, pwd: string, server: { address: string; port: number }): void {
    const priority = Buffer.alloc(4);
    priority.writeUInt32BE(0x6e0001ff);
    const request = serializeStunMessage(
      STUN_BINDING_REQUEST,
      randomBytes(12),
      [
        { type: ATTR_USERNAME, value: Buffer.from(`${ufrag}:${this.ufrag}`) },
        { type: ATTR_PRIORITY, value: priority },
        { type: ATTR_USE_CANDIDATE, value: Buffer.alloc(0) },
      ],
      { integrityKey: pwd, fingerprint: true },
    );
    this.socket?.send(request, server.port, server.address);
  }
}
