import { type AdaptationFieldInput, adaptationFieldSize, writeAdaptationField } from './adaptation-field.js';
import { TS_HEADER_SIZE, TS_PACKET_SIZE, TS_PAYLOAD_SIZE } from './constants.js';
import { writeTsPacketHeader } from './ts-packet.js';

/**
 * Cutting a PES or a PSI section into transport packets (ISO/IEC 13818-1 2.4.3.2-2.4.3.5). The first packet
 * has payload_unit_start_indicator set; packet i gets continuity_counter (first + i) mod 16.
 *
 * PES: the first packet may carry an adaptation field (PCR, random_access_indicator); the last one is filled up
 * with adaptation-field stuffing, since PES payload bytes cannot be padding (2.4.3.5).
 * PSI: a pointer_field of 0 precedes the section and 0xFF bytes fill the last packet (2.4.4.2).
 */
export interface SectionPacketizeOptions {
  pid: number;
  /** continuity_counter of the first packet. */
  continuityCounter: number;
}

export interface PacketizeOptions extends SectionPacketizeOptions, AdaptationFieldInput {}

/** Packets a PES of `length` bytes takes when the first packet carries `first`. */
export function pesPacketCount(length: number, first: AdaptationFieldInput = {}): number {
  const firstRoom = TS_PAYLOAD_SIZE - adaptationFieldSize(first);
  if (length <= firstRoom) return 1;
  return 1 + Math.ceil((length - firstRoom) / TS_PAYLOAD_SIZE);
}

/** Writes the PES held in `parts` (header, data...) as packets at out[at]; returns the offset after them. */
export function writePesPackets(out: Buffer, at: number, parts: readonly Buffer[], options: PacketizeOptions): number {
  let remaining = 0;
  for (const part of parts) remaining += part.length;
  const count = pesPacketCount(remaining, options);
  let partIndex = 0;
  let partOffset = 0;
  let pos = at;
  for (let i = 0; i < count; i++) {
    let adaptation = i === 0 ? adaptationFieldSize(options) : 0;
    let room = TS_PAYLOAD_SIZE - adaptation;
    if (remaining < room) {
      adaptation = TS_PAYLOAD_SIZE - remaining;
      room = remaining;
    }
    writeTsPacketHeader(out, pos, {
      pid: options.pid,
      payloadUnitStart: i === 0,
      continuityCounter: options.continuityCounter + i,
      hasAdaptation: adaptation > 0,
      hasPayload: true,
    });
    if (adaptation > 0) writeAdaptationField(out, pos + TS_HEADER_SIZE, adaptation, i === 0 ? options : {});
    // Copy `room` bytes from the parts, crossing part boundaries.
    let write = pos + TS_HEADER_SIZE + adaptation;
    let left = room;
    while (left > 0) {
      const part = parts[partIndex];
      const n = Math.min(left, part.length - partOffset);
      part.copy(out, write, partOffset, partOffset + n);
      write += n;
      left -= n;
      partOffset += n;
      if (partOffset === part.length) {
        partIndex++;
        partOffset = 0;
      }
    }
    remaining -= room;
    pos += TS_PACKET_SIZE;
  }
  return pos;
}

/** A PES as packets, in one new buffer. */
export function packetizePes(parts: readonly Buffer[], options: PacketizeOptions): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = Buffer.allocUnsafe(pesPacketCount(length, options) * TS_PACKET_SIZE);
  writePesPackets(out, 0, parts, options);
  return out;
}

/** Packets a PSI section of `length` bytes takes (with its pointer_field). */
export function sectionPacketCount(length: number): number {
  return Math.ceil((1 + length) / TS_PAYLOAD_SIZE);
}

/** Writes one section as packets at out[at]; returns the offset after them. */
export function writeSectionPackets(
  out: Buffer,
  at: number,
  section: Buffer,
  options: SectionPacketizeOptions,
): number {
  const count = sectionPacketCount(section.length);
  out.fill(0xff, at, at + count * TS_PACKET_SIZE);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const pos = at + i * TS_PACKET_SIZE;
    writeTsPacketHeader(out, pos, {
      pid: options.pid,
      payloadUnitStart: i === 0,
      continuityCounter: options.continuityCounter + i,
      hasAdaptation: false,
      hasPayload: true,
    });
    let write = pos + TS_HEADER_SIZE;
    if (i === 0) out[write++] = 0; // pointer_field: the section starts right away
    const n = Math.min(section.length - offset, pos + TS_PACKET_SIZE - write);
    section.copy(out, write, offset, offset + n);
    offset += n;
  }
  return at + count * TS_PACKET_SIZE;
}

export function packetizeSection(section: Buffer, options: SectionPacketizeOptions): Buffer {
  const out = Buffer.allocUnsafe(sectionPacketCount(section.length) * TS_PACKET_SIZE);
  writeSectionPackets(out, 0, section, options);
  return out;
}
