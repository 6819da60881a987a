import { SrtServer } from '../servers/srt/srt-server.js';
import { type ModuleEntry, portSuffix, sectionChanged } from './module-entry.js';

/** SRT publish and play (UDP 10080). A change to its section rebuilds it (its own connections end). */
export const srtModule: ModuleEntry<SrtServer> = {
  name: 'srt',
  enabled: (config) => config.srt.enabled,
  create: (config, ctx) =>
    new SrtServer({ ...config.srt, vhost: config.vhost, sessions: ctx.sessions, logger: ctx.logger, now: ctx.now }),
  reconfigure: (_srt, next, prev) => (sectionChanged(next, prev, 'srt') ? 'restart' : 'unchanged'),
  urls: (config, { app, stream, host, ports }) => {
    // SRT has no standard port: always name it.
    const base = `srt://${host(config.srt.host)}${portSuffix(ports.srt ?? config.srt.port, -1)}?streamid=#!::r=${app}/${stream}`;
    const secret = config.security.publishSecret;
    // An encrypting listener refuses callers without the passphrase: the URL must carry it to work when pasted.
    const { passphrase, pbkeylen } = config.srt;
    const crypto = passphrase ? `&passphrase=${encodeURIComponent(passphrase)}&pbkeylen=${pbkeylen}` : '';
    return [
      { protocol: 'srt', label: 'SRT', url: `${base},m=request${crypto}`, direction: 'play' },
      {
        protocol: 'srt',
        label: 'SRT',
        url: `${base}${secret ? `,secret=${encodeURIComponent(secret)}` : ''},m=publish${crypto}`,
        direction: 'publish',
      },
    ];
  },
};
