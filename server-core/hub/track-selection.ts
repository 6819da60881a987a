import type { AudioCodec, AudioPreference, MediaKind, MediaPacket } from './media-packet.js';
import type { StreamTrack } from './stream-track.js';

export type { AudioPreference };

/** What FLV, MPEG-TS and fMP4 consumers take when they say nothing: AAC or MP3 first, then whatever there is. */
export const CONTAINER_AUDIO: AudioPreference = ['aac', 'mp3', 'opus', 'g711a', 'g711u'];
/** Containers of a stream whose Opus is being transcoded to AAC: they wait for the AAC rather than start on Opus. */
export const CONTAINER_AUDIO_NO_OPUS: AudioPreference = ['aac', 'mp3', 'g711a', 'g711u'];

type TrackKind = Exclude<MediaKind, 'data'>;

/** The track of a kind a consumer gets: for video the lowest id the publisher sent; for audio by preference. */
export function selectTrack(
  tracks: ReadonlyMap<number, StreamTrack>,
  kind: TrackKind,
  audio: AudioPreference,
): StreamTrack | undefined {
  let best: StreamTrack | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const t of tracks.values()) {
    if (t.kind !== kind || !t.header) continue;
    let rank: number;
    if (kind === 'video') rank = t.derived ? 1 : 0;
    else {
      rank = audio.indexOf(t.codec as AudioCodec);
      if (rank < 0) continue;
    }
    if (rank < bestRank || (rank === bestRank && best && t.id < best.id)) {
      best = t;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Whether a packet goes to a consumer with this preference: data always; media of the selected track; media
 * of a track nobody can select yet (no valid header so far) only if the server did not make it.
 */
export function routesTo(
  tracks: ReadonlyMap<number, StreamTrack>,
  packet: MediaPacket,
  audio: AudioPreference,
): boolean {
  if (packet.kind === 'data') return true;
  const selected = selectTrack(tracks, packet.kind, audio);
  if (selected) return selected.id === packet.track;
  return (
    tracks.get(packet.track)?.derived !== true &&
    (packet.kind === 'video' || audio.includes(packet.codec as AudioCodec))
  );
}
