import { writeFlvHeader } from '../../codec/flv/index.js';
import type { StreamSource } from '../../hub/stream-source.js';

/** The FLV file header for a stream; flags say which tracks it has (both while it is too early to tell). */
export function flvHeaderFor(source: StreamSource): Buffer {
  const hasVideo = source.header('video') !== undefined;
  const hasAudio = source.header('audio') !== undefined;
  if (!hasVideo && !hasAudio) return writeFlvHeader({ hasAudio: true, hasVideo: true });
  return writeFlvHeader({ hasAudio, hasVideo });
}
