/**
 * The last packets sent to one viewer on one SSRC, by output sequence number, to answer its NACKs: the
 * header this viewer got (copied into one flat ring) and the stream's shared packet the payload is in (the
 * same Buffer every viewer holds, not a view of it per viewer). A second of 2 Mbps video is ~200 packets.
 */
export const RTP_HISTORY_PACKETS = 512;
/** Headers up to this size are kept in the ring (ours are 12 bytes); longer ones are kept as they are. */
const HEADER_ROOM = 16;

export class RtpSendHistory {
  private readonly sequences = new Int32Array(RTP_HISTORY_PACKETS).fill(-1);
  private readonly headerBytes = Buffer.alloc(RTP_HISTORY_PACKETS * HEADER_ROOM);
  private readonly headerLengths = new Uint8Array(RTP_HISTORY_PACKETS);
  private readonly longHeaders = new Map<number, Buffer>();
  private readonly shared: (Buffer | undefined)[] = new Array(RTP_HISTORY_PACKETS);
  private readonly payloadOffsets = new Uint16Array(RTP_HISTORY_PACKETS);

  /** Keeps a packet sent: its header, and its payload as shared[payloadOffset...]. */
  put(sequence: number, header: Buffer, shared: Buffer, payloadOffset = 0): void {
    const slot = sequence % RTP_HISTORY_PACKETS;
    this.sequences[slot] = sequence;
    this.longHeaders.delete(slot);
    if (header.length <= HEADER_ROOM) {
      header.copy(this.headerBytes, slot * HEADER_ROOM);
      this.headerLengths[slot] = header.length;
    } else {
      this.longHeaders.set(slot, header);
      this.headerLengths[slot] = 0;
    }
    this.shared[slot] = shared;
    this.payloadOffsets[slot] = payloadOffset;
  }

  /** The header (a copy) and payload sent with this sequence number, if still kept. */
  get(sequence: number): [header: Buffer, payload: Buffer] | undefined {
    const slot = sequence % RTP_HISTORY_PACKETS;
    if (this.sequences[slot] !== sequence) return undefined;
    const shared = this.shared[slot];
    if (!shared) return undefined;
    const payload = shared.subarray(this.payloadOffsets[slot]);
    const long = this.longHeaders.get(slot);
    if (long) return [long, payload];
    const at = slot * HEADER_ROOM;
    return [Buffer.from(this.headerBytes.subarray(at, at + this.headerLengths[slot])), payload];
  }
}
