import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { connect, type Server, type Socket } from 'node:net';
import { PsMuxer } from '../../server-core/codec/ps/muxer.js';
import { callId, cseqHeader, fromHeader, wwwAuthenticate } from '../../server-core/protocol/sip/accessors.js';
import { formatAuthHeader } from '../../server-core/protocol/sip/auth-header.js';
import { buildRequest, buildResponse, newTag } from '../../server-core/protocol/sip/builders.js';
import { digestCredentials } from '../../server-core/protocol/sip/digest.js';
import { buildGbSdp, isTcpMedia, parseGbSdp, ssrcNumber } from '../../server-core/protocol/sip/gb-sdp.js';
import { buildCatalogResponse, buildKeepalive, parseManscdp } from '../../server-core/protocol/sip/manscdp/messages.js';
import type { SipMessage, SipRequest, SipResponse } from '../../server-core/protocol/sip/message.js';
import { parseSipDatagram } from '../../server-core/protocol/sip/parser.js';
import { serializeSipMessage } from '../../server-core/protocol/sip/serializer.js';
import { SipStreamFramer } from '../../server-core/protocol/sip/stream-framer.js';
import { type DeviceAudioCodec, type DeviceVideoCodec, EsSource } from './es-source.js';
import { listenForMedia, MediaSender, type MediaTransport } from './media-sender.js';

export interface GbTestDeviceOptions {
  /** SIP server host and port. */
  host: string;
  port: number;
  transport: 'TCP' | 'UDP';
  id: string;
  /** Channel listed in the Catalog (default: the device id with type 131, a camera). */
  channelId?: string;
  serverId: string;
  domain: string;
  password?: string;
  expires?: number;
  keepaliveMs: number;
  video: DeviceVideoCodec;
  audio: DeviceAudioCodec;
  width: number;
  height: number;
  fps: number;
  /** Replace every n-th RTP payload with noise (0: never). */
  corruptEvery?: number;
  log?: (line: string) => void;
}

/** What a test sees: 'registered', 'refused' (status), 'invite' (mode), 'media' (started), 'bye'. */
export interface GbTestDeviceEvents {
  registered: [];
  refused: [number];
  invite: [string];
  bye: [];
}

interface Playing {
  callId: string;
  source: EsSource;
  sender: MediaSender;
  listener?: Server;
}

/**
 * A GB/T 28181 camera for people without one: registers (answering a digest challenge), sends keepalives,
 * answers Catalog and INVITE (TCP passive, TCP active, UDP), and streams PS muxed from the elementary streams
 * ffmpeg encodes (H.264 or H.265, AAC or G.711 A-law) as RTP with the platform's SSRC.
 */
export class GbTestDevice extends EventEmitter<GbTestDeviceEvents> {
  private tcp?: Socket;
  private udp?: UdpSocket;
  private cseq = 1;
  private sn = 1;
  private readonly callId = `${Math.random().toString(16).slice(2)}@tally-gb-device`;
  private readonly fromTag = newTag();
  private keepalive?: NodeJS.Timeout;
  private playing?: Playing;
  private localAddress = '127.0.0.1';
  private localPort = 5060;
  /** Media packs sent since the last INVITE. */
  packsSent = 0;
  invites = 0;
  registered = false;
  private authTried = false;
  private stopped = false;
  private lastExpires = 3600;

  constructor(readonly options: GbTestDeviceOptions) {
    super();
  }

  get channelId(): string {
    return this.options.channelId ?? `${this.options.id.slice(0, 10)}131${this.options.id.slice(13)}`;
  }

  async start(): Promise<void> {
    const o = this.options;
    if (o.transport === 'TCP') {
      const socket = connect({ host: o.host, port: o.port });
      this.tcp = socket;
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      socket.on('error', () => {});
      this.localAddress = socket.localAddress ?? '127.0.0.1';
      this.localPort = socket.localPort ?? 5060;
      const framer = new SipStreamFramer();
      socket.on('data', (chunk) => {
        for (const out of framer.push(chunk)) if (out.type === 'message') this.onMessage(out.message);
      });
    } else {
      const udp = createSocket('udp4');
      this.udp = udp;
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
      this.localPort = udp.address().port;
      udp.on('message', (bytes) => {
        try {
          this.onMessage(parseSipDatagram(bytes));
        } catch {}
      });
    }
    this.register();
  }

  /** Unregisters (Expires: 0) and closes everything. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopMedia();
    clearInterval(this.keepalive);
    if (this.registered) this.register(0);
    await new Promise((r) => setTimeout(r, 100));
    this.tcp?.destroy();
    this.udp?.close();
  }

  /** Stops keepalives (the platform should mark us offline) but keeps the connection. */
  stopKeepalive(): void {
    clearInterval(this.keepalive);
  }

  /** The encoder dies without BYE: the platform should notice and INVITE again. */
  dropMedia(): void {
    this.stopMedia();
  }

  /** Ends the stream from our side with BYE. */
  sendBye(): void {
    const playing = this.playing;
    if (!playing) return;
    this.stopMedia();
    this.send(this.request('BYE', `sip:${this.options.serverId}@${this.options.domain}`, { callId: playing.callId }));
  }

  private request(method: string, uri: string, extra: Partial<Parameters<typeof buildRequest>[0]> = {}): SipRequest {
    const o = this.options;
    return buildRequest({
      method,
      uri,
      from: { uri: `sip:${o.id}@${o.domain}`, tag: this.fromTag },
      to: { uri: method === 'REGISTER' ? `sip:${o.id}@${o.domain}` : `sip:${o.serverId}@${o.domain}` },
      via: { transport: o.transport, host: this.localAddress, port: this.localPort, rport: true },
      cseq: this.cseq++,
      contact: `sip:${o.id}@${this.localAddress}:${this.localPort}`,
      headers: [{ name: 'User-Agent', value: 'Tally GB28181 test device' }],
      ...extra,
    });
  }

  private register(expires = this.options.expires ?? 3600, challenge?: SipResponse): void {
    const o = this.options;
    // One answer to a challenge per REGISTER: a second 401 means the password is wrong.
    if (!challenge) this.authTried = false;
    this.lastExpires = expires;
    const uri = `sip:${o.serverId}@${o.domain}`;
    const headers = [{ name: 'User-Agent', value: 'Tally GB28181 test device' }];
    const www = challenge && wwwAuthenticate(challenge);
    if (www) {
      const credentials = digestCredentials(www, {
        username: o.id,
        password: o.password ?? '',
        method: 'REGISTER',
        uri,
      });
      headers.push({ name: 'Authorization', value: formatAuthHeader(credentials, 'credentials') });
    }
    this.send(this.request('REGISTER', uri, { callId: this.callId, expires, headers }));
  }

  private send(message: SipMessage): void {
    const bytes = serializeSipMessage(message);
    if (this.tcp) this.tcp.write(bytes);
    else this.udp?.send(bytes, this.options.port, this.options.host);
  }

  private onMessage(message: SipMessage): void {
    if (message.kind === 'response') {
      this.onResponse(message);
      return;
    }
    switch (message.method) {
      case 'MESSAGE':
        this.onManscdp(message);
        return;
      case 'INVITE':
        void this.onInvite(message);
        return;
      case 'ACK':
        return;
      case 'BYE':
        this.send(buildResponse(message, 200));
        if (this.playing?.callId === callId(message)) {
          this.stopMedia();
          this.emit('bye');
        }
        return;
      default:
        this.send(buildResponse(message, 501, { toTag: newTag() }));
    }
  }

  private onResponse(response: SipResponse): void {
    const method = cseqHeader(response).method;
    if (method !== 'REGISTER') return;
    if (response.status === 401 && !this.authTried) {
      this.authTried = true;
      this.register(this.lastExpires, response);
      return;
    }
    if (response.status === 200) {
      if (this.registered || this.lastExpires === 0) return;
      this.registered = true;
      this.options.log?.(`registered as ${this.options.id}`);
      this.keepalive = setInterval(() => this.sendKeepalive(), this.options.keepaliveMs);
      this.keepalive.unref();
      this.emit('registered');
      return;
    }
    if (response.status >= 300) {
      this.options.log?.(`registration refused: ${response.status} ${response.reason}`);
      this.emit('refused', response.status);
    }
  }

  private sendKeepalive(): void {
    this.send(
      this.request('MESSAGE', `sip:${this.options.serverId}@${this.options.domain}`, {
        contentType: 'Application/MANSCDP+xml',
        body: buildKeepalive({ sn: this.sn++, deviceId: this.options.id }),
      }),
    );
  }

  private onManscdp(request: SipRequest): void {
    this.send(buildResponse(request, 200, { toTag: newTag() }));
    let body: ReturnType<typeof parseManscdp>;
    try {
      body = parseManscdp(request.body);
    } catch {
      return;
    }
    if (body.kind !== 'catalog-query') return;
    this.send(
      this.request('MESSAGE', `sip:${this.options.serverId}@${this.options.domain}`, {
        contentType: 'Application/MANSCDP+xml',
        body: buildCatalogResponse({
          sn: body.sn,
          deviceId: this.options.id,
          items: [
            {
              deviceId: this.channelId,
              name: 'Test pattern',
              manufacturer: 'Tally',
              model: 'gb-device',
              parental: 0,
              status: 'ON',
            },
          ],
        }),
      }),
    );
  }

  private async onInvite(request: SipRequest): Promise<void> {
    this.invites++;
    let offer: ReturnType<typeof parseGbSdp>;
    try {
      offer = parseGbSdp(request.body);
    } catch {
      this.send(buildResponse(request, 488, { toTag: newTag() }));
      return;
    }
    const media = offer.media.find((m) => m.type === 'video');
    if (!media || offer.ssrc === undefined) {
      this.send(buildResponse(request, 488, { toTag: newTag() }));
      return;
    }
    this.stopMedia();
    const host = media.address ?? offer.address ?? this.options.host;
    const tcp = isTcpMedia(media);
    let transport: MediaTransport;
    let listener: Server | undefined;
    let answerPort = 15060;
    let mode: string;
    if (!tcp) {
      transport = { kind: 'udp', host, port: media.port };
      mode = 'udp';
    } else if (media.setup === 'active') {
      listener = await listenForMedia(this.localAddress);
      const address = listener.address();
      answerPort = typeof address === 'object' && address ? address.port : 0;
      transport = { kind: 'tcp-listen', server: listener };
      mode = 'tcp-active';
    } else {
      transport = { kind: 'tcp-connect', host, port: media.port };
      mode = 'tcp-passive';
    }
    const o = this.options;
    const answer = buildGbSdp({
      origin: { username: this.channelId, sessionId: '0', sessionVersion: '0', address: this.localAddress },
      sessionName: 'Play',
      address: this.localAddress,
      time: { start: '0', stop: '0' },
      media: [
        {
          type: 'video',
          port: answerPort,
          protocol: media.protocol,
          formats: [96],
          rtpmaps: [{ payloadType: 96, encoding: 'PS', clockRate: 90000 }],
          direction: 'sendonly',
          ...(tcp
            ? { setup: mode === 'tcp-active' ? ('passive' as const) : ('active' as const), connection: 'new' as const }
            : {}),
          attributes: [],
        },
      ],
      ssrc: offer.ssrc,
    });
    const ok = buildResponse(request, 200, {
      toTag: newTag(),
      contentType: 'application/sdp',
      headers: [{ name: 'Contact', value: `<sip:${this.channelId}@${this.localAddress}:${this.localPort}>` }],
      body: Buffer.from(answer),
    });
    this.send(ok);
    const sender = new MediaSender(transport, ssrcNumber(offer.ssrc), o.corruptEvery ?? 0);
    const muxer = new PsMuxer({
      video: o.video,
      ...(o.audio === 'none' ? {} : { audio: o.audio }),
      maxPesPayload: 1400,
    });
    this.packsSent = 0;
    const source = new EsSource({
      video: o.video,
      audio: o.audio,
      width: o.width,
      height: o.height,
      fps: o.fps,
      onVideo: (au, pts) => {
        sender.send(muxer.writeVideo({ pts, data: au }), pts);
        this.packsSent++;
      },
      onAudio: (frame, pts) => {
        sender.send(muxer.writeAudio({ pts, data: frame }), pts);
      },
    });
    source.start();
    this.playing = { callId: callId(request), source, sender, listener };
    o.log?.(`invited by ${fromHeaderUser(request)} (${mode}), streaming ${o.video}+${o.audio} ssrc ${offer.ssrc}`);
    this.emit('invite', mode);
  }

  private stopMedia(): void {
    const playing = this.playing;
    this.playing = undefined;
    playing?.source.stop();
    playing?.sender.close();
    playing?.listener?.close();
  }
}

function fromHeaderUser(request: SipRequest): string {
  return fromHeader(request).uri;
}
