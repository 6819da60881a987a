/**
 * Protocol detail of one client in `/api/v1/clients`, supplied by the listener that carries it. The API knows
 * only this interface: a module registers its provider (control never imports servers/).
 */

/** One SRT connection as `/api/v1/clients` shows it (the `srt` object of an SRT client). */
export interface SrtClientStats {
  role: 'publish' | 'play';
  peer: string;
  stream_id: string;
  encrypted: boolean;
  /** Negotiated TSBPD latency of the media direction. */
  latency_ms: number;
  rtt_ms: number;
  rtt_var_ms: number;
  /** Payloads received (publish) or sent (play), retransmissions not counted. */
  packets: number;
  bytes: number;
  /** Publish: packets found missing (most recovered later). Play: NAKs the player sent. */
  loss_reports: number;
  /** Publish: retransmissions received. Play: packets we retransmitted. */
  retransmits: number;
  /** Given up: too late to deliver (publish) or to retransmit (play). */
  dropped: number;
  /** Media bitrate over the last second or so. */
  kbps: number;
  /** Play: payloads sent and not acknowledged yet. */
  in_flight?: number;
  /** Publish, encrypted: times the sender switched to its refreshed key. */
  key_switches?: number;
}

/** Extra objects of one client's view, by protocol. */
export interface ClientStatsExtra {
  srt?: SrtClientStats;
}

export interface ClientStatsProvider {
  /** Detail of the client with this context id, or undefined when it is not one of this provider's. */
  clientStats(cid: string): ClientStatsExtra | undefined;
}

/** The providers registered now, by name (a module rebuilt registers again under its name, replacing itself). */
export class ClientStatsProviders {
  private readonly providers = new Map<string, ClientStatsProvider>();

  register(name: string, provider: ClientStatsProvider): () => void {
    this.providers.set(name, provider);
    return () => {
      if (this.providers.get(name) === provider) this.providers.delete(name);
    };
  }

  extrasFor(cid: string): ClientStatsExtra {
    for (const provider of this.providers.values()) {
      const extra = provider.clientStats(cid);
      if (extra) return extra;
    }
    return {};
  }
}
