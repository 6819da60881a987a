import { spawnSync } from 'node:child_process';

/**
 * Counts, in the kernel, the RTP packets the server sends to some viewer ports on loopback, and drops them
 * before they reach the viewers' sockets (nftables: a named counter per port, looked up in a map). Those viewers
 * then cost their process nothing per packet, which is what lets one 2-core machine hold both the server and
 * hundreds of viewers. RTCP, STUN and DTLS still reach the sockets (version 2 with an RTCP packet type is left
 * alone). Linux and root only.
 */
export class KernelRtpCounter {
  private readonly table = `tally_bench_${process.pid}`;
  private installed = false;

  constructor(
    private readonly serverPort: number,
    private readonly viewerPorts: readonly number[],
  ) {}

  /** Puts the table in place: the viewers' RTP is dropped from now on, and counted only between start and stop. */
  install(): void {
    const counters = this.viewerPorts.map((p) => `  counter v${p} { }`).join('\n');
    const elements = this.viewerPorts.map((p) => `${p} : "v${p}"`).join(', ');
    const ruleset = `table inet ${this.table} {
${counters}
  map viewers { type inet_service : counter; elements = { ${elements} } }
  chain in {
    type filter hook input priority -150; policy accept;
    ${this.rule(false)}
  }
}
`;
    this.apply(ruleset, 'install the counters (root and nftables needed)');
    this.installed = true;
    process.once('exit', () => this.remove());
  }

  /**
   * Every counter starts (or stops) at one instant: the rule is swapped in one nftables transaction. Reading
   * running counters instead skews them by up to the dump's duration, some tens of packets at 400 viewers.
   */
  startCounting(): void {
    this.swapRule(true);
  }

  stopCounting(): void {
    this.swapRule(false);
  }

  /** Packets and RTP bytes (UDP payload) counted, by viewer port. */
  read(): Map<number, { packets: number; bytes: number }> {
    const result = spawnSync('nft', ['-j', 'list', 'counters', 'table', 'inet', this.table], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`nft could not read the counters: ${result.stderr}`);
    const out = new Map<number, { packets: number; bytes: number }>();
    const listed = JSON.parse(result.stdout) as {
      nftables: { counter?: { name: string; packets: number; bytes: number } }[];
    };
    for (const item of listed.nftables) {
      if (!item.counter) continue;
      // The counter sees the IP packet: 20 bytes of IPv4 header and 8 of UDP before the payload.
      const { name, packets, bytes } = item.counter;
      out.set(Number(name.slice(1)), { packets, bytes: bytes - 28 * packets });
    }
    return out;
  }

  private rule(counting: boolean): string {
    // RTP only: version 2, and a second byte that is not an RTCP packet type (192-223).
    const match = `ip saddr 127.0.0.1 udp sport ${this.serverPort} udp dport @viewers @th,64,2 2 @th,72,8 != 192-223`;
    return counting ? `${match} counter name udp dport map @viewers drop` : `${match} drop`;
  }

  private swapRule(counting: boolean): void {
    this.apply(
      `flush chain inet ${this.table} in\nadd rule inet ${this.table} in ${this.rule(counting)}\n`,
      'swap the rule',
    );
  }

  private apply(ruleset: string, what: string): void {
    const result = spawnSync('nft', ['-f', '-'], { input: ruleset, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`nft could not ${what}: ${result.stderr || result.error}`);
  }

  remove(): void {
    if (!this.installed) return;
    this.installed = false;
    spawnSync('nft', ['delete', 'table', 'inet', this.table]);
  }
}
