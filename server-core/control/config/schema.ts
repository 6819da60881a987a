import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseCidr } from '../access/ip-rules.js';
import { isLoopbackHost } from '../api/api-auth.js';
import { thumbnailsSchema, transcodeSchema, virtualLiveSchema } from './ffmpeg-features-schema.js';

/**
 * The one config schema: defaults, validation and the doc strings the CLI, the API and the settings page show.
 * Defaults follow SRS so its users feel at home, and work with no file at all.
 */
// 0 asks the OS for a free port (tests use it).
const port = z.number().int().min(0).max(65535);
const host = z.string().min(1);

const logSchema = z
  .object({
    level: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
      .default('info')
      .describe('Least severe log level written.'),
    file: z.string().default('').describe('Also write the log to this file (rotated by size). Empty: stdout only.'),
    fileMaxBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .default(20 * 1024 * 1024)
      .describe('Rotate the log file past this size.'),
    fileKeep: z.number().int().min(1).max(100).default(5).describe('Rotated log files kept.'),
    memoryLines: z
      .number()
      .int()
      .min(100)
      .max(1_000_000)
      .default(10_000)
      .describe('Log lines kept in memory for /api/v1/logs and the UI.'),
  })
  .strict()
  .prefault({});

const rtmpSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Accept RTMP publishers and players.'),
    host: host.default('0.0.0.0').describe('Address the RTMP listener binds.'),
    port: port.default(1935).describe('RTMP TCP port.'),
    chunkSize: z
      .number()
      .int()
      .min(128)
      .max(65536)
      .default(60000)
      .describe('Outgoing RTMP chunk size (SRS uses 60000): bigger means fewer chunk headers.'),
    handshakeTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(10_000)
      .describe(
        'Deadline from connecting to publishing or playing: a connection still doing neither is closed, however much it sends.',
      ),
    preAdmissionMaxMessageBytes: z
      .number()
      .int()
      .min(4096)
      .max(16 * 1024 * 1024)
      .default(64 * 1024)
      .describe('Largest RTMP message accepted before a publish is admitted (commands are small).'),
    preAdmissionTotalBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(32 * 1024 * 1024)
      .describe('Bytes all not-yet-admitted RTMP connections may hold together; a connection past it is closed.'),
    maxMessageBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(64 * 1024 * 1024)
      .default(16 * 1024 * 1024)
      .describe('Largest RTMP message from a publisher (a keyframe); bigger ones close the connection.'),
    publishIdleTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(20_000)
      .describe('A publisher that sends nothing for this long is disconnected.'),
    tlsEnabled: z.boolean().default(false).describe('Also accept RTMPS (RTMP in TLS, as OBS offers) on rtmp.tlsPort.'),
    tlsPort: port.default(1936).describe('RTMPS TCP port (rtmps://host:1936/live/stream).'),
    tlsCert: z
      .string()
      .default('')
      .describe(
        'PEM certificate file for RTMPS; empty: a self-signed one made on first run and kept in the data folder.',
      ),
    tlsKey: z.string().default('').describe('PEM private key file for rtmp.tlsCert.'),
  })
  .strict()
  .prefault({});

/** Destinations a server may forward to at once (each a connection per matching stream). */
export const MAX_FORWARD_DESTINATIONS = 64;

const forwardDestinationSchema = z
  .object({
    name: z.string().min(1).max(100).describe('Shown in the app and the API, e.g. YouTube.'),
    url: z
      .string()
      .regex(/^(rtmps?|srt):\/\/[^/\s]+\/\S*$/i, 'expected rtmp://, rtmps:// or srt://host/...')
      .describe(
        'Ingest URL, e.g. rtmp://a.rtmp.youtube.com/live2; {app} and {stream} are replaced by the forwarded stream.',
      ),
    key: z.string().max(512).default('').describe('Stream key, appended to the URL as its last path segment.'),
    streams: z
      .array(z.string().min(1).max(512))
      .max(100)
      .default([])
      .describe('Which streams go there: app/stream or stream names, * matches anything; empty: every stream.'),
    enabled: z.boolean().default(true).describe('Forward to this destination.'),
  })
  .strict();

const forwardSchema = z
  .object({
    destinations: z
      .array(forwardDestinationSchema)
      .max(MAX_FORWARD_DESTINATIONS)
      .refine((list) => new Set(list.map((d) => d.name)).size === list.length, {
        message: 'destination names must be unique',
      })
      .default([])
      .describe('Multistream: every matching live stream is pushed to each enabled destination (SRS forward).'),
    connectTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(120_000)
      .default(10_000)
      .describe('Deadline for a destination to accept the publish; past it the attempt failed.'),
    retryInitialMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(1000)
      .describe('Wait before the first reconnect to a failed destination; each further failure doubles it.'),
    retryMaxMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('Longest wait between reconnects; a connection that lasted this long starts again from the first.'),
  })
  .strict()
  .prefault({});

const edgeSchema = z
  .object({
    origin: z
      .string()
      .regex(/^(rtmps?:\/\/[^/\s]+\/?)?$/i, 'expected rtmp://host[:port] (or empty)')
      .default('')
      .describe(
        'Edge mode: an origin server (rtmp://host:1935, an SRS cluster or another Tally); a stream that is not here is pulled from it on the first player and dropped after the last.',
      ),
    connectTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(120_000)
      .default(10_000)
      .describe('Deadline for the origin to start playing a stream a player asked for.'),
    idleTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(600_000)
      .default(20_000)
      .describe('A pull that receives nothing from the origin for this long is dropped (its players end).'),
    lingerMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(3000)
      .describe('How long a pull stays after its last player left, so a quick reconnect finds it.'),
  })
  .strict()
  .prefault({});

const srtSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Accept SRT publishers (m=publish) and players (m=request).'),
    host: host.default('0.0.0.0').describe('Address the SRT listener binds.'),
    port: port.default(10080).describe('SRT UDP port (srt://host:10080?streamid=#!::r=live/livestream,m=publish).'),
    latencyMs: z
      .number()
      .int()
      .min(20)
      .max(10_000)
      .default(120)
      .describe(
        "SRT latency (TSBPD) in milliseconds; each direction uses the larger of this and the caller's (ffmpeg takes µs, srt-live-transmit and GStreamer ms).",
      ),
    passphrase: z
      .string()
      .refine((s) => s === '' || (s.length >= 10 && s.length <= 79), {
        message: 'an SRT passphrase is 10 to 79 characters (or empty for no encryption)',
      })
      .default('')
      .describe('Callers must encrypt with this passphrase (AES); empty: unencrypted callers only.'),
    pbkeylen: z
      .number()
      .int()
      .refine((n) => n === 16 || n === 24 || n === 32, { message: 'an AES key length is 16, 24 or 32 bytes' })
      .default(16)
      .describe(
        'Shortest AES key (bytes: 16, 24 or 32) accepted from an encrypting caller; the caller picks its key length.',
      ),
    peerIdleTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(600_000)
      .default(5000)
      .describe('An SRT peer that sends nothing (not even a keepalive) for this long is disconnected.'),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1000)
      .describe('SRT connections (and handshakes awaiting admission) at once; more are refused as overloaded.'),
  })
  .strict()
  .prefault({});

const rtcSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('WebRTC: WHIP publish and WHEP play (signalling on the API port, /rtc/v1/).'),
    host: host.default('0.0.0.0').describe('Address the WebRTC UDP (and ICE-TCP) socket binds.'),
    port: port.default(8000).describe('WebRTC media port, UDP and TCP: one port for every peer (SRS: 8000).'),
    candidates: z
      .array(z.string().min(1).max(253))
      .max(16)
      .default([])
      .describe(
        'Extra addresses or host names to announce as ICE candidates (a public IP behind NAT). With a wildcard host every non-loopback LAN address is announced too.',
      ),
    maxViewers: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(500)
      .describe('WHEP viewers at once across all streams; more are refused with 503.'),
    maxConnecting: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(256)
      .describe(
        'WebRTC sessions (WHIP and WHEP) answered but not yet connected (ICE and DTLS), at once; more offers are refused with 503. Each waits up to 30 s: this bounds what a flood of offers can hold.',
      ),
    sendWorkers: z
      .union([z.literal('auto'), z.number().int().min(0).max(16)])
      .default('auto')
      .describe(
        "Worker threads that encrypt and send WHEP viewers' media (Linux; 0: all on the main thread). auto: one per CPU core up to 4, started as viewers arrive.",
      ),
    opusBitrate: z
      .number()
      .int()
      .min(16_000)
      .max(510_000)
      .default(96_000)
      .describe('Bit rate of the Opus audio made from an AAC source for WebRTC viewers (bits per second).'),
    aacBitrate: z
      .number()
      .int()
      .min(32_000)
      .max(320_000)
      .default(128_000)
      .describe("Bit rate of the AAC audio made from a WHIP publisher's Opus for RTMP, FLV, HLS, DASH and DVR."),
  })
  .strict()
  .prefault({});

const httpSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Serve HTTP-FLV, WebSocket-FLV and (later) HLS/DASH/TS.'),
    host: host.default('0.0.0.0').describe('Address the HTTP media listener binds.'),
    port: port.default(8080).describe('HTTP media port.'),
    cors: z
      .boolean()
      .default(true)
      .describe('Send Access-Control-Allow-Origin: * so web players on other sites can play.'),
    headersTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(10_000)
      .describe('A client that has not sent its request headers after this long is closed (slowloris guard).'),
  })
  .strict()
  .prefault({});

const apiSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Serve the HTTP API (SRS-compatible) and the browser console.'),
    host: host
      .default('127.0.0.1')
      .describe('Address the API binds. Anything other than loopback requires api.token (the API can kick clients).'),
    port: port.default(1985).describe('HTTP API and console port.'),
    token: z
      .string()
      .max(512)
      .default('')
      .describe('Bearer token (or basic-auth password) the API requires; empty means no auth on loopback.'),
    corsOrigins: z
      .array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'expected * or an origin like https://dash.example.com'))
      .max(100)
      .default([])
      .transform((list) => list.map((o) => o.toLowerCase()))
      .describe(
        'Web pages (origins) that may call the API from a browser, e.g. an SRS console on another host. Empty: only the console itself (any origin when api.token is set).',
      ),
    allowedHosts: z
      .array(z.string().min(1).max(253))
      .max(100)
      .default([])
      .describe(
        "Host names the API may be reached by besides loopback and this machine's addresses (guards against DNS rebinding); * allows any.",
      ),
  })
  .strict()
  .prefault({});

const dashSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Make MPEG-DASH (fMP4 segments) of every live stream.'),
    fragment: z.number().min(0.5).max(60).default(2).describe('Target segment duration in seconds (cut on keyframes).'),
    window: z.number().min(2).max(3600).default(20).describe('Seconds of segments the live MPD lists.'),
    dispose: z.number().min(0).max(86_400).default(120).describe('Seconds an ended MPD stays available.'),
  })
  .strict()
  .prefault({});

const dvrSchema = z
  .object({
    recordAll: z.boolean().default(false).describe('Record every stream as soon as it is published.'),
    dir: z
      .string()
      .min(1)
      .default(join(homedir(), 'Videos', 'Tally'))
      .describe('Folder recordings are written into.'),
    pathTemplate: z
      .string()
      .min(1)
      .default('[app]/[stream]-[2006][01][02]-[15][04][05]')
      .describe(
        'File path below dvr.dir; SRS variables [vhost] [app] [stream] [timestamp] [2006] [01] [02] [15] [04] [05].',
      ),
    format: z
      .enum(['mp4', 'flv'])
      .default('mp4')
      .describe('mp4 is fragmented MP4: a crash loses at most the last second or two and the file still plays.'),
    plan: z
      .enum(['session', 'segment'])
      .default('session')
      .describe('session: one file per publish; segment: a new file every dvr.segment seconds, cut on a keyframe.'),
    segment: z.number().min(1).max(86_400).default(60).describe('Seconds per file with the segment plan.'),
    minFreeMb: z
      .number()
      .min(0)
      .default(500)
      .describe('Stop recording (the stream goes on) when the disk has less free space than this, in MB.'),
  })
  .strict()
  .prefault({});

const cidr = z.string().refine((v) => parseCidr(v) !== undefined, { message: 'expected an IPv4/IPv6 address or CIDR' });

const securitySchema = z
  .object({
    publishSecret: z
      .string()
      .default('')
      .describe('When set, publishers must add ?secret=<this> to the stream key (Oryx style). Empty: off.'),
    ipRules: z
      .array(
        z
          .object({
            action: z.enum(['publish', 'play']),
            policy: z.enum(['allow', 'deny']),
            cidr,
            protocol: z.string().optional(),
          })
          .strict(),
      )
      .default([])
      .describe('Allow/deny by client address; the first matching rule decides, no match allows.'),
    refererHosts: z
      .array(z.string().min(1))
      .default([])
      .describe('Web pages may play only from these hosts (and subdomains). Empty: off.'),
  })
  .strict()
  .prefault({});

const hookUrls = z.array(z.url()).default([]);
const hooksSchema = z
  .object({
    on_connect: hookUrls.describe('Asked before an RTMP connect is accepted.'),
    on_close: hookUrls,
    on_publish: hookUrls.describe('Asked before a publish is accepted: reply HTTP 200 with 0 or {"code":0}.'),
    on_unpublish: hookUrls,
    on_play: hookUrls.describe('Asked before a play is accepted.'),
    on_stop: hookUrls,
    on_dvr: hookUrls.describe('Told when a recording file is closed.'),
    on_hls: hookUrls.describe('Told when an HLS segment is ready.'),
    timeoutMs: z.number().int().min(100).max(60_000).default(3000).describe('How long a hook may take to answer.'),
    retries: z.number().int().min(0).max(10).default(2).describe('Retries of notification hooks.'),
  })
  .strict()
  .prefault({});

const hubSchema = z
  .object({
    gopCache: z.boolean().default(true).describe('Keep the last GOP so new players start at once.'),
    publisherGraceMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(10_000)
      .describe(
        'A stream outlives its publisher by this long: players stay connected and a publisher that reconnects (a network blip, OBS restarting) continues the stream. 0 ends it at once.',
      ),
    publisherTakeoverMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(3000)
      .describe(
        'A publisher that has sent no media for this long loses its stream to a new publisher that asks for it: an encoder reconnecting after a network change is not refused while its old connection times out. 0: a published stream is always busy.',
      ),
    gopCacheMaxBytes: z
      .number()
      .int()
      .min(0)
      .default(64 * 1024 * 1024)
      .describe('A GOP larger than this is not cached (players then wait for the next keyframe).'),
    gopCacheMaxPackets: z.number().int().min(0).default(10_000).describe('Most packets one cached GOP may hold.'),
    mergeWindowMs: z
      .number()
      .int()
      .min(0)
      .max(2000)
      .default(40)
      .describe(
        'Merge window (SRS mw_latency): packets reach readers in batches this many ms apart. 40 ms cuts server CPU to a third at 1000 players for about one frame of delay; 0 writes every event-loop turn.',
      ),
    timeJitter: z
      .enum(['full', 'zero', 'off'])
      .default('full')
      .describe('Timestamp correction (SRS time_jitter): full starts at 0 and smooths jumps; zero only starts at 0.'),
    readerMaxQueueBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(8 * 1024 * 1024)
      .describe('A player whose unsent backlog passes this skips to the next keyframe.'),
    readerMaxQueueMs: z
      .number()
      .int()
      .min(500)
      .default(10_000)
      .describe('A player whose unsent backlog is worth more than this much media time skips to the next keyframe.'),
    readerStuckTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(30_000)
      .describe('A player that cannot drain its backlog for this long is disconnected.'),
  })
  .strict()
  .prefault({});

const hlsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Make HLS (MPEG-TS segments) of every live stream.'),
    fragment: z
      .number()
      .min(0.5)
      .max(60)
      .default(2)
      .describe('Target segment duration in seconds; segments are cut on keyframes, so long GOPs make longer ones.'),
    window: z.number().min(2).max(3600).default(20).describe('Seconds of segments the live playlist lists.'),
    dispose: z
      .number()
      .min(0)
      .max(86_400)
      .default(120)
      .describe('Seconds an ended playlist stays available (a reconnecting publisher continues it).'),
    path: z
      .string()
      .default('')
      .describe(
        'Also write .m3u8 and .ts files under this folder (for nginx or a CDN); empty keeps them in memory only.',
      ),
    fmp4: z
      .boolean()
      .default(true)
      .describe('Also serve HLS over fMP4 (CMAF; H.264, HEVC, AV1) at /{app}/{stream}/index.m3u8, beside the TS HLS.'),
    lowLatency: z
      .boolean()
      .default(true)
      .describe(
        'Low-latency HLS on the fMP4 playlist: partial segments, blocking playlist reload, delta updates (RFC 8216bis).',
      ),
    partDuration: z
      .number()
      .min(0.1)
      .max(1)
      .default(0.2)
      .describe('LL-HLS part target duration in seconds; players aim at two parts behind live.'),
    blockingWait: z
      .number()
      .min(0.5)
      .max(30)
      .default(6)
      .describe(
        'Longest an LL-HLS blocking playlist reload or preload-hint request is held, in seconds (503 after); never more than three target durations.',
      ),
    maxBlockedRequests: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1000)
      .describe('LL-HLS requests held at once per stream; more are answered 503 at once.'),
  })
  .strict()
  .prefault({});

const gb28181Schema = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .describe('GB28181: cameras and NVRs register over SIP and send PS over RTP (off by default, as in SRS).'),
    host: host.default('0.0.0.0').describe('Address the SIP (TCP and UDP) and media listeners bind.'),
    sipPort: port.default(5060).describe('SIP port, TCP and UDP: the "SIP server port" of the camera.'),
    serverId: z
      .string()
      .regex(/^[0-9A-Za-z]{1,32}$/)
      .default('34020000002000000001')
      .describe('Our SIP id: the "SIP server ID" of the camera (20 digits in GB/T 28181).'),
    domain: z
      .string()
      .regex(/^[0-9A-Za-z.]{1,64}$/)
      .default('3402000000')
      .describe('SIP domain and digest realm: the "SIP server domain" of the camera (10 digits).'),
    password: z
      .string()
      .max(128)
      .default('')
      .describe('Devices must register with this password (SIP digest); empty: any device may register.'),
    announceHost: z
      .string()
      .max(253)
      .default('')
      .describe('Address given to devices for SIP and media (a NAT public address); empty: found per device.'),
    mediaPort: port
      .default(9000)
      .describe('RTP media port, TCP (RFC 4571) and UDP, shared by every stream (bound by SSRC).'),
    inviteMode: z
      .enum(['tcp-passive', 'tcp-active', 'udp'])
      .default('tcp-passive')
      .describe('How media comes: the device connects to us (tcp-passive), we connect to it (tcp-active), or UDP.'),
    app: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,64}$/)
      .default('live')
      .describe('App of the streams: live/<deviceId>.'),
    autoPlay: z
      .boolean()
      .default(true)
      .describe("INVITE each device's first channel when it registers (others through the API)."),
    maxRegisterExpiresS: z
      .number()
      .int()
      .min(60)
      .max(86_400)
      .default(3600)
      .describe('Longest registration granted (seconds); a device asking for more gets this.'),
    keepaliveTimeoutMs: z
      .number()
      .int()
      .min(500)
      .max(3_600_000)
      .default(180_000)
      .describe('A device with no keepalive for this long goes offline (GB default: 3 missed 60 s keepalives).'),
    mediaTimeoutMs: z
      .number()
      .int()
      .min(500)
      .max(600_000)
      .default(10_000)
      .describe('A stream with no RTP for this long is ended with BYE and invited again.'),
    catalogTimeoutMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(3000)
      .describe('Wait this long for the Catalog answer before inviting the device itself as its channel.'),
    maxDevices: z.number().int().min(1).max(100_000).default(1000).describe('Registered devices at once.'),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(2000)
      .describe('SIP TCP connections, and media TCP connections, at once; more are closed on accept.'),
  })
  .strict()
  .prefault({});

const udpTsSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Accept MPEG-TS over UDP (ffmpeg -f mpegts udp://host:8935).'),
    host: host.default('0.0.0.0').describe('Address the UDP-TS listener binds.'),
    port: port.default(8935).describe('UDP port for MPEG-TS datagrams.'),
    stream: z
      .string()
      .regex(/^[A-Za-z0-9_\-.~]+\/[A-Za-z0-9_\-.~/]+$/, 'expected app/stream, e.g. live/udp')
      .default('live/udp')
      .describe('The stream (app/stream) the datagrams publish to.'),
    idleTimeoutMs: z
      .number()
      .int()
      .min(500)
      .max(600_000)
      .default(5000)
      .describe('A sender that sends nothing for this long has stopped publishing.'),
  })
  .strict()
  .prefault({});

const ffmpegSchema = z
  .object({
    path: z
      .string()
      .default('')
      .describe(
        'The ffmpeg program for audio transcoding and other jobs. Empty: the copy shipped with the app, else ffmpeg on the PATH.',
      ),
  })
  .strict()
  .prefault({});

const ingestSchema = z
  .object({ udpTs: udpTsSchema })
  .strict()
  .prefault({})
  .describe('Ingest listeners other than RTMP.');

/** Keys whose values never appear in config error messages (the message says what is allowed, not what was set). */
export const SECRET_CONFIG_KEYS: ReadonlySet<string> = new Set([
  'srt.passphrase',
  'gb28181.password',
  'api.token',
  'security.publishSecret',
]);

/** Stream keys of forward destinations: config errors name them, never show them. */
export function isSecretConfigKey(key: string): boolean {
  return SECRET_CONFIG_KEYS.has(key) || /^forward\.destinations\.\d+\.(key|url)$/.test(key);
}

export const configSchema = z
  .object({
    vhost: z.string().min(1).default('__defaultVhost__').describe('Virtual host every stream belongs to.'),
    log: logSchema,
    rtmp: rtmpSchema,
    srt: srtSchema,
    rtc: rtcSchema,
    gb28181: gb28181Schema,
    http: httpSchema,
    api: apiSchema,
    security: securitySchema,
    hooks: hooksSchema,
    hub: hubSchema,
    hls: hlsSchema,
    dash: dashSchema,
    dvr: dvrSchema,
    ingest: ingestSchema,
    ffmpeg: ffmpegSchema,
    forward: forwardSchema,
    edge: edgeSchema,
    virtualLive: virtualLiveSchema,
    transcode: transcodeSchema,
    thumbnails: thumbnailsSchema,
  })
  .strict()
  .superRefine((config, ctx) => {
    // The API can kick clients and change settings: never reachable from the network without a token.
    if (config.api.enabled && !config.api.token && !isLoopbackHost(config.api.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'token'],
        message: `required when api.host is not loopback (api.host is ${config.api.host}, reachable from the network)`,
      });
    }
  });

export type TallyConfig = z.infer<typeof configSchema>;
/** What a user may write: every key optional. */
export type TallyConfigInput = z.input<typeof configSchema>;
