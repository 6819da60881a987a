import type { Logger } from 'pino';
import { type StreamKey, streamKeyId } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { StreamSource } from '../../hub/stream-source.js';
import { ProblemCounter } from '../problem-counter.js';
import { EdgePull } from './edge-pull.js';

export interface EdgePullerOptions {
  /** rtmp://host[:port] of the origin. */
  origin: string;
  registry: StreamRegistry;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  lingerMs: number;
  logger: Logger;
  now: () => number;
}

/** What the API shows of one pull. */
export interface EdgePullStatus {
  app: string;
  stream: string;
  cid: string;
  players: number;
  bytesIn: number;
  startedAt: number;
}

/**
 * Edge mode (SRS `mode edge`): a player asking for a stream this server does not have makes it pull the stream
 * from the origin, one upstream connection however many players; the pull goes after its last player.
 */
export class EdgePuller {
  private readonly pulls = new Map<string, EdgePull>();
  private readonly badPackets: ProblemCounter;
  private closed = false;

  constructor(private readonly options: EdgePullerOptions) {
    this.badPackets = new ProblemCounter(options.logger, 'malformed media messages from the origin dropped');
  }

  get origin(): string {
    return this.options.origin;
  }

  /**
   * The local stream for `key`, pulling it from the origin if nobody does yet (with the first player's query);
   * undefined if the origin has none.
   */
  pull(key: StreamKey, param = ''): Promise<StreamSource | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const id = streamKeyId(key);
    let pull = this.pulls.get(id);
    if (!pull) {
      const created = new EdgePull({
        key,
        url: `${this.options.origin.replace(/\/+$/, '')}/${key.app}/${key.stream}${param ? `?${param}` : ''}`,
        registry: this.options.registry,
        connectTimeoutMs: this.options.connectTimeoutMs,
        idleTimeoutMs: this.options.idleTimeoutMs,
        lingerMs: this.options.lingerMs,
        logger: this.options.logger.child({ stream: `/${key.app}/${key.stream}`, proto: 'edge' }),
        now: this.options.now,
        onEnd: () => {
          if (this.pulls.get(id) === created) this.pulls.delete(id);
        },
        onBadPacket: (cid, error) => this.badPackets.count(cid, error),
      });
      pull = created;
      this.pulls.set(id, created);
      created.start();
    }
    return pull.whenReady();
  }

  statuses(): EdgePullStatus[] {
    return [...this.pulls.values()].flatMap((pull) => {
      const source = pull.stream;
      if (!source) return [];
      return [
        {
          app: source.key.app,
          stream: source.key.stream,
          cid: pull.cid,
          players: source.readers().length,
          bytesIn: pull.bytesIn,
          startedAt: pull.startedAt,
        },
      ];
    });
  }

  start(): void {}

  close(): void {
    this.closed = true;
    for (const pull of [...this.pulls.values()]) pull.stop('server closing');
    this.badPackets.close();
  }
}
