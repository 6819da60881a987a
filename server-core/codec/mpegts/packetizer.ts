import { TIMESTAMP_WRAP, TS_PACKET_SIZE, TS_SYNC_BYTE } from './constants.js';

export interface PacketizeOptions {
  /** PCR (90 kHz base) carried in the first packet's adaptation field. */
  pcr?: number;
  /** Marks a random access point (keyframe) on the first packet. */
  randomAccess?: boolean;
}

/**
 * Splits one PES (or a PSI section with its pointer field) into 188-byte transport packets (2.4.3.2):
 *   sync 0x47 | TEI, PUSI, priority, PID u13 | scrambling u2, adaptation control u2, continuity u4 |
 *   [adaptation field: length, flags, PCR (6 bytes), stuffing] | payload
 * The last packet is padded with adaptation-field stuffing. `nextCc` gives each packet its continuity counter.
 */
export function packetize(pid: number, payload: Buffer, nextCc: () => number, options: PacketizeOptions = {}): Buffer {
  const packets: Buffer[] = [];
  let offset = 0;
  let first = true;
  while (offset < payload.length || first) {
    const packet = Buffer.alloc(TS_PACKET_SIZE, 0xff);
    packet[0] = TS_SYNC_BYTE;
    packet.writeUInt16BE((first ? 0x4000 : 0) | (pid & 0x1fff), 1);
    const withPcr = first && options.pcr !== undefined;
    const flags = (withPcr ? 0x10 : 0) | (first && options.randomAccess ? 0x40 : 0);
    const remaining = payload.length - offset;
    // Adaptation field size needed before stuffing: length byte + flags byte (+ 6 PCR bytes).
    let adaptation = flags !== 0 ? 2 + (withPcr ? 6 : 0) : 0;
    const room = TS_PACKET_SIZE - 4 - adaptation;
    if (remaining < room) adaptation = TS_PACKET_SIZE - 4 - remaining;
    const take = Math.min(remaining, TS_PACKET_SIZE - 4 - adaptation);
    packet[3] = (adaptation > 0 ? 0x30 : 0x10) | (nextCc() & 0x0f);
    if (adaptation > 0) {
      packet[4] = adaptation - 1;
      if (adaptation > 1) {
        packet[5] = flags;
        if (withPcr) writePcr(packet, 6, options.pcr!);
      }
    }
    payload.copy(packet, 4 + adaptation, offset, offset + take);
    offset += take;
    packets.push(packet);
    first = false;
  }
  return Buffer.concat(packets);
}

/** PCR: base u33 | reserved 6 | extension u9 (extension 0). */
function writePcr(b: Buffer, pos: number, pcr: number): void {
  const base = ((Math.round(pcr) % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
  b.writeUInt32BE(Math.floor(base / 2), pos);
  b[pos + 4] = ((base & 1) << 7) | 0x7e;
  b[pos + 5] = 0;
}

export function readPcr(b: Buffer, pos: number): number {
  return b.readUInt32BE(pos) * 2 + (b[pos + 4] >> 7);
}
