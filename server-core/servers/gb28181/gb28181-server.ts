import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClientContext } from '../../defs/admission.js';
import { newContextId } from '../../defs/context-id.js';
import type { PsG711Chunk } from '../../formats/ps/to-packets.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import {
  authorization,
  callId,
  cseqHeader,
  expiresHeader,
  fromHeader,
  toHeader,
} from '../../protocol/sip/accessors.js';
import { formatAuthHeader } from '../../protocol/sip/auth-header.js';
import { buildAckFor2xx, buildRequest, buildResponse, newTag } from '../../protocol/sip/builders.js';
import { digestChallenge, verifyDigest } from '../../protocol/sip/digest.js';
import { buildGbSdp, type GbSdp, gbSsrc, parseGbSdp, ssrcNumber } from '../../protocol/sip/gb-sdp.js';
import { buildCatalogQuery, parseManscdp } from '../../protocol/sip/manscdp/messages.js';
import { getHeader, type SipMessage, type SipRequest, type SipResponse } from '../../protocol/sip/message.js';
import { nameAddrUser, parseNameAddr } from '../../protocol/sip/name-addr.js';
import type { SessionPath } from '../session/session-path.js';
import { announceAddress } from './announce-address.js';
import {
  type ChannelPlay,
  channelsOf,
  deviceView,
  type GbChannel,
  type GbDevice,
  type GbDeviceView,
} from './gb-device.js';
import { MediaListener, type MediaListenerStats } from './media-listener.js';
import { MediaSession } from './media-session.js';
import { SipEndpoint, type SipEndpointStats, type SipPeer } from './sip-endpoint.js';

export type GbInviteMode = 'tcp-passive' | 'tcp-active' | 'udp';

/** Turns one stream's G.711 into AAC packets (an ffmpeg process); made per INVITE, ended with it. */
export interface G711Transcoder {
  push(chunk: PsG711Chunk): void;
  close(): void;
}
export type G711TranscoderFactory = (
  output: (packet: MediaPacket) => void,
  log: Logger,
  label: string,
) => G711Transcoder;

export interface Gb28181Options {
  host: string;
  sipPort: number;
  serverId: string;
  domain: string;
  /** Digest password every device must answer with; empty: devices register without authentication. */
  password: string;
  /** Address given to devices in Via, Contact and SDP; empty: found per device. */
  announceHost: string;
  mediaPort: number;
  inviteMode: GbInviteMode;
  app: string;
  maxRegisterExpiresS: number;
  keepaliveTimeoutMs: number;
  mediaTimeoutMs: number;
  catalogTimeoutMs: number;
  autoPlay: boolean;
  maxDevices: number;
  maxConnections: number;
  /** Query string the publishes carry (the publish secret, for devices that authenticated). */
  publishParam: string;
  vhost: string;
  sessions: SessionPath;
  logger: Logger;
  now?: () => number;
  g711?: G711TranscoderFactory;
}

export interface Gb28181Stats {
  sip: SipEndpointStats;
  media: MediaListenerStats;
  registrations: number;
  refusedRegistrations: number;
  invites: number;
  reinvites: number;
}

export type ChannelActionResult = { ok: true; stream: string } | { ok: false; status: 404 | 409; reason: string };

const STREAM_ID = /^[0-9A-Za-z_-]{1,64}$/;
const CONTENT_MANSCDP = 'Application/MANSCDP+xml';
const USER_AGENT = { name: 'User-Agent', value: 'Tally' };

/**
 * GB/T 28181 platform: cameras and NVRs register over SIP (TCP or UDP, digest when a password is set), send
 * keepalives and answer our Catalog query; we INVITE each device's first channel (and any channel through
 * the API) and take its PS over RTP (TCP passive, TCP active or UDP) into the hub as `live/<deviceId>`
 * (other channels as `live/<channelId>`). No media for mediaTimeoutMs ends the dialog with BYE and INVITEs
 * again; a device whose keepalives stop or whose registration expires goes offline and its streams end.
 */
export class Gb28181Server {
  private readonly sip: SipEndpoint;
  private readonly media: MediaListener;
  private readonly devices = new Map<string, GbDevice>();
  /** Our INVITE dialogs by Call-ID. */
  private readonly plays = new Map<string, { device: GbDevice; channel: GbChannel; play: ChannelPlay }>();
  private readonly secret = randomBytes(16);
  private readonly now: () => number;
  private ssrcSequence = 1;
  private tick?: NodeJS.Timeout;
  private readonly counters = { registrations: 0, refusedRegistrations: 0, invites: 0, reinvites: 0 };

  constructor(private readonly options: Gb28181Options) {
    this.now = options.now ?? Date.now;
    this.sip = new SipEndpoint({
      host: options.host,
      port: options.sipPort,
      maxConnections: options.maxConnections,
      idleTimeoutMs: Math.max(options.keepaliveTimeoutMs, 30_000),
      logger: options.logger,
      onMessage: (message, peer) => this.onMessage(message, peer),
      onClosed: (peer) => this.onConnectionClosed(peer),
    });
    this.media = new MediaListener({
      host: options.host,
      port: options.mediaPort,
      maxConnections: options.maxConnections,
      idleTimeoutMs: Math.max(options.mediaTimeoutMs, 5000),
      logger: options.logger,
    });
  }

  get sipPort(): number {
    return this.sip.port;
  }

  get mediaPort(): number {
    return this.media.port;
  }

  get stats(): Gb28181Stats {
    return { sip: this.sip.stats, media: this.media.stats, ...this.counters };
  }

  async start(): Promise<void> {
    await this.media.start();
    await this.sip.start();
    const every = Math.max(
      100,
      Math.min(1000, Math.floor(Math.min(this.options.keepaliveTimeoutMs, this.options.mediaTimeoutMs) / 4)),
    );
    this.tick = setInterval(() => this.checkTimers(), every);
    this.tick.unref();
    this.options.logger.info(
      {
        sipPort: this.sipPort,
        mediaPort: this.mediaPort,
        serverId: this.options.serverId,
        auth: !!this.options.password,
      },
      'gb28181 listening',
    );
  }

  async close(): Promise<void> {
    if (this.tick) clearInterval(this.tick);
    this.tick = undefined;
    for (const device of this.devices.values()) this.goOffline(device, 'server closing');
    await this.sip.close();
    await this.media.close();
  }

  list(): GbDeviceView[] {
    return [...this.devices.values()].map(deviceView);
  }

  device(id: string): GbDeviceView | undefined {
    const device = this.devices.get(id);
    return device && deviceView(device);
  }

  /** API: INVITE a channel (the device itself when channelId is its id and it listed no channels). */
  invite(deviceId: string, channelId: string, mode: GbInviteMode = this.options.inviteMode): ChannelActionResult {
    const device = this.devices.get(deviceId);
    if (device?.status !== 'online') return { ok: false, status: 404, reason: 'no such device online' };
    const channel = device.channels.get(channelId);
    if (!channel) return { ok: false, status: 404, reason: 'no such channel' };
    if (channel.play) return { ok: true, stream: channel.play.stream };
    channel.reinvites = 0;
    const play = this.sendInvite(device, channel, mode);
    return play
      ? { ok: true, stream: play.stream }
      : { ok: false, status: 409, reason: 'the channel id is not a valid stream name' };
  }

  /** API: BYE a channel's dialog; its stream ends. */
  bye(deviceId: string, channelId: string): ChannelActionResult {
    const device = this.devices.get(deviceId);
    const channel = device?.channels.get(channelId);
    if (!device || !channel) return { ok: false, status: 404, reason: 'no such channel' };
    const play = channel.play;
    if (!play) return { ok: false, status: 409, reason: 'the channel is not playing' };
    this.endPlay(device, channel, 'bye from the API', true);
    return { ok: true, stream: play.stream };
  }

  // --- SIP in

  private onMessage(message: SipMessage, peer: SipPeer): void {
    if (message.kind === 'response') {
      this.onResponse(message, peer);
      return;
    }
    switch (message.method) {
      case 'REGISTER':
        this.onRegister(message, peer);
        return;
      case 'MESSAGE':
        this.onManscdp(message, peer);
        return;
      case 'BYE':
        this.onBye(message, peer);
        return;
      case 'ACK':
        return;
      case 'OPTIONS':
        peer.send(buildResponse(message, 200, { toTag: newTag() }));
        return;
      default:
        peer.send(buildResponse(message, 501, { toTag: newTag() }));
    }
  }

  private onRegister(request: SipRequest, peer: SipPeer): void {
    const id = nameAddrUser(fromHeader(request));
    if (!id || !STREAM_ID.test(id)) {
      this.counters.refusedRegistrations++;
      peer.send(buildResponse(request, 400, { toTag: newTag(), reason: 'Bad device id' }));
      return;
    }
    if (this.options.password && !this.authenticated(request, peer, id)) return;
    const now = this.now();
    const asked = expiresHeader(request) ?? contactExpires(request) ?? 3600;
    const existing = this.devices.get(id);
    if (asked === 0) {
      peer.send(buildResponse(request, 200, { toTag: newTag(), headers: [{ name: 'Expires', value: '0' }] }));
      if (existing) this.goOffline(existing, 'unregistered');
      this.options.logger.info({ device: id }, 'gb28181 device unregistered');
      return;
    }
    if (!existing && this.devices.size >= this.options.maxDevices) this.forgetOldestOffline();
    if (!existing && this.devices.size >= this.options.maxDevices) {
      this.counters.refusedRegistrations++;
      peer.send(buildResponse(request, 503, { toTag: newTag(), reason: 'Too many devices' }));
      return;
    }
    const expires = Math.min(asked, this.options.maxRegisterExpiresS);
    peer.send(
      buildResponse(request, 200, {
        toTag: newTag(),
        headers: [
          { name: 'Expires', value: String(expires) },
          { name: 'Date', value: gbDate(new Date(now)) },
        ],
      }),
    );
    this.counters.registrations++;
    const fresh =
      !existing || existing.status === 'offline' || (existing.peer !== peer && !sameUdpPeer(existing.peer, peer));
    const device: GbDevice = existing ?? {
      id,
      status: 'online',
      peer,
      registeredAt: now,
      expiresAt: now,
      lastKeepaliveAt: now,
      channels: new Map(),
      catalogAnswered: false,
      cseq: 1,
      sn: 1,
    };
    device.peer = peer;
    device.expiresAt = now + expires * 1000;
    device.lastKeepaliveAt = now;
    const contact = getHeader(request, 'Contact');
    if (contact) device.contact = parseNameAddr(contact).uri;
    this.devices.set(id, device);
    if (!fresh) return;
    // A new registration (first, after offline, or from a new connection): ask what it has, then play.
    if (existing) this.endAllPlays(existing, 'device registered again', false);
    device.status = 'online';
    device.offlineReason = undefined;
    device.registeredAt = now;
    device.catalogAnswered = false;
    this.options.logger.info(
      { device: id, transport: peer.transport, peer: `${peer.address}:${peer.port}`, expires },
      'gb28181 device registered',
    );
    this.queryCatalog(device);
    if (this.options.autoPlay) {
      clearTimeout(device.autoPlayTimer);
      device.autoPlayTimer = setTimeout(() => this.autoPlay(device), this.options.catalogTimeoutMs);
      device.autoPlayTimer.unref();
    }
  }

  /** Digest (RFC 2617): a request without credentials, or with stale ones, gets a challenge; wrong ones 403. */
  private authenticated(request: SipRequest, peer: SipPeer, id: string): boolean {
    const challenge = (stale: boolean) =>
      peer.send(
        buildResponse(request, 401, {
          toTag: newTag(),
          headers: [
            {
              name: 'WWW-Authenticate',
              value: formatAuthHeader(
                digestChallenge({ realm: this.options.domain, secret: this.secret, nowMs: this.now(), stale }),
                'challenge',
              ),
            },
          ],
        }),
      );
    const credentials = authorization(request);
    if (!credentials) {
      challenge(false);
      return false;
    }
    const verdict = verifyDigest({
      authorization: credentials,
      method: request.method,
      realm: this.options.domain,
      password: this.options.password,
      secret: this.secret,
      nowMs: this.now(),
    });
    if (verdict.ok && verdict.username === id) return true;
    if (!verdict.ok && (verdict.reason === 'stale-nonce' || verdict.reason === 'bad-nonce')) {
      challenge(verdict.reason === 'stale-nonce');
      return false;
    }
    this.counters.refusedRegistrations++;
    this.options.logger.warn(
      { device: id, reason: verdict.ok ? 'username is not the device id' : verdict.reason },
      'gb28181 registration refused',
    );
    peer.send(buildResponse(request, 403, { toTag: newTag() }));
    return false;
  }

  private onManscdp(request: SipRequest, peer: SipPeer): void {
    const id = nameAddrUser(fromHeader(request));
    const device = id ? this.devices.get(id) : undefined;
    if (device?.status !== 'online') {
      peer.send(buildResponse(request, 403, { toTag: newTag(), reason: 'Not registered' }));
      return;
    }
    peer.send(buildResponse(request, 200, { toTag: newTag() }));
    let body: ReturnType<typeof parseManscdp>;
    try {
      body = parseManscdp(request.body);
    } catch {
      return;
    }
    if (body.kind === 'keepalive') {
      device.lastKeepaliveAt = this.now();
      // Over UDP a NAT may move the device's port; its address must stay (a keepalive is not authenticated).
      if (peer.transport === 'UDP' && device.peer.transport === 'UDP' && peer.address === device.peer.address) {
        device.peer = peer;
      }
      return;
    }
    if (body.kind === 'catalog') {
      for (const item of body.items) {
        if (!STREAM_ID.test(item.deviceId)) continue;
        const channel = device.channels.get(item.deviceId) ?? { id: item.deviceId, reinvites: 0 };
        channel.name = item.name;
        channel.manufacturer = item.manufacturer;
        channel.model = item.model;
        channel.status = item.status;
        device.channels.set(item.deviceId, channel);
      }
      // The catalog may come in several MESSAGEs (SumNum); the first one is enough to start playing.
      if (!device.catalogAnswered) {
        device.catalogAnswered = true;
        if (this.options.autoPlay) {
          clearTimeout(device.autoPlayTimer);
          this.autoPlay(device);
        }
      }
    }
  }

  private onBye(request: SipRequest, peer: SipPeer): void {
    const entry = this.plays.get(callId(request));
    peer.send(buildResponse(request, entry ? 200 : 481));
    if (!entry) return;
    this.endPlay(entry.device, entry.channel, 'bye from the device', false);
  }

  private onResponse(response: SipResponse, peer: SipPeer): void {
    const cseq = cseqHeader(response);
    if (cseq.method !== 'INVITE') return;
    const entry = this.plays.get(callId(response));
    if (!entry || entry.play.cseq !== cseq.seq) return;
    const { device, channel, play } = entry;
    if (response.status < 200) return;
    if (response.status >= 300) {
      this.options.logger.warn(
        { device: device.id, channel: channel.id, status: response.status },
        'gb28181 invite refused',
      );
      this.endPlay(device, channel, `invite refused (${response.status})`, false);
      return;
    }
    // Every 2xx (retransmitted too) gets its ACK.
    peer.send(buildAckFor2xx(entry.play.invite, response));
    if (play.state === 'playing') return;
    play.toTag = toHeader(response).params.get('tag');
    const contact = getHeader(response, 'Contact');
    if (contact) play.remoteTarget = parseNameAddr(contact).uri;
    play.state = 'playing';
    if (play.mode === 'tcp-active') {
      let answer: GbSdp;
      try {
        answer = parseGbSdp(response.body);
      } catch {
        this.endPlay(device, channel, 'answer SDP does not parse', true);
        return;
      }
      const media = answer.media.find((m) => m.type === 'video') ?? answer.media[0];
      const host = media?.address ?? answer.address ?? device.peer.address;
      if (!media || media.port === 0) {
        this.endPlay(device, channel, 'answer SDP has no media port', true);
        return;
      }
      play.closeConnection = this.media.connectTo(host, media.port);
    }
    this.openPublish(device, play);
  }

  /** Makes room for a new device: the one offline the longest is forgotten. */
  private forgetOldestOffline(): void {
    let oldest: GbDevice | undefined;
    for (const device of this.devices.values()) {
      if (device.status === 'offline' && (!oldest || device.lastKeepaliveAt < oldest.lastKeepaliveAt)) oldest = device;
    }
    if (oldest) this.devices.delete(oldest.id);
  }

  /** A device on TCP can only be reached on its connection: when it closes, the device is gone until it registers. */
  private onConnectionClosed(peer: SipPeer): void {
    for (const device of this.devices.values()) {
      if (device.peer === peer && device.status === 'online') this.goOffline(device, 'connection closed');
    }
  }

  // --- SIP out

  private queryCatalog(device: GbDevice): void {
    const local = this.localAddress(device.peer);
    device.peer.send(
      buildRequest({
        method: 'MESSAGE',
        uri: `sip:${device.id}@${this.options.domain}`,
        from: { uri: `sip:${this.options.serverId}@${this.options.domain}` },
        to: { uri: `sip:${device.id}@${this.options.domain}` },
        via: { transport: device.peer.transport, host: local, port: device.peer.localPort, rport: true },
        cseq: device.cseq++,
        contentType: CONTENT_MANSCDP,
        headers: [USER_AGENT],
        body: buildCatalogQuery({ sn: device.sn++, deviceId: device.id }),
      }),
    );
  }

  private autoPlay(device: GbDevice): void {
    if (device.status !== 'online') return;
    // A device that listed no channels (or did not answer in time) is its own channel.
    if (device.channels.size === 0) device.channels.set(device.id, { id: device.id, reinvites: 0 });
    const first = channelsOf(device)[0];
    if (first && !first.play) this.sendInvite(device, first);
  }

  /** The stream a channel publishes: the device's first channel is `app/<deviceId>`, others `app/<channelId>`. */
  private streamOf(device: GbDevice, channel: GbChannel): string {
    return channelsOf(device)[0] === channel ? device.id : channel.id;
  }

  private sendInvite(
    device: GbDevice,
    channel: GbChannel,
    mode: GbInviteMode = this.options.inviteMode,
  ): ChannelPlay | undefined {
    const streamName = this.streamOf(device, channel);
    if (!STREAM_ID.test(streamName)) return undefined;
    const ssrc = gbSsrc(false, this.options.domain, this.ssrcSequence++);
    const local = this.localAddress(device.peer);
    const sdp = buildGbSdp({
      origin: { username: this.options.serverId, sessionId: '0', sessionVersion: '0', address: local },
      sessionName: 'Play',
      address: local,
      time: { start: '0', stop: '0' },
      media: [
        {
          type: 'video',
          port: this.mediaPort,
          protocol: mode === 'udp' ? 'RTP/AVP' : 'TCP/RTP/AVP',
          formats: [96, 98, 97],
          rtpmaps: [
            { payloadType: 96, encoding: 'PS', clockRate: 90000 },
            { payloadType: 98, encoding: 'H264', clockRate: 90000 },
            { payloadType: 97, encoding: 'MPEG4', clockRate: 90000 },
          ],
          direction: 'recvonly',
          ...(mode === 'udp'
            ? {}
            : {
                setup: mode === 'tcp-passive' ? ('passive' as const) : ('active' as const),
                connection: 'new' as const,
              }),
          attributes: [],
        },
      ],
      ssrc,
    });
    const fromTag = newTag();
    const target = device.contact ?? `sip:${channel.id}@${device.peer.address}:${device.peer.port}`;
    const targetUri = target.replace(/^sip:[^@]*@/, `sip:${channel.id}@`);
    const invite = buildRequest({
      method: 'INVITE',
      uri: targetUri,
      from: { uri: `sip:${this.options.serverId}@${this.options.domain}`, tag: fromTag },
      to: { uri: `sip:${channel.id}@${this.options.domain}` },
      via: { transport: device.peer.transport, host: local, port: device.peer.localPort, rport: true },
      cseq: 1,
      contact: `sip:${this.options.serverId}@${local}:${device.peer.localPort}`,
      contentType: 'APPLICATION/SDP',
      headers: [{ name: 'Subject', value: `${channel.id}:${ssrc},${this.options.serverId}:0` }, USER_AGENT],
      body: Buffer.from(sdp),
    });
    const cid = newContextId();
    const log = this.options.logger.child({ cid, proto: 'gb28181', device: device.id, channel: channel.id });
    const play: ChannelPlay = {
      channelId: channel.id,
      stream: `${this.options.app}/${streamName}`,
      ssrc,
      callId: callId(invite),
      fromTag,
      cseq: 1,
      state: 'inviting',
      mode,
      startedAt: this.now(),
      cid,
      invite,
      media: new MediaSession(ssrcNumber(ssrc), {
        now: this.now,
        log,
        onMediaClosed: () => {
          // A TCP media connection that closes ends the media: the timer re-invites when it stays quiet.
        },
      }),
    };
    if (this.options.g711) {
      const transcoder = this.options.g711((packet) => play.media.pushPacket(packet), log, `/${play.stream}`);
      play.transcoder = transcoder;
      play.media.onG711 = (chunk) => transcoder.push(chunk);
    }
    channel.play = play;
    this.plays.set(play.callId, { device, channel, play });
    this.media.bind(play.media.ssrc, play.media);
    this.counters.invites++;
    log.info({ ssrc, mode, stream: play.stream }, 'gb28181 invite');
    device.peer.send(invite);
    return play;
  }

  private openPublish(device: GbDevice, play: ChannelPlay): void {
    const slash = play.stream.indexOf('/');
    const client: ClientContext = {
      cid: play.cid,
      ip: device.peer.address,
      protocol: 'gb28181',
      vhost: this.options.vhost,
      app: play.stream.slice(0, slash),
      stream: play.stream.slice(slash + 1),
      param: this.options.password ? this.options.publishParam : '',
      tcUrl: `gb28181://${device.peer.address}:${device.peer.port}/${device.id}/${play.channelId}`,
    };
    const log = this.options.logger.child({ cid: play.cid, proto: 'gb28181' });
    void this.options.sessions
      .publish({
        client,
        log,
        disconnect: (reason) => {
          const entry = this.plays.get(play.callId);
          if (entry) this.endPlay(entry.device, entry.channel, reason, true);
        },
        stillWanted: () => this.plays.has(play.callId),
      })
      .then((opened) => {
        if (!opened.ok) {
          const entry = this.plays.get(play.callId);
          if (entry) this.endPlay(entry.device, entry.channel, `publish refused: ${opened.reason}`, true);
          return;
        }
        play.media.attach(opened);
      });
  }

  private sendBye(device: GbDevice, play: ChannelPlay): void {
    if (play.state !== 'playing') return;
    const local = this.localAddress(device.peer);
    device.peer.send(
      buildRequest({
        method: 'BYE',
        uri: play.remoteTarget ?? `sip:${play.channelId}@${device.peer.address}:${device.peer.port}`,
        from: { uri: `sip:${this.options.serverId}@${this.options.domain}`, tag: play.fromTag },
        to: { uri: `sip:${play.channelId}@${this.options.domain}`, tag: play.toTag },
        via: { transport: device.peer.transport, host: local, port: device.peer.localPort, rport: true },
        callId: play.callId,
        cseq: ++play.cseq,
        headers: [USER_AGENT],
      }),
    );
  }

  private endPlay(device: GbDevice, channel: GbChannel, reason: string, sendBye: boolean): void {
    const play = channel.play;
    if (!play) return;
    channel.play = undefined;
    this.plays.delete(play.callId);
    this.media.unbind(play.media.ssrc, play.media);
    if (sendBye && device.peer.open) this.sendBye(device, play);
    play.closeConnection?.();
    play.transcoder?.close();
    play.media.end();
    this.options.logger.info({ cid: play.cid, device: device.id, channel: channel.id, reason }, 'gb28181 play ended');
  }

  private endAllPlays(device: GbDevice, reason: string, sendBye: boolean): void {
    for (const channel of device.channels.values()) this.endPlay(device, channel, reason, sendBye);
  }

  private goOffline(device: GbDevice, reason: string): void {
    clearTimeout(device.autoPlayTimer);
    this.endAllPlays(device, reason, true);
    if (device.status === 'offline') return;
    device.status = 'offline';
    device.offlineReason = reason;
    this.options.logger.info({ device: device.id, reason }, 'gb28181 device offline');
  }

  // --- timers

  private checkTimers(): void {
    const now = this.now();
    for (const device of this.devices.values()) {
      if (device.status !== 'online') continue;
      if (now > device.expiresAt) {
        this.goOffline(device, 'registration expired');
        continue;
      }
      if (now - device.lastKeepaliveAt > this.options.keepaliveTimeoutMs) {
        this.goOffline(device, 'keepalive timeout');
        continue;
      }
      for (const channel of device.channels.values()) {
        const play = channel.play;
        if (!play || now - play.media.lastMediaAt <= this.options.mediaTimeoutMs) continue;
        // Media lost (or never came): end the dialog and ask again.
        if (play.media.receiving) channel.reinvites = 0;
        this.endPlay(device, channel, 'no media', true);
        channel.reinvites++;
        this.counters.reinvites++;
        this.sendInvite(device, channel, play.mode);
      }
    }
  }

  private localAddress(peer: SipPeer): string {
    return announceAddress(this.options.announceHost, peer.address, peer.localAddress);
  }
}

function contactExpires(request: SipRequest): number | undefined {
  const contact = getHeader(request, 'Contact');
  if (!contact || contact.trim() === '*') return undefined;
  const value = parseNameAddr(contact).params.get('expires');
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function sameUdpPeer(a: SipPeer, b: SipPeer): boolean {
  return a.transport === 'UDP' && b.transport === 'UDP' && a.address === b.address && a.port === b.port;
}

/** GB/T 28181 wants the registrar's time in the 200 OK (devices set their clock from it): local ISO time, ms. */
function gbDate(date: Date): string {
  return date.toISOString().replace('Z', '').slice(0, 23);
}
