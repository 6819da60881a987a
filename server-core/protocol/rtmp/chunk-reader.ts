import { MSG, RtmpError, type RtmpMessage } from './message.js';

/**
 * Chunk stream decoder (RTMP spec 1.0 section 5.3). Each chunk:
 *   basic header: fmt u2 | csid u6 (0 -> csid 64 + u8, 1 -> csid 64 + u16 LE)
 *   message header: fmt0 ts u24 | len u24 | type u8 | stream id u32 LE;  fmt1 delta u24 | len u24 | type u8;
 *                   fmt2 delta u24;  fmt3 nothing
 *   extended timestamp u32 when the 24-bit field is 0xFFFFFF (and on fmt3 chunks of such a message)
 *   data: up to the chunk size
 */
export const DEFAULT_CHUNK_SIZE = 128;
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
export const DEFAULT_MAX_CHUNK_STREAMS = 64;
/** Largest chunk size we accept from a peer (the spec allows 2^31-1; nobody sane sends more than this). */
export const MAX_ACCEPTED_CHUNK_SIZE = 16 * 1024 * 1024;
const EXTENDED = 0xffffff;

interface ChunkStream {
  timestamp: number;
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  /** The header carried an extended timestamp: fmt3 chunks of this stream may repeat it. */
  extended: boolean;
  extendedValue: number;
  parts: Buffer[];
  received: number;
  /** A header has been seen, so fmt 1-3 have something to inherit from. */
  initialized: boolean;
}

export class ChunkReader {
  private buffer: Buffer = Buffer.alloc(0);
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, ChunkStream>();
  private readonly maxMessageSize: number;
  private readonly maxChunkStreams: number;

  constructor(opts: { maxMessageSize?: number; maxChunkStreams?: number } = {}) {
    this.maxMessageSize = opts.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.maxChunkStreams = opts.maxChunkStreams ?? DEFAULT_MAX_CHUNK_STREAMS;
  }

  get incomingChunkSize(): number {
    return this.chunkSize;
  }

  push(bytes: Buffer): RtmpMessage[] {
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    const messages: RtmpMessage[] = [];
    let pos = 0;
    for (;;) {
      const consumed = this.readChunk(this.buffer, pos, messages);
      if (consumed === 0) break;
      pos += consumed;
    }
    this.buffer = pos === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(pos);
    return messages;
  }

  /** Reads one chunk at `pos`; returns bytes consumed, 0 when the chunk is not complete yet. */
  private readChunk(buf: Buffer, pos: number, out: RtmpMessage[]): number {
    const start = pos;
    if (buf.length - pos < 1) return 0;
    const fmt = buf[pos] >> 6;
    let csid = buf[pos] & 0x3f;
    pos += 1;
    if (csid === 0) {
      if (buf.length - pos < 1) return 0;
      csid = 64 + buf[pos];
      pos += 1;
    } else if (csid === 1) {
      if (buf.length - pos < 2) return 0;
      csid = 64 + buf[pos] + buf[pos + 1] * 256;
      pos += 2;
    }
    const headerSize = fmt === 0 ? 11 : fmt === 1 ? 7 : fmt === 2 ? 3 : 0;
    if (buf.length - pos < headerSize) return 0;
    let stream = this.streams.get(csid);
    if (!stream) {
      if (this.streams.size >= this.maxChunkStreams) {
        throw new RtmpError('RTMP_TOO_MANY_CHUNK_STREAMS', `more than ${this.maxChunkStreams} chunk streams`);
      }
      stream = {
        timestamp: 0,
        delta: 0,
        length: 0,
        typeId: 0,
        streamId: 0,
        extended: false,
        extendedValue: 0,
        parts: [],
        received: 0,
        initialized: false,
      };
      this.streams.set(csid, stream);
    }
    const newMessage = stream.received === 0;
    let timeField = 0;
    let length = stream.length;
    let typeId = stream.typeId;
    let streamId = stream.streamId;
    if (fmt <= 2) {
      timeField = buf.readUIntBE(pos, 3);
      if (fmt <= 1) {
        length = buf.readUIntBE(pos + 3, 3);
        typeId = buf[pos + 6];
      }
      if (fmt === 0) streamId = buf.readUInt32LE(pos + 7);
    } else if (!stream.initialized) {
      throw new RtmpError('RTMP_BAD_STATE', `fmt 3 chunk on new chunk stream ${csid}`);
    }
    pos += headerSize;
    let extended = stream.extended;
    let extendedValue = stream.extendedValue;
    if (fmt <= 2) {
      extended = timeField === EXTENDED;
      if (extended) {
        if (buf.length - pos < 4) return 0;
        extendedValue = buf.readUInt32BE(pos);
        pos += 4;
      }
    } else if (extended) {
      // Some encoders repeat the extended timestamp on fmt 3 chunks, some do not: accept both.
      if (buf.length - pos < 4) return 0;
      if (buf.readUInt32BE(pos) === extendedValue) pos += 4;
    }
    if (length > this.maxMessageSize) {
      throw new RtmpError('RTMP_MESSAGE_TOO_LARGE', `message of ${length} bytes (limit ${this.maxMessageSize})`);
    }
    const dataSize = Math.min(this.chunkSize, length - (newMessage ? 0 : stream.received));
    if (buf.length - pos < dataSize) return 0;

    // The chunk is complete: commit its header.
    const time = extended ? extendedValue : timeField;
    if (fmt <= 2 && !newMessage) {
      // A new header in the middle of a message: the old message is abandoned (as the spec's abort would).
      stream.parts = [];
      stream.received = 0;
    }
    if (fmt === 0) {
      stream.timestamp = time;
      stream.delta = 0;
    } else if (fmt === 1 || fmt === 2) {
      stream.delta = time;
      stream.timestamp = (stream.timestamp + time) >>> 0;
    } else if (newMessage && stream.initialized) {
      stream.timestamp = (stream.timestamp + stream.delta) >>> 0;
    }
    stream.length = length;
    stream.typeId = typeId;
    stream.streamId = streamId;
    stream.extended = extended;
    stream.extendedValue = extendedValue;
    stream.initialized = true;
    if (dataSize > 0) stream.parts.push(buf.subarray(pos, pos + dataSize));
    stream.received += dataSize;
    pos += dataSize;
    if (stream.received >= stream.length) {
      const payload = stream.parts.length === 1 ? Buffer.from(stream.parts[0]) : Buffer.concat(stream.parts);
      stream.parts = [];
      stream.received = 0;
      const message: RtmpMessage = { typeId, streamId, timestamp: stream.timestamp, payload };
      this.control(message);
      out.push(message);
    }
    return pos - start;
  }

  /** Protocol control messages that change how chunks are read take effect at once. */
  private control(message: RtmpMessage): void {
    if (message.typeId === MSG.SET_CHUNK_SIZE && message.payload.length >= 4) {
      const size = message.payload.readUInt32BE(0) & 0x7fffffff;
      if (size < 1 || size > MAX_ACCEPTED_CHUNK_SIZE) {
        throw new RtmpError('RTMP_BAD_CHUNK_SIZE', `peer chunk size ${size}`);
      }
      this.chunkSize = size;
    } else if (message.typeId === MSG.ABORT && message.payload.length >= 4) {
      const stream = this.streams.get(message.payload.readUInt32BE(0));
      if (stream) {
        stream.parts = [];
        stream.received = 0;
      }
    }
  }
}
