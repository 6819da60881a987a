/**
 * What a listener gives the hub for one reader: a byte sink over its socket. The hub never copies or encodes
 * per reader; it hands each sink the shared bytes of its format.
 */
export interface ReaderSink {
  /**
   * Bytes accepted that the transport has not yet passed on (to the kernel, or, for a paced transport such as
   * SRT, to the network): the hub's drop-to-keyframe and stuck policies read it.
   */
  backlog(): number;
  /**
   * False for a sink whose backlog drains whether or not the peer reads (UDP: the kernel sends at its own pace,
   * and a shared socket's queue is every peer's). The stuck rule is for a peer that stopped reading, so it does
   * not apply; such a transport finds a vanished peer its own way (ICE consent). Default true.
   */
  readonly drainsAtPeerPace?: boolean;
  /** Byte-stream formats: one shared batch. */
  write(bytes: Buffer): void;
  /** Packet formats: the shared packets of a batch, in order (the sink adds its own headers if it must). */
  writePackets?(packets: readonly Buffer[]): void;
  /** The stream ended: send what is queued, then close. */
  end(): void;
  /** The reader must go now (stuck, kicked, server closing). */
  destroy(reason: string): void;
}

export interface ReaderLimits {
  /** A reader whose backlog passes this drops to the next keyframe. */
  maxQueueBytes: number;
  /** Same, measured as media time at the stream's current byte rate. */
  maxQueueMs: number;
  /** A reader that cannot drain for this long is disconnected. */
  stuckTimeoutMs: number;
}
