import type { DashSegment } from './dash-segment.js';
import type { DashTrack } from './dash-track.js';

export interface ManifestInput {
  stream: string;
  tracks: readonly DashTrack[];
  segments: readonly DashSegment[];
  availabilityStartTime: Date;
  publishTime: Date;
  fragmentMs: number;
  windowMs: number;
  /** The publisher left: a static MPD of what remains. */
  ended: boolean;
  bandwidth: Record<'video' | 'audio', number>;
}

const seconds = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

/**
 * A live MPD (ISO/IEC 23009-1, isoff-live profile): one period, a video and an audio adaptation set, each with a
 * SegmentTemplate ($RepresentationID$, $Number$) and a SegmentTimeline of the segments in the window.
 */
export function renderManifest(input: ManifestInput): string {
  const first = input.segments[0];
  const last = input.segments[input.segments.length - 1];
  const attrs = [
    'xmlns="urn:mpeg:dash:schema:mpd:2011"',
    'profiles="urn:mpeg:dash:profile:isoff-live:2011"',
    `minBufferTime="${seconds(input.fragmentMs)}"`,
  ];
  if (input.ended) {
    attrs.push('type="static"', `mediaPresentationDuration="${seconds(last ? last.endMs - first.startMs : 0)}"`);
  } else {
    attrs.push(
      'type="dynamic"',
      `availabilityStartTime="${input.availabilityStartTime.toISOString()}"`,
      `publishTime="${input.publishTime.toISOString()}"`,
      `minimumUpdatePeriod="${seconds(input.fragmentMs)}"`,
      `timeShiftBufferDepth="${seconds(input.windowMs)}"`,
      `suggestedPresentationDelay="${seconds(input.fragmentMs * 3)}"`,
    );
  }
  const sets = input.tracks.map((track, index) => adaptationSet(input, track, index));
  const periodStart = input.ended && first ? seconds(0) : 'PT0S';
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<MPD ${attrs.join(' ')}>`,
    `  <Period id="0" start="${periodStart}">`,
    ...sets,
    '  </Period>',
    // Players sync their clock to ours (the direct scheme needs no time server, which a LAN may not reach).
    ...(input.ended
      ? []
      : [`  <UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014" value="${input.publishTime.toISOString()}"/>`]),
    '</MPD>',
    '',
  ].join('\n');
}

function adaptationSet(input: ManifestInput, track: DashTrack, index: number): string {
  const id = track.id;
  const timeline: string[] = [];
  let expected: number | undefined;
  for (const segment of input.segments) {
    const media = segment.media.get(id);
    if (!media) continue;
    const t = expected === undefined || media.t !== expected ? ` t="${media.t}"` : '';
    timeline.push(`          <S${t} d="${media.d}"/>`);
    expected = media.t + media.d;
  }
  const firstNumber = input.segments.find((s) => s.media.has(id))?.number ?? 0;
  const presentationOffset = input.ended && input.segments[0] ? track.toTimescale(input.segments[0].startMs) : 0;
  const template = [
    `      <SegmentTemplate timescale="${track.timescale}" startNumber="${firstNumber}"`,
    `          initialization="${input.stream}-$RepresentationID$-init.mp4" media="${input.stream}-$RepresentationID$-$Number$.m4s"${presentationOffset ? ` presentationTimeOffset="${presentationOffset}"` : ''}>`,
    '        <SegmentTimeline>',
    ...timeline,
    '        </SegmentTimeline>',
    '      </SegmentTemplate>',
  ];
  const bandwidth = Math.max(1000, Math.round(input.bandwidth[id]));
  const representation =
    track.track.kind === 'video'
      ? `      <Representation id="video" codecs="${track.codecs}" width="${track.track.width}" height="${track.track.height}" bandwidth="${bandwidth}"/>`
      : [
          `      <Representation id="audio" codecs="${track.codecs}" audioSamplingRate="${track.track.sampleRate}" bandwidth="${bandwidth}">`,
          `        <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="${track.track.channels}"/>`,
          '      </Representation>',
        ].join('\n');
  const kind = track.track.kind;
  return [
    `    <AdaptationSet id="${index}" contentType="${kind}" mimeType="${kind}/mp4" segmentAlignment="true" startWithSAP="1">`,
    ...template,
    representation,
    '    </AdaptationSet>',
  ].join('\n');
}
