import { describeTrack } from '../../codec/fmp4/track-description.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { HlsStream } from './hls-stream.js';

/** One EXT-X-STREAM-INF entry: a rendition's media playlist and what a player picks it by. */
export interface HlsVariant {
  uri: string;
  /** Peak bits per second over the rendition's segments (RFC 8216 4.3.4.2: BANDWIDTH is the peak). */
  bandwidth: number;
  width?: number;
  height?: number;
  /** RFC 6381 values, e.g. `avc1.64001f,mp4a.40.2`. */
  codecs?: string;
}

/** A master playlist (RFC 8216 4.3.4.2) over renditions, highest bandwidth first. */
export function renderMasterPlaylist(variants: readonly HlsVariant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of [...variants].sort((a, b) => b.bandwidth - a.bandwidth)) {
    const attributes = [`BANDWIDTH=${v.bandwidth}`];
    if (v.width && v.height) attributes.push(`RESOLUTION=${v.width}x${v.height}`);
    if (v.codecs) attributes.push(`CODECS="${v.codecs}"`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, v.uri);
  }
  return `${lines.join('\n')}\n`;
}

/** A rendition's variant from its live HLS stream (bandwidth) and hub source (codecs, picture size). */
export function describeVariant(uri: string, hls: HlsStream, source: StreamSource | undefined): HlsVariant {
  let bandwidth = 0;
  for (const segment of hls.allSegments()) {
    if (segment.durationMs > 0) bandwidth = Math.max(bandwidth, (segment.data.length * 8000) / segment.durationMs);
  }
  const variant: HlsVariant = { uri, bandwidth: Math.round(bandwidth) };
  const codecs: string[] = [];
  for (const kind of ['video', 'audio'] as const) {
    const track = source?.track(kind);
    const header = track?.header?.packet.payload;
    if (!track || !header) continue;
    try {
      const described = describeTrack(kind === 'video' ? 1 : 2, track.codec, header);
      codecs.push(described.codecs);
      if (kind === 'video' && described.width && described.height) {
        variant.width = described.width;
        variant.height = described.height;
      }
    } catch {
      // A codec without an RFC 6381 value here (MP3, say): CODECS is optional, players probe.
    }
  }
  if (codecs.length) variant.codecs = codecs.join(',');
  return variant;
}
