/**
 * What the main thread hands a send worker in one message: the chunks of bytes (RTP headers, shared payloads
 * stored once however many viewers get them, plain RTCP) in one transferable ArrayBuffer, and one record per
 * datagram to protect and send:
 *
 *   chunks   | bytes of chunk 0 | chunk 1 | ... |          offsets: Uint32 [start0, start1, ..., end]
 *   records  Uint32 x4 each: viewer id, kind (0 RTP, 1 RTCP), chunk (RTP header or RTCP packet), payload chunk
 *
 * Three ArrayBuffers of their own (allocUnsafeSlow: never a slice of Node's shared pool), so they can be
 * transferred without copying.
 */
export const SEND_RTP = 0;
export const SEND_RTCP = 1;
const RECORD_WORDS = 4;

export interface SendBatch {
  data: ArrayBuffer;
  offsets: ArrayBuffer;
  records: ArrayBuffer;
  /** Bytes the records put on the wire before SRTP (what back-pressure counts). */
  bytes: number;
}

export interface SendRecord {
  viewer: number;
  kind: typeof SEND_RTP | typeof SEND_RTCP;
  /** RTP header, or the RTCP compound packet. */
  head: Buffer;
  /** RTP payload (empty for RTCP). */
  payload: Buffer;
}

export class SendBatchWriter {
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Shared payloads already stored in this batch: by their memory, whichever subarray object carries them. */
  private stored = new Map<ArrayBufferLike, Map<number, number>>();
  private records: number[] = [];
  private wireBytes = 0;

  get empty(): boolean {
    return this.records.length === 0;
  }

  get bytes(): number {
    return this.wireBytes;
  }

  rtp(viewer: number, header: Buffer, payload: Buffer): void {
    this.records.push(viewer, SEND_RTP, this.add(header), this.shared(payload));
    this.wireBytes += header.length + payload.length;
  }

  rtcp(viewer: number, packet: Buffer): void {
    this.records.push(viewer, SEND_RTCP, this.add(packet), 0);
    this.wireBytes += packet.length;
  }

  /** The batch so far, ready to transfer; the writer starts over empty. */
  take(): SendBatch {
    const data = Buffer.allocUnsafeSlow(this.chunkBytes);
    const offsets = new Uint32Array(this.chunks.length + 1);
    let at = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      offsets[i] = at;
      this.chunks[i].copy(data, at);
      at += this.chunks[i].length;
    }
    offsets[this.chunks.length] = at;
    const batch: SendBatch = {
      data: data.buffer as ArrayBuffer,
      offsets: offsets.buffer,
      records: new Uint32Array(this.records).buffer,
      bytes: this.wireBytes,
    };
    this.chunks = [];
    this.chunkBytes = 0;
    this.stored = new Map();
    this.records = [];
    this.wireBytes = 0;
    return batch;
  }

  private add(bytes: Buffer): number {
    this.chunks.push(bytes);
    this.chunkBytes += bytes.length;
    return this.chunks.length - 1;
  }

  private shared(payload: Buffer): number {
    let byOffset = this.stored.get(payload.buffer);
    if (!byOffset) {
      byOffset = new Map();
      this.stored.set(payload.buffer, byOffset);
    }
    // Offset and length together: two payloads may start at the same byte of one pool slab only if equal.
    const key = payload.byteOffset * 0x10000 + payload.length;
    const known = byOffset.get(key);
    if (known !== undefined) return known;
    const index = this.add(payload);
    byOffset.set(key, index);
    return index;
  }
}

/** Calls visit for each record of a batch (Buffers are views into the batch, valid during the call). */
export function readSendBatch(batch: SendBatch, visit: (record: SendRecord) => void): void {
  const data = Buffer.from(batch.data);
  const offsets = new Uint32Array(batch.offsets);
  const records = new Uint32Array(batch.records);
  const chunks = offsets.length - 1;
  const chunk = (i: number): Buffer => {
    if (i >= chunks) throw new RangeError(`send batch chunk ${i} of ${chunks}`);
    return data.subarray(offsets[i], offsets[i + 1]);
  };
  const empty = Buffer.alloc(0);
  for (let r = 0; r + RECORD_WORDS <= records.length; r += RECORD_WORDS) {
    const kind = records[r + 1] === SEND_RTCP ? SEND_RTCP : SEND_RTP;
    visit({
      viewer: records[r],
      kind,
      head: chunk(records[r + 2]),
      payload: kind === SEND_RTP ? chunk(records[r + 3]) : empty,
    });
  }
}
