/**
 * Splitters for the elementary streams ffmpeg writes to a pipe: Annex B video cut into access units at its
 * access unit delimiters (ffmpeg inserts them with h264_metadata/hevc_metadata aud=insert), ADTS cut into
 * frames, raw G.711 cut into 20 ms chunks. Bytes in any split.
 */

/** Annex B access units, each starting at its AUD (H.264 nal type 9, HEVC 35). */
export class AccessUnitSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private scanFrom = 0;

  constructor(private readonly codec: 'h264' | 'hevc') {}

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    let start = 0;
    for (let i = Math.max(this.scanFrom, 1); i + 3 < this.pending.length; i++) {
      if (
        this.pending[i] !== 0 ||
        this.pending[i + 1] !== 0 ||
        this.pending[i + 2] !== 1 ||
        !this.isAud(this.pending[i + 3])
      ) {
        continue;
      }
      const cut = i > 0 && this.pending[i - 1] === 0 ? i - 1 : i;
      if (cut > start) out.push(this.pending.subarray(start, cut));
      start = cut;
      i += 3;
    }
    this.pending = this.pending.subarray(start);
    this.scanFrom = Math.max(1, this.pending.length - 3);
    return out.filter((au) => au.length > 8);
  }

  private isAud(header: number): boolean {
    return this.codec === 'h264' ? (header & 0x1f) === 9 : ((header >> 1) & 0x3f) === 35;
  }
}

/** ADTS frames (ISO/IEC 14496-3 1.A.2): 12-bit sync word, 13-bit frame length. */
export class AdtsSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Sample rate of the last frame header seen. */
  sampleRate = 44100;

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    let at = 0;
    while (this.pending.length - at >= 7) {
      if (this.pending[at] !== 0xff || (this.pending[at + 1] & 0xf0) !== 0xf0) {
        at++;
        continue;
      }
      const length = ((this.pending[at + 3] & 0x03) << 11) | (this.pending[at + 4] << 3) | (this.pending[at + 5] >> 5);
      if (length < 7) {
        at++;
        continue;
      }
      if (this.pending.length - at < length) break;
      this.sampleRate = ADTS_RATES[(this.pending[at + 2] >> 2) & 0x0f] ?? this.sampleRate;
      out.push(this.pending.subarray(at, at + length));
      at += length;
    }
    this.pending = this.pending.subarray(at);
    return out;
  }
}

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** G.711 at 8 kHz in chunks of `size` bytes (160: 20 ms, what cameras send). */
export class FixedSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly size: number) {}

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    let at = 0;
    for (; this.pending.length - at >= this.size; at += this.size) out.push(this.pending.subarray(at, at + this.size));
    this.pending = this.pending.subarray(at);
    return out;
  }
}
