import type { Reader } from '../../hub/reader.js';
import { describeAudio, describeVideo } from '../../hub/stream-info.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { Rates } from '../system/traffic-sampler.js';
import type { ClientStatsExtra, ClientStatsProviders } from './client-stats.js';

/** A stream as SRS's /api/v1/streams writes it (field names are what third-party dashboards read). */
export function streamView(source: StreamSource, rates: Rates, vhostId: string, nowMs: number) {
  const { key, stats } = source;
  const video = source.header('video') ? describeVideo(source.header('video')!.packet) : undefined;
  const audio = source.header('audio') ? describeAudio(source.header('audio')!.packet) : undefined;
  // SRS counts the publisher and the players; the app's own previews are not players.
  const viewers = source.viewers();
  return {
    id: source.streamId,
    name: key.stream,
    vhost: vhostId,
    app: key.app,
    tcUrl: source.publisher.tcUrl ?? `rtmp://127.0.0.1/${key.app}`,
    url: `/${key.app}/${key.stream}`,
    live_ms: nowMs,
    clients: viewers.length + 1,
    frames: stats.videoFrames,
    send_bytes: source.sentBytes(),
    recv_bytes: stats.recvBytes,
    kbps: { recv_30s: rates.recvKbps, send_30s: rates.sendKbps },
    publish: { active: source.isPublishing, cid: source.publisher.cid },
    video: video
      ? {
          codec: video.codec,
          profile: video.profile,
          level: video.level,
          width: video.width,
          height: video.height,
          // Tally: B-frames make WebRTC players stutter (the app warns).
          bframes: stats.bFrames,
        }
      : null,
    audio: audio
      ? { codec: audio.codec, sample_rate: audio.sampleRate, channel: audio.channels, profile: audio.profile }
      : null,
    // Tally additions (SRS clients ignore unknown fields).
    protocol: source.publisher.protocol,
    fps: video?.fps ?? null,
    uptime_ms: nowMs - stats.publishedAt,
    frames_dropped: stats.framesDropped + source.readers().reduce((sum, r) => sum + r.framesDropped, 0),
  };
}

const PLAY_TYPES: Record<string, string> = {
  rtmp: 'rtmp-play',
  'http-flv': 'flv-play',
  'ws-flv': 'flv-play',
  'http-ts': 'ts-play',
};

export function publisherClientView(source: StreamSource, rates: Rates, vhostId: string, nowMs: number) {
  const { publisher, key, stats } = source;
  return {
    id: publisher.cid,
    vhost: vhostId,
    stream: source.streamId,
    ip: publisher.ip,
    pageUrl: '',
    swfUrl: '',
    tcUrl: publisher.tcUrl ?? '',
    url: `/${key.app}/${key.stream}`,
    name: key.stream,
    type: publisher.protocol === 'rtmp' ? 'fmle-publish' : `${publisher.protocol}-publish`,
    publish: true,
    protocol: publisher.protocol,
    alive: (nowMs - stats.publishedAt) / 1000,
    send_bytes: 0,
    recv_bytes: stats.recvBytes,
    kbps: { recv_30s: rates.recvKbps, send_30s: 0 },
  };
}

export function readerClientView(source: StreamSource, reader: Reader, rates: Rates, vhostId: string, nowMs: number) {
  const { key } = source;
  return {
    id: reader.info.cid,
    vhost: vhostId,
    stream: source.streamId,
    ip: reader.info.ip,
    pageUrl: '',
    swfUrl: '',
    tcUrl: '',
    url: `/${key.app}/${key.stream}`,
    name: key.stream,
    type: PLAY_TYPES[reader.info.protocol] ?? `${reader.info.protocol}-play`,
    publish: false,
    protocol: reader.info.protocol,
    alive: (nowMs - reader.startedAt) / 1000,
    send_bytes: reader.bytesSent,
    recv_bytes: 0,
    kbps: { recv_30s: 0, send_30s: rates.sendKbps },
    frames_dropped: reader.framesDropped,
  };
}

export type StreamView = ReturnType<typeof streamView>;
export type ClientView = (ReturnType<typeof publisherClientView> | ReturnType<typeof readerClientView>) &
  ClientStatsExtra;

/** A client's view with the protocol detail its listener supplies (`srt` for SRT clients). */
export function withClientStats(view: ClientView, providers: ClientStatsProviders): ClientView {
  const extra = providers.extrasFor(view.id);
  return extra.srt ? { ...view, srt: extra.srt } : view;
}
