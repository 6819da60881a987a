import { API_CODES, ApiError } from '../control/api/api-codes.js';
import type { ApiRouter } from '../control/api/api-router.js';
import { g711ToAac } from '../servers/gb28181/g711-to-aac.js';
import { Gb28181Server, type GbInviteMode } from '../servers/gb28181/gb28181-server.js';

const INVITE_MODES: readonly GbInviteMode[] = ['tcp-passive', 'tcp-active', 'udp'];

import { type ModuleEntry, sectionChanged } from './module-entry.js';

/** The running server, for API routes added once per router (the module may be rebuilt on reload). */
const current = new WeakMap<ApiRouter, { server?: Gb28181Server }>();

function serverOf(slot: { server?: Gb28181Server }): Gb28181Server {
  if (!slot.server) throw new ApiError(API_CODES.NOT_FOUND, 404, 'GB28181 is not enabled (gb28181.enabled)');
  return slot.server;
}

/** `/api/v1/gb28181/...`: status, devices with channels, INVITE/BYE per channel. */
function addRoutes(api: ApiRouter, slot: { server?: Gb28181Server }): void {
  api.add('GET', '/api/v1/gb28181', () => {
    const server = serverOf(slot);
    return { gb28181: { sip_port: server.sipPort, media_port: server.mediaPort, ...server.stats } };
  });
  api.add('GET', '/api/v1/gb28181/devices', () => ({ devices: serverOf(slot).list() }));
  api.add('GET', '/api/v1/gb28181/devices/:id', ({ params }) => {
    const device = serverOf(slot).device(params.id);
    if (!device) throw new ApiError(API_CODES.NOT_FOUND, 404, `no device ${params.id}`);
    return { device };
  });
  api.add('GET', '/api/v1/gb28181/devices/:id/channels', ({ params }) => {
    const device = serverOf(slot).device(params.id);
    if (!device) throw new ApiError(API_CODES.NOT_FOUND, 404, `no device ${params.id}`);
    return { channels: device.channels };
  });
  for (const action of ['invite', 'bye'] as const) {
    api.add('POST', `/api/v1/gb28181/devices/:id/channels/:channel/${action}`, ({ params, body }) => {
      const server = serverOf(slot);
      const mode = (body as { mode?: unknown } | undefined)?.mode;
      if (mode !== undefined && !INVITE_MODES.includes(mode as GbInviteMode)) {
        throw new ApiError(API_CODES.BAD_REQUEST, 400, `mode is one of ${INVITE_MODES.join(', ')}`);
      }
      const result =
        action === 'invite'
          ? server.invite(params.id, params.channel, mode as GbInviteMode | undefined)
          : server.bye(params.id, params.channel);
      if (!result.ok) {
        throw new ApiError(
          result.status === 404 ? API_CODES.NOT_FOUND : API_CODES.CONFLICT,
          result.status,
          result.reason,
        );
      }
      return { stream: result.stream };
    });
  }
}

/** The running module: the server, published to the API routes while it runs. */
class Gb28181Module {
  constructor(
    readonly server: Gb28181Server,
    private readonly slot: { server?: Gb28181Server },
  ) {}

  async start(): Promise<void> {
    await this.server.start();
    this.slot.server = this.server;
  }

  async close(): Promise<void> {
    if (this.slot.server === this.server) this.slot.server = undefined;
    await this.server.close();
  }
}

/** GB28181 (gb28181.*): SIP registrar and media receiver; a change to its section rebuilds it. */
export const gb28181Module: ModuleEntry<Gb28181Module> = {
  name: 'gb28181',
  enabled: (config) => config.gb28181.enabled,
  create: (config, ctx) => {
    let slot = current.get(ctx.api);
    if (!slot) {
      slot = {};
      current.set(ctx.api, slot);
      addRoutes(ctx.api, slot);
    }
    const secret = config.security.publishSecret;
    const server = new Gb28181Server({
      ...config.gb28181,
      publishParam: secret ? `secret=${encodeURIComponent(secret)}` : '',
      vhost: config.vhost,
      sessions: ctx.sessions,
      logger: ctx.logger,
      now: ctx.now,
      g711: g711ToAac(ctx.jobs),
    });
    return new Gb28181Module(server, slot);
  },
  reconfigure: (_module, next, prev) =>
    sectionChanged(next, prev, 'gb28181') || next.security.publishSecret !== prev.security.publishSecret
      ? 'restart'
      : 'unchanged',
};
