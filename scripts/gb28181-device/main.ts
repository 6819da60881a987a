import { parseArgs } from 'node:util';
import { GbTestDevice } from './gb-test-device.js';

/**
 * npm run gb-device -- --server 127.0.0.1:5060 --id 34020000001320000001 [--password 12345678] [--udp]
 *   [--server-id 34020000002000000001] [--domain 3402000000] [--video h264|hevc] [--audio aac|g711a|none]
 */
const { values } = parseArgs({
  options: {
    server: { type: 'string', default: '127.0.0.1:5060' },
    id: { type: 'string', default: '34020000001320000001' },
    password: { type: 'string', default: '' },
    'server-id': { type: 'string', default: '34020000002000000001' },
    domain: { type: 'string', default: '3402000000' },
    udp: { type: 'boolean', default: false },
    video: { type: 'string', default: 'h264' },
    audio: { type: 'string', default: 'aac' },
    size: { type: 'string', default: '640x360' },
    fps: { type: 'string', default: '25' },
    keepalive: { type: 'string', default: '60' },
  },
});
const [host, port] = (values.server ?? '').split(':');
const [width, height] = (values.size ?? '').split('x').map(Number);
const video = values.video === 'hevc' ? 'hevc' : 'h264';
const audio = values.audio === 'g711a' || values.audio === 'none' ? values.audio : 'aac';
const device = new GbTestDevice({
  host,
  port: Number(port || 5060),
  transport: values.udp ? 'UDP' : 'TCP',
  id: values.id ?? '',
  serverId: values['server-id'] ?? '',
  domain: values.domain ?? '',
  password: values.password,
  keepaliveMs: Number(values.keepalive) * 1000,
  video,
  audio,
  width,
  height,
  fps: Number(values.fps),
  log: (line) => console.log(`[gb-device] ${line}`),
});
device.on('refused', () => process.exit(1));
await device.start();
const stop = () => void device.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
