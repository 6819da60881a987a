import type { SipRequest } from '../../protocol/sip/message.js';
import type { MediaSession } from './media-session.js';
import type { SipPeer } from './sip-endpoint.js';

/** One INVITE dialog carrying one channel's media. */
export interface ChannelPlay {
  /** Context id of the publish in every log line. */
  cid: string;
  channelId: string;
  /** `app/stream` it publishes as. */
  stream: string;
  ssrc: string;
  callId: string;
  fromTag: string;
  toTag?: string;
  cseq: number;
  /** The device's Contact from its 200 OK: where in-dialog requests go. */
  remoteTarget?: string;
  state: 'inviting' | 'playing';
  mode: 'tcp-passive' | 'tcp-active' | 'udp';
  media: MediaSession;
  /** TCP active: closes our connection to the device. */
  closeConnection?: () => void;
  startedAt: number;
  /** Our INVITE (its ACK and BYE are built from it). */
  invite: SipRequest;
  /** G.711 to AAC, when the stream carries G.711. */
  transcoder?: { close(): void };
}

export interface GbChannel {
  id: string;
  name?: string;
  manufacturer?: string;
  model?: string;
  status?: string;
  play?: ChannelPlay;
  /** Media of this channel timed out this many times in a row (reset by a packet). */
  reinvites: number;
}

/** A GB/T 28181 device (camera, NVR) as the registrar knows it. */
export interface GbDevice {
  id: string;
  status: 'online' | 'offline';
  peer: SipPeer;
  /** The address it registered from (its Contact host may be a private address behind NAT). */
  contact?: string;
  registeredAt: number;
  expiresAt: number;
  lastKeepaliveAt: number;
  /** From its Catalog response, in order; empty until it answered (the device itself is then the channel). */
  channels: Map<string, GbChannel>;
  catalogAnswered: boolean;
  /** Why it went offline, when it did. */
  offlineReason?: string;
  /** CSeq of our requests outside INVITE dialogs (MESSAGE). */
  cseq: number;
  sn: number;
  /** Pending timer for the first INVITE, when the catalog is late. */
  autoPlayTimer?: NodeJS.Timeout;
}

/** What the API lists: a device and its channels. */
export interface GbDeviceView {
  id: string;
  status: 'online' | 'offline';
  transport: 'TCP' | 'UDP';
  address: string;
  registered_at: string;
  expires_at: string;
  last_keepalive_at: string;
  offline_reason?: string;
  channels: GbChannelView[];
}

export interface GbChannelView {
  id: string;
  name?: string;
  manufacturer?: string;
  model?: string;
  status?: string;
  /** `app/stream` while an INVITE is up. */
  stream?: string;
  play_state?: 'inviting' | 'playing';
  mode?: ChannelPlay['mode'];
  video_codec?: string;
  audio_codec?: string;
  rtp_packets?: number;
}

export function deviceView(device: GbDevice): GbDeviceView {
  const view: GbDeviceView = {
    id: device.id,
    status: device.status,
    transport: device.peer.transport,
    address: `${device.peer.address}:${device.peer.port}`,
    registered_at: new Date(device.registeredAt).toISOString(),
    expires_at: new Date(device.expiresAt).toISOString(),
    last_keepalive_at: new Date(device.lastKeepaliveAt).toISOString(),
    channels: channelsOf(device).map(channelView),
  };
  if (device.offlineReason) view.offline_reason = device.offlineReason;
  return view;
}

/** The device's channels, or the device as its own channel when it has none. */
export function channelsOf(device: GbDevice): GbChannel[] {
  return [...device.channels.values()];
}

function channelView(channel: GbChannel): GbChannelView {
  const view: GbChannelView = { id: channel.id };
  if (channel.name) view.name = channel.name;
  if (channel.manufacturer) view.manufacturer = channel.manufacturer;
  if (channel.model) view.model = channel.model;
  if (channel.status) view.status = channel.status;
  const play = channel.play;
  if (play) {
    view.stream = play.stream;
    view.play_state = play.state;
    view.mode = play.mode;
    const codecs = play.media.codecs;
    if (codecs.video) view.video_codec = codecs.video;
    if (codecs.audio) view.audio_codec = codecs.audio;
    view.rtp_packets = play.media.stats.rtpPackets;
  }
  return view;
}
