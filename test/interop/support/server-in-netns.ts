import { startTestServer } from './test-server.js';

/**
 * The test server as a process of its own, for tests that run it inside a network namespace (`ip netns exec NS
 * tsx server-in-netns.ts <name> <config JSON>`). It prints one JSON line with its ports, then stays up until its
 * stdin closes.
 */
const [name = 'netns', configJson = '{}'] = process.argv.slice(2);
const env = await startTestServer(name, JSON.parse(configJson));
const s = env.server;
const ports = {
  rtmp: s.rtmp?.port,
  http: s.http?.port,
  api: s.apiHttp?.port,
  rtc: s.rtc?.udpPort,
};
console.log(JSON.stringify({ ports }));
process.stdin.resume();
process.stdin.on('end', () => env.close().then(() => process.exit(0)));
