import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_WHEP_OFFER } from '../../protocol/sdp/chromium-offers.fixture.js';
import { RtcTransport } from './rtc-transport.js';
import { ATTR_USERNAME, STUN_BINDING_REQUEST, serializeStunMessage } from './stun-message.js';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

async function started(): Promise<{ transport: RtcTransport; peer: Socket; port: number }> {
  const transport = new RtcTransport({ host: '127.0.0.1', port: 0, tcp: false, sendWorkers: 0 });
  await transport.start();
  open.push(transport);
  const peer = createSocket('udp4');
  open.push(peer);
  await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', () => resolve()));
  return { transport, peer, port: transport.udpAddress.port };
}

/** Sends one connectivity check and reports whether the server answered it (on loopback: within 400 ms). */
async function answered(peer: Socket, port: number, username: string, key: string): Promise<boolean> {
  const request = serializeStunMessage(
    STUN_BINDING_REQUEST,
    Buffer.from('restarttest1'),
    [{ type: ATTR_USERNAME, value: Buffer.from(username) }],
    { integrityKey: key, fingerprint: true },
  );
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      peer.off('message', onMessage);
      resolve(false);
    }, 400);
    const onMessage = () => {
      clearTimeout(timer);
      peer.off('message', onMessage);
      resolve(true);
    };
    peer.on('message', onMessage);
    peer.send(request, port, '127.0.0.1');
  });
}

describe('RtcTransport.restartIce', () => {
  it('answers the new and the previous credentials, forgets older ones, and all of them on close', async () => {
    const { transport, peer, port } = await started();
    const { session, negotiated } = transport.createSession({ offer: CHROMIUM_WHEP_OFFER, role: 'whep' });
    const first = { ...session.ice };
    expect(first.remoteUfrag).toBe(negotiated.remoteIceUfrag);
    expect(await answered(peer, port, `${first.localUfrag}:${first.remoteUfrag}`, first.localPwd)).toBe(true);

    const second = { ...transport.restartIce(session, 'peer2') };
    expect(second.localUfrag).not.toBe(first.localUfrag);
    expect(second.localPwd).not.toBe(first.localPwd);
    expect(session.ice).toEqual(second);
    expect(await answered(peer, port, `${second.localUfrag}:peer2`, second.localPwd)).toBe(true);
    // Until the peer has moved over, its checks on the old pair still pass; the old remote ufrag goes with them.
    expect(await answered(peer, port, `${first.localUfrag}:${first.remoteUfrag}`, first.localPwd)).toBe(true);
    expect(await answered(peer, port, `${second.localUfrag}:${first.remoteUfrag}`, second.localPwd)).toBe(false);

    const third = { ...transport.restartIce(session, 'peer3') };
    expect(await answered(peer, port, `${first.localUfrag}:${first.remoteUfrag}`, first.localPwd)).toBe(false);
    expect(await answered(peer, port, `${second.localUfrag}:peer2`, second.localPwd)).toBe(true);
    expect(await answered(peer, port, `${third.localUfrag}:peer3`, third.localPwd)).toBe(true);
    expect(session.stats.iceRestarts).toBe(2);

    session.close();
    expect(await answered(peer, port, `${third.localUfrag}:peer3`, third.localPwd)).toBe(false);
    expect(() => transport.restartIce(session, 'peer4')).toThrow(/ended/);
  });
});
