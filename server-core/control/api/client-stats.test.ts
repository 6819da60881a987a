import { describe, expect, it } from 'vitest';
import type { ClientView } from './api-views.js';
import { withClientStats } from './api-views.js';
import { ClientStatsProviders, type SrtClientStats } from './client-stats.js';

const SRT: SrtClientStats = {
  role: 'play',
  peer: '127.0.0.1:4000',
  stream_id: '#!::r=live/a',
  encrypted: false,
  latency_ms: 120,
  rtt_ms: 0.4,
  rtt_var_ms: 0.1,
  packets: 10,
  bytes: 13160,
  loss_reports: 1,
  retransmits: 2,
  dropped: 0,
  kbps: 2000,
  in_flight: 3,
};

describe('client stats providers', () => {
  it('add the srt object to the clients a provider knows, and nothing to the others', () => {
    const providers = new ClientStatsProviders();
    const unregister = providers.register('srt', { clientStats: (cid) => (cid === 'c1' ? { srt: SRT } : undefined) });
    const view = (id: string) => ({ id, protocol: 'srt' }) as unknown as ClientView;
    expect(withClientStats(view('c1'), providers)).toMatchObject({ id: 'c1', srt: { rtt_ms: 0.4, in_flight: 3 } });
    expect(withClientStats(view('c2'), providers)).not.toHaveProperty('srt');
    // A rebuilt module registers again under its name and replaces the old provider; the old one's
    // unregister then leaves the new one alone.
    providers.register('srt', { clientStats: () => ({ srt: { ...SRT, kbps: 1 } }) });
    unregister();
    expect(withClientStats(view('c2'), providers).srt?.kbps).toBe(1);
  });
});
