import type { IceCredentials } from './ice-lite-responder.js';

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
  readonly closed: boolean;
  /** A connectivity check from path passed (we answered it). */
  onBinding(path: RtcPath, useCandidate: boolean, nowMs: number): void;
  /** A DTLS, SRTP or SRTCP datagram from a path bound to this owner. */
  onDatagram(path: RtcPath, kind: 'dtls' | 'rtp' | 'rtcp', data: Buffer): void;
  /** The path is gone (TCP connection closed). */
  onPathClosed(path: RtcPath): void;
}

/** One set of ICE credentials a session answers checks with (a session has a second after an ICE restart). */
export interface IceLogin<T extends RtcPathOwner = RtcPathOwner> extends IceCredentials {
  readonly owner: T;
}

/** Sessions' ICE logins by our ufrag: the only way a new address gets bound to a session. */
export class RtcOwnerTable<T extends RtcPathOwner = RtcPathOwner> {
  private readonly byUfrag = new Map<string, IceLogin<T>>();

  /** Adds a login; returns its removal. */
  add(owner: T, credentials: IceCredentials): () => void {
    const login: IceLogin<T> = { ...credentials, owner };
    this.byUfrag.set(login.localUfrag, login);
    return () => {
      if (this.byUfrag.get(login.localUfrag) === login) this.byUfrag.delete(login.localUfrag);
    };
  }

  get(localUfrag: string): IceLogin<T> | undefined {
    const login = this.byUfrag.get(localUfrag);
    return login && !login.owner.closed ? login : undefined;
  }

  /** Whether a ufrag is taken (by a live or a closed owner's login not yet removed). */
  has(localUfrag: string): boolean {
    return this.byUfrag.has(localUfrag);
  }

  get size(): number {
    return this.byUfrag.size;
  }
}
