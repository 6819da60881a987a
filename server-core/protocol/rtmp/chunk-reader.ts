import { ByteQueue } from './byte-queue.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';

/**
 * Chunk stream decoder (RTMP spec 1.0 section 5.3). Each chunk:
 *   basic header: fmt u2 | csid u6   (csid 0 -> 64 + next u8; csid 1 -> 64 + next u16 little-endian)
 *   message header: fmt 0: timestamp u24 | length u24 | type u8 | stream id u32 LE
 *                   fmt 1: delta u24 | length u24 | type u8     fmt 2: delta u24     fmt 3: nothing
 *   extended timestamp u32, when the 24-bit field is 0xFFFFFF (also on fmt 3 chunks after such a header:
 *                   some encoders repeat it there and some do not; like common servers we take the 4 bytes as
 *                   the repeat when they equal the last extended value, as payload otherwise)
 *   data: up to the chunk size
 * Timestamps: fmt 0 is absolute, fmt 1/2 add a delta, fmt 3 starting a message adds the last delta again (after
 * fmt 0 that is the fmt 0 timestamp, 5.3.1.2.4). Set Chunk Size and Abort (5.4.1, 5.4.2) apply as soon as they
 * are read and are still returned.
 */
export const DEFAULT_CHUNK_SIZE = 128;
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
export const DEFAULT_MAX_CHUNK_STREAMS = 64;
/** Largest chunk size we accept from a peer: the spec allows 2^31-1, nobody sane sends more than this. */
export const MAX_ACCEPTED_CHUNK_SIZE = 16 * 1024 * 1024;
const EXTENDED = 0xffffff;
const MESSAGE_HEADER_SIZE = [11, 7, 3, 0];

export interface ChunkReaderOptions {
  maxMessageSize?: number;
  maxChunkStreams?: number;
}

interface ChunkStream {
  /** Absolute timestamp of the current (or last) message. */
  timestamp: number;
  /** What a fmt 3 chunk starting a new message adds. */
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  /** The last fmt 0-2 header carried an extended timestamp, with this value. */
  extended: boolean;
  extendedValue: number;
  parts: Buffer[];
  received: number;
  /** A fmt 0-2 header has been seen, so fmt 3 has something to inherit. */
  initialized: boolean;
}

/** One parse step: bytes consumed, or (negative) how many bytes from the chunk start are needed first. */
type Step = number;

export class ChunkReader {
  private readonly input = new ByteQueue();
  /** Bytes the pending chunk needs before parsing can make progress. */
  private needed = 1;
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, ChunkStream>();
  /** Payload bytes held in unfinished messages, over all chunk streams. */
  private partialBytes = 0;
  private maxMessageSize: number;
  private readonly maxChunkStreams: number;
  private failure?: RtmpError;

  constructor(opts: ChunkReaderOptions = {}) {
    this.maxMessageSize = opts.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.maxChunkStreams = opts.maxChunkStreams ?? DEFAULT_MAX_CHUNK_STREAMS;
  }

  /** Bytes held for messages not yet complete: unparsed input plus unfinished message payloads. */
  get bufferedBytes(): number {
    return this.input.length + this.partialBytes;
  }

  /** Changes the largest message accepted from now on (a server allows big media only once publishing). */
  setMaxMessageSize(size: number): void {
    this.maxMessageSize = size;
  }

  /** The peer's chunk size, as last set by a Set Chunk Size message. */
  get incomingChunkSize(): number {
    return this.chunkSize;
  }

  /**
   * Consumes bytes, returns the messages they complete. Throws RtmpError on a protocol violation; the reader is
   * then broken and throws the same error on every later push (messages completed earlier in the failing push
   * are lost with the connection).
   */
  push(bytes: Buffer): RtmpMessage[] {
    if (this.failure) throw this.failure;
    this.input.push(bytes);
    const messages: RtmpMessage[] = [];
    if (this.input.length < this.needed) return messages;
    const buf = this.input.peekAll();
    let pos = 0;
    try {
      for (;;) {
        const step = this.readChunk(buf, pos, messages);
        if (step <= 0) {
          this.needed = -step;
          break;
        }
        pos += step;
      }
    } catch (error) {
      this.failure = error as RtmpError;
      throw error;
    }
    this.input.replace(buf.subarray(pos));
    return messages;
  }

  private stream(csid: number): ChunkStream {
    let stream = this.streams.get(csid);
    if (stream) return stream;
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
    return stream;
  }

  /** Reads one chunk at `start`. Commits nothing until the whole chunk is there. */
  private readChunk(buf: Buffer, start: number, out: RtmpMessage[]): Step {
    const available = buf.length - start;
    if (available < 1) return -1;
    const fmt = buf[start] >> 6;
    let csid = buf[start] & 0x3f;
    let pos = start + 1;
    if (csid === 0) {
      if (available < 2) return -2;
      csid = 64 + buf[pos];
      pos += 1;
    } else if (csid === 1) {
      if (available < 3) return -3;
      csid = 64 + buf[pos] + buf[pos + 1] * 256;
      pos += 2;
    }
    const headerSize = MESSAGE_HEADER_SIZE[fmt];
    if (buf.length < pos + headerSize) return -(pos + headerSize - start);
    const stream = this.stream(csid);
    if (fmt === 3 && !stream.initialized) {
      throw new RtmpError('RTMP_BAD_CHUNK', `fmt 3 chunk on chunk stream ${csid} before any header`);
    }
    const newMessage = stream.received === 0;
    let timeField = 0;
    let length = stream.length;
    let typeId = stream.typeId;
    let streamId = stream.streamId;
    if (fmt <= 2) timeField = buf.readUIntBE(pos, 3);
    if (fmt <= 1) {
      length = buf.readUIntBE(pos + 3, 3);
      typeId = buf[pos + 6];
    }
    if (fmt === 0) streamId = buf.readUInt32LE(pos + 7);
    pos += headerSize;

    let extended = stream.extended;
    let extendedValue = stream.extendedValue;
    if (fmt <= 2) {
      extended = timeField === EXTENDED;
      if (extended) {
        if (buf.length < pos + 4) return -(pos + 4 - start);
        extendedValue = buf.readUInt32BE(pos);
        pos += 4;
      }
    } else if (extended) {
      const repeat = repeatsExtended(buf, pos, extendedValue);
      if (repeat === undefined) return -(pos + 4 - start);
      if (repeat) pos += 4;
    }
    if (length > this.maxMessageSize) {
      throw new RtmpError('RTMP_MESSAGE_TOO_LARGE', `message of ${length} bytes (limit ${this.maxMessageSize})`);
    }
    // A fmt 0-2 header in the middle of a message abandons it (as an Abort would): count it as gone.
    const abandoned = fmt <= 2 && !newMessage ? stream.received : 0;
    const alreadyReceived = newMessage || abandoned > 0 ? 0 : stream.received;
    const dataSize = Math.min(this.chunkSize, length - alreadyReceived);
    if (buf.length < pos + dataSize) return -(pos + dataSize - start);
    if (this.partialBytes - abandoned + dataSize > 2 * this.maxMessageSize) {
      throw new RtmpError('RTMP_MESSAGE_TOO_LARGE', 'too many bytes held in unfinished messages');
    }

    // The chunk is complete: commit its header.
    if (abandoned > 0) this.dropPartial(stream);
    const time = extended ? extendedValue : timeField;
    if (fmt === 0) {
      stream.timestamp = time;
      stream.delta = time;
    } else if (fmt <= 2) {
      stream.delta = time;
      stream.timestamp = (stream.timestamp + time) >>> 0;
    } else if (newMessage) {
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
    this.partialBytes += dataSize;
    pos += dataSize;
    if (stream.received >= length) {
      // One copy per message: it also detaches the payload from the socket read buffer it arrived in, which a
      // GOP cache holding the message would otherwise keep alive whole.
      const payload = Buffer.concat(stream.parts, stream.received);
      this.dropPartial(stream);
      const message: RtmpMessage = { typeId, streamId, timestamp: stream.timestamp, payload };
      this.control(message);
      out.push(message);
    }
    return pos - start;
  }

  private dropPartial(stream: ChunkStream): void {
    this.partialBytes -= stream.received;
    stream.parts = [];
    stream.received = 0;
  }

  /** Protocol control messages that change how chunks are read take effect at once. */
  private control(message: RtmpMessage): void {
    if (message.typeId === MSG.SET_CHUNK_SIZE) {
      if (message.payload.length < 4) throw new RtmpError('RTMP_BAD_CONTROL', 'short Set Chunk Size message');
      const size = message.payload.readUInt32BE(0) & 0x7fffffff;
      if (size < 1 || size > MAX_ACCEPTED_CHUNK_SIZE) {
        throw new RtmpError('RTMP_BAD_CHUNK_SIZE', `peer chunk size ${size} (accepted: 1-${MAX_ACCEPTED_CHUNK_SIZE})`);
      }
      this.chunkSize = size;
    } else if (message.typeId === MSG.ABORT) {
      if (message.payload.length < 4) throw new RtmpError('RTMP_BAD_CONTROL', 'short Abort message');
      const stream = this.streams.get(message.payload.readUInt32BE(0));
      if (stream) this.dropPartial(stream);
    }
  }
}

/**
 * Whether a fmt 3 chunk repeats the extended timestamp: true/false, or undefined when the bytes present so far
 * match its start and more are needed to tell. Deciding on a mismatching prefix keeps a non-repeating encoder's
 * last short chunk from waiting for bytes that belong to the next message.
 */
function repeatsExtended(buf: Buffer, pos: number, value: number): boolean | undefined {
  const available = Math.min(4, buf.length - pos);
  for (let i = 0; i < available; i++) {
    if (buf[pos + i] !== ((value >>> (24 - 8 * i)) & 0xff)) return false;
  }
  return available === 4 ? true : undefined;
}
