import type { SrtReceiverStats, SrtSenderStats } from '../../protocol/srt/index.js';

/** One SRT connection as the API shows it. */
export interface SrtConnectionStats {
  cid: string;
  role: 'publish' | 'play';
  peer: string;
  streamId: string;
  app: string;
  stream: string;
  encrypted: boolean;
  /** Negotiated TSBPD latency of the direction this connection carries media. */
  latencyMs: number;
  connectedAt: number;
  rttMs: number;
  rttVarMs: number;
  /** Payloads received (publish) or sent (play), retransmissions not counted. */
  packets: number;
  bytes: number;
  /** Publish: packets found missing (gaps, most later recovered). Play: NAKs the player sent. */
  lossReports: number;
  /** Publish: retransmitted packets received. Play: packets we retransmitted. */
  retransmits: number;
  /** Given up: too late to deliver (publish) or to retransmit (play). */
  dropped: number;
  /** Media bitrate over the last second or so, kbit/s. */
  kbps: number;
  /** Play: payloads sent and not yet acknowledged. */
  inFlight?: number;
  /** Publish, encrypted: times the sender switched to its refreshed key. */
  keySwitches?: number;
}

export type SrtEngineStats = { role: 'publish'; stats: SrtReceiverStats } | { role: 'play'; stats: SrtSenderStats };

/** The counters that mean the same thing in both directions. */
export function commonCounters(
  engine: SrtEngineStats,
): Pick<SrtConnectionStats, 'rttMs' | 'rttVarMs' | 'packets' | 'bytes' | 'lossReports' | 'retransmits' | 'dropped'> {
  const s = engine.stats;
  if (engine.role === 'publish') {
    const r = engine.stats;
    return {
      rttMs: s.rttMs,
      rttVarMs: s.rttVarMs,
      packets: r.received - r.retransmittedReceived,
      bytes: r.bytesReceived,
      lossReports: r.lost,
      retransmits: r.retransmittedReceived,
      dropped: r.dropped,
    };
  }
  const t = engine.stats;
  return {
    rttMs: s.rttMs,
    rttVarMs: s.rttVarMs,
    packets: t.sent,
    bytes: t.bytesSent,
    lossReports: t.naksReceived,
    retransmits: t.retransmitted,
    dropped: t.dropped,
  };
}
