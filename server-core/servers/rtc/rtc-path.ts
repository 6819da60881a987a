/**
 * One way to reach a peer: a UDP 5-tuple on the shared socket or one ICE-TCP connection. Sessions send on
 * their selected path and read its backlog to decide when to drop to a keyframe.
 */
export interface RtcPath {
  readonly transport: 'udp' | 'tcp';
  /** "address:port" of the peer. */
  readonly remote: string;
  /** Sends one datagram (TCP: one RFC 4571 frame). Never throws; failures are counted by the owner. */
  send(data: Buffer): void;
  /** Bytes handed to the OS path but not yet sent (dgram send queue, TCP write buffer). */
  pendingBytes(): number;
}

/** What a transport (UDP mux, ICE-TCP) delivers to the session that owns a path. */
export interface RtcPathOwner {
  readonly localUfrag: string;
  readonly localPwd: string;
  readonly remoteUfrag: string;
  readonly closed: boolean;
  /** A connectivity check from path passed (we answered it). */
  onBinding(path: RtcPath, useCandidate: boolean, nowMs: number): void;
  /** A DTLS, SRTP or SRTCP datagram from a path bound to this owner. */
  onDatagram(path: RtcPath, kind: 'dtls' | 'rtp' | 'rtcp', data: Buffer): void;
  /** The path is gone (TCP connection closed). */
  onPathClosed(path: RtcPath): void;
}

/** Sessions by our ICE ufrag: the only way a new address gets bound to a session. */
export class RtcOwnerTable<T extends RtcPathOwner = RtcPathOwner> {
  private readonly byUfrag = new Map<string, T>();

  add(owner: T): () => void {
    this.byUfrag.set(owner.localUfrag, owner);
    return () => {
      if (this.byUfrag.get(owner.localUfrag) === owner) this.byUfrag.delete(owner.localUfrag);
    };
  }

  get(localUfrag: string): T | undefined {
    const owner = this.byUfrag.get(localUfrag);
    return owner && !owner.closed ? owner : undefined;
  }

  get size(): number {
    return this.byUfrag.size;
  }
}
