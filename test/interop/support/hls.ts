/** A parsed media playlist: what the tests check against RFC 8216. */
export interface ParsedPlaylist {
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  segments: { uri: string; duration: number; discontinuity: boolean }[];
  ended: boolean;
}

export function parsePlaylist(text: string): ParsedPlaylist {
  const lines = text.split('\n').map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error(`not a playlist: ${text.slice(0, 80)}`);
  const result: ParsedPlaylist = {
    targetDuration: 0,
    mediaSequence: 0,
    discontinuitySequence: 0,
    segments: [],
    ended: false,
  };
  let duration = 0;
  let discontinuity = false;
  for (const line of lines) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) result.targetDuration = Number(line.split(':')[1]);
    else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) result.mediaSequence = Number(line.split(':')[1]);
    else if (line.startsWith('#EXT-X-DISCONTINUITY-SEQUENCE:'))
      result.discontinuitySequence = Number(line.split(':')[1]);
    else if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line === '#EXT-X-ENDLIST') result.ended = true;
    else if (line && !line.startsWith('#')) {
      result.segments.push({ uri: line, duration, discontinuity });
      discontinuity = false;
    }
  }
  return result;
}
