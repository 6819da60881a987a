import type { AddressInfo } from 'node:net';
import { DtlsServer } from 'werift-dtls/lib/dtls/src/index.js';
import { createPlaintext } from 'werift-dtls/lib/dtls/src/record/builder.js';
import type { DtlsCertificate } from './dtls-certificate.js';
import { RtcError } from './rtc-error.js';
import { type SrtpProfileId, srtpKeySizes } from './srtp-context.js';

/** What the DTLS-SRTP exporter gives a server (RFC 5764 4.2): our keys first, the client's second. */
export interface DtlsSrtpKeys {
  profile: SrtpProfileId;
  localKey: Buffer;
  localSalt: Buffer;
  remoteKey: Buffer;
  remoteSalt: Buffer;
  /** The client's certificate (DER), to check against its SDP fingerprint. */
  remoteCertificate?: Buffer;
}

export interface DtlsEndpointOptions {
  certificate: DtlsCertificate;
  /** In our order of preference (werift picks the first of ours the client offers). */
  srtpProfiles: SrtpProfileId[];
  /** Sends one DTLS datagram to the peer. */
  send(datagram: Buffer): void;
  onConnected(keys: DtlsSrtpKeys): void;
  /** The peer sent an alert (close_notify or fatal): the association is over. */
  onAlert(): void;
  onError(error: RtcError): void;
}

const CONTENT_TYPE_ALERT = 21;
const ALERT_WARNING = 1;
const ALERT_CLOSE_NOTIFY = 0;

/**
 * The DTLS server side of one session (RFC 6347, a=setup:passive), built on werift-dtls's DtlsServer with a
 * transport of our own: datagrams come in through push() from the shared socket and go out through send();
 * werift never opens a socket. The client certificate is requested, for the fingerprint check.
 */
export class DtlsEndpoint {
  private readonly server: DtlsServer;
  private readonly transport: {
    type: string;
    address: AddressInfo;
    closed: boolean;
    onData: (data: Buffer, addr: readonly [string, number]) => void;
    send: (data: Buffer) => Promise<void>;
    close: () => Promise<void>;
  };
  private done = false;

  constructor(private readonly options: DtlsEndpointOptions) {
    this.transport = {
      type: 'udp',
      address: { address: '0.0.0.0', family: 'IPv4', port: 0 },
      closed: false,
      onData: () => {},
      send: async (data: Buffer) => {
        if (!this.done) options.send(data);
      },
      close: async () => {},
    };
    this.server = new DtlsServer({
      transport: this.transport,
      srtpProfiles: options.srtpProfiles,
      cert: options.certificate.certPem,
      key: options.certificate.keyPem,
      signatureHash: { hash: 4, signature: 3 },
      certificateRequest: true,
      extendedMasterSecret: true,
    });
    this.server.onConnect.subscribe(() => this.connected());
    this.server.onClose.subscribe(() => {
      if (!this.done) options.onAlert();
    });
    this.server.onError.subscribe((error: unknown) => {
      if (!this.done) options.onError(new RtcError('DTLS_FAILED', `DTLS: ${String(error)}`));
    });
  }

  /** A DTLS datagram from the peer. */
  push(datagram: Buffer): void {
    if (this.done) return;
    this.transport.onData(datagram, ['0.0.0.0', 0]);
  }

  /** Sends close_notify (RFC 5246 7.2.1) when connected, and stops. */
  close(): void {
    if (this.done) return;
    if (this.server.connected) {
      try {
        const dtls = this.server.dtls;
        const [record] = createPlaintext(dtls)(
          [{ type: CONTENT_TYPE_ALERT, fragment: Buffer.from([ALERT_WARNING, ALERT_CLOSE_NOTIFY]) }],
          ++dtls.recordSequenceNumber,
        );
        this.options.send(this.server.cipher.encryptPacket(record).serialize());
      } catch {
        // Best effort: the peer's consent check ends the association anyway.
      }
    }
    this.done = true;
    this.transport.closed = true;
  }

  private connected(): void {
    if (this.done) return;
    const profile = this.server.srtp.srtpProfile as SrtpProfileId | undefined;
    if (profile === undefined) {
      this.options.onError(new RtcError('DTLS_FAILED', 'DTLS finished without an SRTP profile (use_srtp)'));
      return;
    }
    const { keyLength, saltLength } = srtpKeySizes(profile);
    const keys = this.server.extractSessionKeys(keyLength, saltLength);
    this.options.onConnected({
      profile,
      localKey: keys.localKey,
      localSalt: keys.localSalt,
      remoteKey: keys.remoteKey,
      remoteSalt: keys.remoteSalt,
      remoteCertificate: this.server.remoteCertificate,
    });
  }
}
