import type { MediaPacket } from '../../hub/media-packet.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { PacketWireFormat, SharedPacket } from '../../hub/wire-format.js';
import { DEFAULT_H264_MAX_PAYLOAD_SIZE, H264Packetizer, packetizeOpus } from '../../protocol/rtp/index.js';

/** RTP clock rates of what this format carries: H.264 90 kHz, Opus 48 kHz (per ms). */
const VIDEO_TICKS_PER_MS = 90;
const AUDIO_TICKS_PER_MS = 48;

export const RTP_FORMAT_ID = 'rtp/h264-opus';

/**
 * The fixed header in front of every shared RTP payload (our own, never on the wire; a viewer's sink replaces it
 * with a real RTP header from its RtpHeaderRewriter):
 *
 *   | kind u8 (0 video, 1 audio) | flags u8 (0x80 marker) | source sequence u16 | source timestamp u32 | payload
 */
export const SHARED_RTP_HEADER_SIZE = 8;
export type SharedRtpKind = 'video' | 'audio';

export interface SharedRtpPacket {
  kind: SharedRtpKind;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  payload: Buffer;
}

/** Reads the header written by H264RtpFormat; the payload is a subarray (no copy). */
export function readSharedRtpPacket(buffer: Buffer): SharedRtpPacket {
  return {
    kind: buffer[0] === 1 ? 'audio' : 'video',
    marker: (buffer[1] & 0x80) !== 0,
    sequenceNumber: buffer.readUInt16BE(2),
    timestamp: buffer.readUInt32BE(4),
    payload: buffer.subarray(SHARED_RTP_HEADER_SIZE),
  };
}

function sharedRtpPacket(kind: SharedRtpKind, marker: boolean, seq: number, ts: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(SHARED_RTP_HEADER_SIZE + payload.length);
  out[0] = kind === 'audio' ? 1 : 0;
  out[1] = marker ? 0x80 : 0;
  out.writeUInt16BE(seq & 0xffff, 2);
  out.writeUInt32BE(ts >>> 0, 4);
  payload.copy(out, SHARED_RTP_HEADER_SIZE);
  return out;
}

/**
 * One stream's media as RTP payloads for WHEP viewers (a PacketWireFormat made once per stream: its sequence
 * numbers are the stream's). H.264 access units go through H264Packetizer (mode 1, SPS/PPS before every IDR,
 * payloads of at most 1200 bytes); Opus packets are one RTP payload each (the hub hands this format the stream's
 * Opus track: the publisher's, or the transcode of its AAC). Other video codecs yield no packets. Each media packet is encoded once; the
 * Buffers are shared by every viewer.
 */
export class H264RtpFormat implements PacketWireFormat {
  readonly id = RTP_FORMAT_ID;
  readonly packets = true as const;
  /** WebRTC audio is Opus: an AAC stream's viewers get the Opus transcode the stream carries beside it. */
  readonly audioCodecs = ['opus'] as const;
  private readonly packetizer = new H264Packetizer({
    maxPayloadSize: DEFAULT_H264_MAX_PAYLOAD_SIZE,
    parameterSetsBeforeIdr: true,
  });
  private videoSequence = 0;
  private audioSequence = 0;
  /** Packets this format could not packetize (bad access units, bad records). */
  dropped = 0;

  constructor(source?: Pick<StreamSource, 'track'>) {
    const header = source?.track('video')?.header?.packet;
    if (header?.codec === 'h264') this.configure(header);
  }

  encodePackets(shared: SharedPacket): readonly Buffer[] {
    const packet = shared.packet;
    if (packet.kind === 'video' && packet.codec === 'h264') {
      if (packet.sequenceHeader) {
        this.configure(packet);
        return [];
      }
      let units: ReturnType<H264Packetizer['packetize']>;
      try {
        units = this.packetizer.packetize(packet.payload);
      } catch {
        this.dropped++;
        return [];
      }
      const ts = Math.round(packet.pts * VIDEO_TICKS_PER_MS);
      return units.map((u) => {
        const out = sharedRtpPacket('video', u.marker, this.videoSequence, ts, u.payload);
        this.videoSequence = (this.videoSequence + 1) & 0xffff;
        return out;
      });
    }
    if (packet.kind === 'audio' && packet.codec === 'opus' && !packet.sequenceHeader) {
      let unit: ReturnType<typeof packetizeOpus>;
      try {
        unit = packetizeOpus(packet.payload);
      } catch {
        this.dropped++;
        return [];
      }
      const out = sharedRtpPacket(
        'audio',
        unit.marker,
        this.audioSequence,
        Math.round(packet.pts * AUDIO_TICKS_PER_MS),
        unit.payload,
      );
      this.audioSequence = (this.audioSequence + 1) & 0xffff;
      return [out];
    }
    return [];
  }

  private configure(header: MediaPacket): void {
    try {
      this.packetizer.setDecoderConfig(header.payload);
    } catch {
      this.dropped++;
    }
  }
}
