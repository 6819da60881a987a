import type { RtpPayloadUnit } from './h264-payload-format.js';
import { RtpError } from './rtp-error.js';

/**
 * Opus over RTP (RFC 7587): the payload is exactly one Opus packet (4.2, RFC 6716 3), the clock is always
 * 48 kHz whatever the coded bandwidth (4.1), and the SDP says opus/48000/2 for mono and stereo alike (7).
 *
 *   | Opus packet: TOC u8 | frames ... |
 */
export const OPUS_RTP_CLOCK_RATE = 48_000;
export const OPUS_RTP_CHANNELS = 2;
/** 120 ms is the longest Opus packet (RFC 6716 3.2.5): 6 frames of at most 1275 bytes, plus framing. */
export const OPUS_MAX_PACKET_SIZE = 6 * 1275 + 7;

/**
 * The payload for one Opus packet (no copy). marker: the first packet after a DTX silence (RFC 7587 4.1).
 */
export function packetizeOpus(packet: Buffer, marker = false): RtpPayloadUnit {
  checkOpus(packet);
  return { payload: packet, marker };
}

/** The Opus packet an RTP payload carries (the same bytes). */
export function depacketizeOpus(payload: Buffer): Buffer {
  checkOpus(payload);
  return payload;
}

function checkOpus(packet: Buffer): void {
  if (packet.length === 0) throw new RtpError('RTP_INVALID', 'empty Opus payload');
  if (packet.length > OPUS_MAX_PACKET_SIZE)
    throw new RtpError('RTP_TOO_LARGE', `Opus packet of ${packet.length} bytes`);
}
