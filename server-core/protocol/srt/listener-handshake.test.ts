import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURED_HANDSHAKES, ENCRYPTED_PASSPHRASE, ENCRYPTED_SEK } from './captured-handshakes.fixture.js';
import { ExtensionType, findExtension, HandshakeType } from './handshake.js';
import { decodeHsExtension } from './hs-extension.js';
import { type CookieIssuer, ListenerHandshake, type ListenerHandshakeOptions } from './listener-handshake.js';
import { parsePacket } from './packet.js';
import { AccessReason, RejectReason, rejectionReason } from './rejection.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const PEER = { address: '127.0.0.1', port: 40000 };
const STUB_COOKIE = 0xc0ffee42;
/** The stub listener of the captures: fixed cookie and socket id. */
const stubCookies: CookieIssuer = { issue: () => STUB_COOKIE, check: (c) => c === STUB_COOKIE };
const stub = (o: ListenerHandshakeOptions = {}) =>
  new ListenerHandshake({ cookies: stubCookies, listenerSocketId: 0x11223344, newSocketId: () => 0x11223344, ...o });

/** Hex without the header timestamp (bytes 8..11), which depends on the clock. */
const timeless = (b: Buffer | string) => {
  const h = typeof b === 'string' ? b : b.toString('hex');
  return h.slice(0, 16) + h.slice(24);
};

function handshakeOf(b: Buffer) {
  const p = parsePacket(b);
  if (p.type !== 'handshake') throw new Error('not a handshake');
  return p;
}

describe('listener handshake against captured callers', () => {
  for (const [name, c] of Object.entries(CAPTURED_HANDSHAKES)) {
    it(`${name}: answers as the stub the caller accepted`, () => {
      const opts = name === 'ffmpegEncrypted' ? { passphrase: ENCRYPTED_PASSPHRASE } : {};
      const listener = stub(opts);
      const ind = listener.push(hex(c.induction), PEER, 1000);
      expect(ind.kind).toBe('induction');
      if (ind.kind !== 'induction') return;
      expect(timeless(ind.reply)).toBe(timeless(c.inductionResponse));
      const conc = listener.push(hex(c.conclusion), PEER, 1010);
      expect(conc.kind).toBe('accepted');
      if (conc.kind !== 'accepted') return;
      expect(timeless(conc.reply)).toBe(timeless(c.conclusionResponse));
      expect(conc.connection).toMatchObject({ peerSocketId: handshakeOf(hex(c.induction)).handshake.socketId });
    });
  }

  it('negotiates latency as the larger of both sides', () => {
    const accepted = (name: string, latencyMs?: number) => {
      const c = CAPTURED_HANDSHAKES[name];
      const r = stub({ latencyMs }).push(hex(c.conclusion), PEER, 0);
      if (r.kind !== 'accepted') throw new Error(r.kind);
      return r.connection;
    };
    expect(accepted('ffmpegPublish')).toMatchObject({ receiverLatencyMs: 200, senderLatencyMs: 200 });
    expect(accepted('srtLiveTransmit')).toMatchObject({ receiverLatencyMs: 300, senderLatencyMs: 300 });
    expect(accepted('gstreamer', 400)).toMatchObject({ receiverLatencyMs: 400, senderLatencyMs: 400 });
    expect(accepted('ffmpegPlay')).toMatchObject({ streamId: '#!::r=live/livestream,m=request' });
    const slt = accepted('srtLiveTransmit');
    expect(slt).toMatchObject({
      mtu: 1500,
      flowWindow: 8192,
      peerSrtVersion: 0x010501,
      streamId: '#!::r=live/slt,m=publish',
    });
  });

  it('accepts PACKET_FILTER in HSREQ without a filter extension, and answers without it', () => {
    const r = stub().push(hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion), PEER, 0);
    if (r.kind !== 'accepted') throw new Error(r.kind);
    const rsp = decodeHsExtension(findExtension(handshakeOf(r.reply).handshake, ExtensionType.HSRSP)!.body);
    expect(rsp.flags).toBe(0x3f);
    expect(r.connection.peerFlags & 0x80).toBe(0x80);
  });

  it('unwraps the stream key of the encrypted caller and echoes KMREQ as KMRSP', () => {
    const r = stub({ passphrase: ENCRYPTED_PASSPHRASE }).push(
      hex(CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion),
      PEER,
      0,
    );
    if (r.kind !== 'accepted') throw new Error(r.kind);
    expect(r.connection.keys?.even?.toString('hex')).toBe(ENCRYPTED_SEK);
    const reply = handshakeOf(r.reply).handshake;
    const req = findExtension(handshakeOf(hex(CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion)).handshake, 3)!;
    expect(findExtension(reply, ExtensionType.KMRSP)?.body).toEqual(req.body);
  });

  it('takes the passphrase per stream from authorize', () => {
    const seen: string[] = [];
    const listener = stub({
      authorize: (req) => {
        seen.push(req.streamId);
        return { accept: true, passphrase: req.encrypted ? ENCRYPTED_PASSPHRASE : undefined };
      },
    });
    expect(listener.push(hex(CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion), PEER, 0).kind).toBe('accepted');
    expect(listener.push(hex(CAPTURED_HANDSHAKES.gstreamer.conclusion), PEER, 0).kind).toBe('accepted');
    expect(seen).toEqual(['#!::r=live/enc,m=publish', '#!::r=live/gst,m=publish']);
  });
});

describe('listener handshake rejections', () => {
  const rejectedWith = (listener: ListenerHandshake, line: string) => {
    const r = listener.push(hex(line), PEER, 0);
    expect(r.kind).toBe('rejected');
    if (r.kind !== 'rejected') return undefined;
    const hs = handshakeOf(r.reply).handshake;
    expect(rejectionReason(hs.handshakeType)).toBe(r.reason);
    return r.reason;
  };

  it('REJ_BADSECRET on a wrong passphrase', () => {
    expect(rejectedWith(stub({ passphrase: 'wrong-passphrase' }), CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion)).toBe(
      RejectReason.BADSECRET,
    );
  });

  it('REJ_UNSECURE when only one side has a passphrase', () => {
    expect(rejectedWith(stub(), CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion)).toBe(RejectReason.UNSECURE);
    expect(rejectedWith(stub({ passphrase: 'some-passphrase' }), CAPTURED_HANDSHAKES.ffmpegPublish.conclusion)).toBe(
      RejectReason.UNSECURE,
    );
  });

  it('the reason authorize gives, access-control and user codes alike', () => {
    for (const reason of [AccessReason.NOT_FOUND, AccessReason.FORBIDDEN, 2042]) {
      const listener = stub({ authorize: () => ({ accept: false, reason }) });
      expect(rejectedWith(listener, CAPTURED_HANDSHAKES.ffmpegPlay.conclusion)).toBe(reason);
      const r = listener.push(hex(CAPTURED_HANDSHAKES.ffmpegPlay.conclusion), PEER, 0);
      expect(handshakeOf(r.kind === 'rejected' ? r.reply : Buffer.alloc(0)).handshake.handshakeType).toBe(
        1000 + reason,
      );
    }
  });

  it('REJ_VERSION for HSv4 conclusions, REJ_ROGUE without HSREQ', () => {
    const v4 = hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion);
    v4.writeUInt32BE(4, 16);
    expect(rejectedWith(stub(), v4.toString('hex'))).toBe(RejectReason.VERSION);
    const noReq = hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion);
    noReq.writeUInt16BE(4, 22);
    expect(rejectedWith(stub(), noReq.toString('hex'))).toBe(RejectReason.ROGUE);
  });
});

describe('listener handshake cookies and repeats', () => {
  it('issues HMAC cookies that conclusions must echo, from this or the previous time bucket', () => {
    const listener = new ListenerHandshake({ cookieSecret: Buffer.alloc(32, 7), newSocketId: () => 99 });
    const ind = listener.push(hex(CAPTURED_HANDSHAKES.gstreamer.induction), PEER, 5000);
    if (ind.kind !== 'induction') throw new Error(ind.kind);
    const cookie = handshakeOf(ind.reply).handshake.synCookie;
    const conclusion = hex(CAPTURED_HANDSHAKES.gstreamer.conclusion);
    conclusion.writeUInt32BE(cookie, 16 + 28);
    expect(listener.push(conclusion, { ...PEER, port: 1 }, 5000).kind).toBe('ignored');
    expect(listener.push(conclusion, PEER, 5000 + 200_000).kind).toBe('ignored');
    const ok = listener.push(conclusion, PEER, 5000 + 64_000);
    expect(ok.kind).toBe('accepted');
    const other = new ListenerHandshake({ cookieSecret: Buffer.alloc(32, 8) });
    expect(other.push(conclusion, PEER, 5000).kind).toBe('ignored');
  });

  it('answers a repeated conclusion with the same reply and socket id', () => {
    let next = 500;
    const listener = stub({ newSocketId: () => next++ });
    const first = listener.push(hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion), PEER, 0);
    const again = listener.push(hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion), PEER, 100);
    if (first.kind !== 'accepted' || again.kind !== 'repeated') throw new Error(`${first.kind} ${again.kind}`);
    expect(timeless(again.reply)).toBe(timeless(first.reply));
    expect(handshakeOf(again.reply).timestamp).toBe(100_000);
    expect(again.socketId).toBe(first.connection.socketId);
    expect(listener.push(hex(CAPTURED_HANDSHAKES.ffmpegPublish.conclusion), PEER, 20_000).kind).toBe('accepted');
  });

  it('stamps the conclusion reply from the connection start, not the wall clock', () => {
    // libsrt callers take our clock origin from this timestamp; our data timestamps count from acceptedAtMs.
    const c = CAPTURED_HANDSHAKES.srtLiveTransmit;
    const listener = stub();
    const wall = 1_764_650_000_123;
    const ind = listener.push(hex(c.induction), PEER, wall);
    if (ind.kind !== 'induction') throw new Error(ind.kind);
    expect(handshakeOf(ind.reply).timestamp).toBe(0);
    const conc = listener.push(hex(c.conclusion), PEER, wall + 7);
    if (conc.kind !== 'accepted') throw new Error(conc.kind);
    expect(conc.connection.acceptedAtMs).toBe(wall + 7);
    expect(handshakeOf(conc.reply).timestamp).toBe(0);
    const rejected = stub({ passphrase: 'a passphrase of ours' }).push(hex(c.conclusion), PEER, wall + 2500);
    if (rejected.kind !== 'rejected') throw new Error(rejected.kind);
    expect(handshakeOf(rejected.reply).timestamp).toBe(0);
  });

  it('ignores garbage and non-handshake packets without throwing', () => {
    const listener = stub();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (a) => {
        const r = listener.push(Buffer.from(a), PEER, 0);
        expect(['ignored', 'rejected', 'induction', 'accepted', 'repeated']).toContain(r.kind);
      }),
      { numRuns: 1000 },
    );
    const truncated = hex(CAPTURED_HANDSHAKES.ffmpegEncrypted.conclusion);
    for (let n = 0; n < truncated.length; n += 3) listener.push(truncated.subarray(0, n), PEER, 0);
    expect(listener.push(hex('80010000000000000000000000000001'), PEER, 0)).toMatchObject({ kind: 'ignored' });
    expect(HandshakeType.CONCLUSION).toBe(0xffffffff);
  });
});
