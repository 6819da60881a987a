import { validateCodecConfig } from '../codec/config-validation.js';
import type { MediaPacket } from './media-packet.js';

/**
 * Checks a sequence header the way every muxer will later read it. Returns why it is unusable, or undefined
 * when it is fine (codecs without a checker pass).
 */
export function checkCodecConfig(packet: MediaPacket): string | undefined {
  const verdict = validateCodecConfig(packet.codec, packet.payload);
  return verdict.ok ? undefined : verdict.reason;
}
