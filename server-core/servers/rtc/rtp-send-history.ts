/**
 * The last packets sent to one viewer on one SSRC, by output sequence number, to answer its NACKs: the
 * 12-byte header this viewer got and the shared payload (not copied). A second of 2 Mbps video is ~200 packets.
 */
export const RTP_HISTORY_PACKETS = 512;

export class RtpSendHistory {
  private readonly sequences = new Int32Array(RTP_HISTORY_PACKETS).fill(-1);
  private readonly headers: (Buffer | undefined)[] = new Array(RTP_HISTORY_PACKETS);
  private readonly payloads: (Buffer | undefined)[] = new Array(RTP_HISTORY_PACKETS);

  put(sequence: number, header: Buffer, payload: Buffer): void {
    const slot = sequence % RTP_HISTORY_PACKETS;
    this.sequences[slot] = sequence;
    this.headers[slot] = header;
    this.payloads[slot] = payload;
  }

  get(sequence: number): [header: Buffer, payload: Buffer] | undefined {
    const slot = sequence % RTP_HISTORY_PACKETS;
    if (this.sequences[slot] !== sequence) return undefined;
    const header = this.headers[slot];
    const payload = this.payloads[slot];
    return header && payload ? [header, payload] : undefined;
  }
}
