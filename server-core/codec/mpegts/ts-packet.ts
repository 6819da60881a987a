import { type AdaptationField, parseAdaptationField } from './adaptation-field.js';
import { TS_HEADER_SIZE, TS_PACKET_SIZE, TS_SYNC_BYTE } from './constants.js';
import { TsError } from './ts-error.js';

/**
 * Transport packet (ISO/IEC 13818-1 2.4.3.2), 188 bytes:
 *
 *   sync_byte 0x47 | transport_error 1 | payload_unit_start 1 | priority 1 | PID u13 |
 *   scrambling u2 | adaptation_field_control u2 | continuity_counter u4 | [adaptation_field] | [payload]
 *
 * adaptation_field_control: 01 payload only, 10 adaptation field only, 11 both, 00 reserved (discarded).
 */
export interface TsPacket {
  pid: number;
  transportError: boolean;
  payloadUnitStart: boolean;
  scrambling: number;
  continuityCounter: number;
  /** Whether the packet carries payload (the continuity counter only counts those). */
  hasPayload: boolean;
  adaptation?: AdaptationField;
  /** Subarray of the packet; empty without payload. */
  payload: Buffer;
}

export interface TsPacketHeader {
  pid: number;
  payloadUnitStart: boolean;
  continuityCounter: number;
  hasAdaptation: boolean;
  hasPayload: boolean;
}

export function writeTsPacketHeader(out: Buffer, at: number, header: TsPacketHeader): void {
  out[at] = TS_SYNC_BYTE;
  out.writeUInt16BE((header.payloadUnitStart ? 0x4000 : 0) | (header.pid & 0x1fff), at + 1);
  const control = (header.hasAdaptation ? 0x20 : 0) | (header.hasPayload ? 0x10 : 0);
  out[at + 3] = control | (header.continuityCounter & 0x0f);
}

/** Parses one 188-byte packet (buf may be longer; only its first 188 bytes are read). */
export function parseTsPacket(buf: Buffer): TsPacket {
  if (buf.length < TS_PACKET_SIZE) throw new TsError('TS_TRUNCATED', `transport packet of ${buf.length} bytes`);
  if (buf[0] !== TS_SYNC_BYTE) throw new TsError('TS_INVALID', `sync byte 0x${buf[0].toString(16)}`);
  const pidWord = buf.readUInt16BE(1);
  const control = (buf[3] >> 4) & 0x03;
  if (control === 0) throw new TsError('TS_INVALID', 'reserved adaptation_field_control 00');
  const packet = buf.subarray(0, TS_PACKET_SIZE);
  const hasPayload = (control & 0x01) !== 0;
  let payloadStart = TS_HEADER_SIZE;
  let adaptation: AdaptationField | undefined;
  if (control & 0x02) {
    adaptation = parseAdaptationField(packet.subarray(TS_HEADER_SIZE));
    payloadStart += 1 + packet[TS_HEADER_SIZE];
  }
  return {
    pid: pidWord & 0x1fff,
    transportError: (pidWord & 0x8000) !== 0,
    payloadUnitStart: (pidWord & 0x4000) !== 0,
    scrambling: buf[3] >> 6,
    continuityCounter: buf[3] & 0x0f,
    hasPayload,
    adaptation,
    payload: hasPayload ? packet.subarray(payloadStart) : packet.subarray(TS_PACKET_SIZE),
  };
}
