import { type Box, findBox, parseTfdt, parseTrun, readBoxes } from '../../../server-core/codec/fmp4/index.js';

/** An LL-HLS media playlist as the tests check it (RFC 8216bis). */
export interface LlPlaylist {
  version: number;
  targetDuration: number;
  mediaSequence: number;
  serverControl: Record<string, string>;
  partTarget: number;
  map?: string;
  skipped: number;
  segments: { uri: string; duration: number; msn: number }[];
  parts: { uri: string; duration: number; independent: boolean }[];
  preloadHint?: string;
  ended: boolean;
}

const attributes = (list: string): Record<string, string> =>
  Object.fromEntries(
    [...list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)].map((m) => [m[1], m[2].replace(/^"|"$/g, '')]),
  );

export function parseLlPlaylist(text: string): LlPlaylist {
  const lines = text.split('\n').map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error(`not a playlist: ${text.slice(0, 80)}`);
  const out: LlPlaylist = {
    version: 0,
    targetDuration: 0,
    mediaSequence: 0,
    serverControl: {},
    partTarget: 0,
    skipped: 0,
    segments: [],
    parts: [],
    ended: false,
  };
  let duration = 0;
  const value = (line: string) => line.slice(line.indexOf(':') + 1);
  for (const line of lines) {
    if (line.startsWith('#EXT-X-VERSION:')) out.version = Number(value(line));
    else if (line.startsWith('#EXT-X-TARGETDURATION:')) out.targetDuration = Number(value(line));
    else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) out.mediaSequence = Number(value(line));
    else if (line.startsWith('#EXT-X-SERVER-CONTROL:')) out.serverControl = attributes(value(line));
    else if (line.startsWith('#EXT-X-PART-INF:')) out.partTarget = Number(attributes(value(line))['PART-TARGET']);
    else if (line.startsWith('#EXT-X-MAP:')) out.map ??= attributes(value(line)).URI;
    else if (line.startsWith('#EXT-X-SKIP:')) out.skipped = Number(attributes(value(line))['SKIPPED-SEGMENTS']);
    else if (line.startsWith('#EXT-X-PART:')) {
      const a = attributes(value(line));
      out.parts.push({ uri: a.URI, duration: Number(a.DURATION), independent: a.INDEPENDENT === 'YES' });
    } else if (line.startsWith('#EXT-X-PRELOAD-HINT:')) out.preloadHint = attributes(value(line)).URI;
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(value(line));
    else if (line === '#EXT-X-ENDLIST') out.ended = true;
    else if (line && !line.startsWith('#')) {
      out.segments.push({ uri: line, duration, msn: out.mediaSequence + out.skipped + out.segments.length });
    }
  }
  return out;
}

/** One track's run inside a moof: where it starts (tfdt), how long it lasts, whether its first sample is sync. */
export interface TrackRun {
  trackId: number;
  start: number;
  duration: number;
  firstIsSync: boolean;
}

/** Every moof's track runs in a part or segment (moof+mdat pairs back to back). */
export function trackRuns(bytes: Buffer): TrackRun[] {
  const runs: TrackRun[] = [];
  for (const moof of readBoxes(bytes).filter((b) => b.type === 'moof')) {
    for (const traf of (moof.children ?? []).filter((b: Box) => b.type === 'traf')) {
      const children = traf.children ?? [];
      const tfhd = findBox(children, 'tfhd')!;
      const trun = parseTrun(findBox(children, 'trun')!);
      runs.push({
        trackId: tfhd.payload.readUInt32BE(4),
        start: parseTfdt(findBox(children, 'tfdt')!),
        duration: trun.samples.reduce((sum, s) => sum + (s.duration ?? 0), 0),
        // sample_depends_on = 2 (depends on no other sample) and not a non-sync sample.
        firstIsSync: ((trun.samples[0]?.flags ?? 0) & 0x00010000) === 0,
      });
    }
  }
  return runs;
}
