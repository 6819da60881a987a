import { describe, expect, it } from 'vitest';
import { authorization, callId, cseqHeader, expiresHeader, fromHeader, toHeader, topVia } from './accessors.js';
import { formatAuthHeader, parseAuthHeader } from './auth-header.js';
import { buildAckFor2xx, buildRequest, buildResponse, stampReceived } from './builders.js';
import { ClientTransaction } from './client-transaction.js';
import { digestChallenge, digestCredentials, verifyDigest } from './digest.js';
import { buildGbSdp, parseGbSdp } from './gb-sdp.js';
import { buildKeepalive, parseManscdp } from './manscdp/messages.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { nameAddrUser } from './name-addr.js';
import { parseSipDatagram } from './parser.js';
import { serializeSipMessage } from './serializer.js';
import { ServerTransaction } from './server-transaction.js';
import { SipStreamFramer } from './stream-framer.js';
import { serverTransactionKey } from './transaction-key.js';
import type { TransactionOutput } from './transaction-timers.js';

const DEVICE = '34020000001320000001';
const PLATFORM = '34020000002000000001';
const REALM = '3402000000';
const SECRET = 'platform secret';
const PASSWORD = '12345678';

/** Over UDP every message is serialized into one datagram and parsed back. */
const udp = <T extends SipMessage>(m: T) => parseSipDatagram(serializeSipMessage(m)) as T;
const sent = (outs: TransactionOutput[]) =>
  outs.filter((o): o is Extract<TransactionOutput, { type: 'send' }> => o.type === 'send').map((o) => o.message);
const delivered = (outs: TransactionOutput[]) =>
  outs.filter((o): o is Extract<TransactionOutput, { type: 'deliver' }> => o.type === 'deliver').map((o) => o.message);

function deviceRequest(
  method: string,
  cseq: number,
  extra: Partial<Parameters<typeof buildRequest>[0]> = {},
): SipRequest {
  return buildRequest({
    method,
    uri: `sip:${PLATFORM}@${REALM}`,
    from: { uri: `sip:${DEVICE}@${REALM}`, tag: 'devtag' },
    to: { uri: method === 'REGISTER' ? `sip:${DEVICE}@${REALM}` : `sip:${PLATFORM}@${REALM}` },
    via: { transport: 'UDP', host: '192.168.1.64', port: 5060, rport: true },
    callId: `${method}-call`,
    cseq,
    contact: `sip:${DEVICE}@192.168.1.64:5060`,
    ...extra,
  });
}

describe('a GB/T 28181 session through the SIP pieces', () => {
  it('REGISTER with digest over lossy UDP, keepalive, INVITE over TCP, ACK, BYE', () => {
    let now = 0;
    // --- REGISTER, first datagram lost: the device retransmits on Timer E.
    const register1 = deviceRequest('REGISTER', 1, { expires: 3600 });
    const deviceTx1 = new ClientTransaction({ request: register1, reliable: false });
    deviceTx1.start(now);
    now = 500;
    const retransmitted = sent(deviceTx1.tick(now));
    expect(retransmitted).toEqual([register1]);
    const atServer1 = stampReceived(udp(retransmitted[0] as SipRequest), { address: '10.9.8.7', port: 40000 });
    expect(topVia(atServer1)).toMatchObject({ received: '10.9.8.7', rport: 40000 });
    const serverTx1 = new ServerTransaction({ request: atServer1, reliable: false });
    const challenge = digestChallenge({ realm: REALM, secret: SECRET, nowMs: now });
    const unauthorized = buildResponse(atServer1, 401, {
      toTag: 'srvtag',
      headers: [{ name: 'WWW-Authenticate', value: formatAuthHeader(challenge, 'challenge') }],
    });
    const [to401] = sent(serverTx1.respond(unauthorized, now));
    // a late copy of the first datagram hits the server transaction: the 401 goes out again
    expect(serverTransactionKey(udp(register1))).toBe(serverTransactionKey(atServer1));
    expect(sent(serverTx1.push(udp(register1), now + 5))).toEqual([unauthorized]);
    const got401 = delivered(deviceTx1.push(udp(to401 as SipResponse), now + 10));
    expect(got401.map((m) => m.kind === 'response' && m.status)).toEqual([401]);
    expect(deviceTx1.state).toBe('completed');

    // --- REGISTER with credentials
    const www = (got401[0] as SipResponse).headers.find((h) => h.name === 'WWW-Authenticate')!.value;
    const creds = digestCredentials(parseAuthHeader(www), {
      username: DEVICE,
      password: PASSWORD,
      method: 'REGISTER',
      uri: `sip:${PLATFORM}@${REALM}`,
    });
    const register2 = deviceRequest('REGISTER', 2, {
      expires: 3600,
      headers: [{ name: 'Authorization', value: formatAuthHeader(creds, 'credentials') }],
    });
    const deviceTx2 = new ClientTransaction({ request: register2, reliable: false });
    const atServer2 = udp(sent(deviceTx2.start(now))[0] as SipRequest);
    const verdict = verifyDigest({
      authorization: authorization(atServer2)!,
      method: atServer2.method,
      realm: REALM,
      password: (user) => (user === DEVICE ? PASSWORD : undefined),
      secret: SECRET,
      nowMs: now + 20,
    });
    expect(verdict).toEqual({ ok: true, username: DEVICE });
    expect(nameAddrUser(fromHeader(atServer2))).toBe(DEVICE);
    const serverTx2 = new ServerTransaction({ request: atServer2, reliable: false });
    const ok = buildResponse(atServer2, 200, {
      toTag: 'srvtag',
      headers: [{ name: 'Expires', value: String(expiresHeader(atServer2)) }],
    });
    const got200 = delivered(deviceTx2.push(udp(sent(serverTx2.respond(ok, now))[0] as SipResponse), now));
    expect(got200.map((m) => m.kind === 'response' && m.status)).toEqual([200]);

    // --- Keepalive MESSAGE with a MANSCDP body
    const keepalive = deviceRequest('MESSAGE', 3, {
      contentType: 'Application/MANSCDP+xml',
      body: buildKeepalive({ sn: 1, deviceId: DEVICE }),
    });
    const atServer3 = udp(keepalive);
    expect(parseManscdp(atServer3.body)).toMatchObject({ kind: 'keepalive', deviceId: DEVICE, status: 'OK' });

    // --- INVITE from the platform over TCP, framed on a stream
    const offer = buildGbSdp({
      origin: { username: PLATFORM, sessionId: '0', sessionVersion: '0', address: '192.168.1.10' },
      sessionName: 'Play',
      address: '192.168.1.10',
      time: { start: '0', stop: '0' },
      media: [
        {
          type: 'video',
          port: 9000,
          protocol: 'TCP/RTP/AVP',
          formats: [96],
          rtpmaps: [{ payloadType: 96, encoding: 'PS', clockRate: 90000 }],
          direction: 'recvonly',
          setup: 'passive',
          connection: 'new',
          attributes: [],
        },
      ],
      ssrc: '0200000001',
    });
    const invite = buildRequest({
      method: 'INVITE',
      uri: `sip:${DEVICE}@${REALM}`,
      from: { uri: `sip:${PLATFORM}@${REALM}` },
      to: { uri: `sip:${DEVICE}@${REALM}` },
      via: { transport: 'TCP', host: '192.168.1.10', port: 5060, rport: true },
      cseq: 20,
      contact: `sip:${PLATFORM}@192.168.1.10:5060`,
      contentType: 'APPLICATION/SDP',
      headers: [{ name: 'Subject', value: `${DEVICE}:0200000001,${PLATFORM}:0` }],
      body: Buffer.from(offer),
    });
    const platformTx = new ClientTransaction({ request: invite, reliable: true });
    const deviceFramer = new SipStreamFramer();
    const platformFramer = new SipStreamFramer();
    const wire = serializeSipMessage(sent(platformTx.start(now))[0]);
    const atDevice = deviceFramer
      .push(wire.subarray(0, 100))
      .concat(deviceFramer.push(wire.subarray(100)))
      .flatMap((o) => (o.type === 'message' ? [o.message as SipRequest] : []));
    expect(atDevice).toHaveLength(1);
    const sdp = parseGbSdp(atDevice[0].body);
    expect(sdp.media[0]).toMatchObject({ setup: 'passive', port: 9000 });
    const deviceInviteTx = new ServerTransaction({ request: atDevice[0], reliable: true });
    const answer = buildGbSdp({
      ...sdp,
      origin: { ...sdp.origin, username: DEVICE, address: '192.168.1.64' },
      address: '192.168.1.64',
      media: [{ ...sdp.media[0], port: 15060, direction: 'sendonly', setup: 'active' }],
      format: '',
    });
    const trying = buildResponse(atDevice[0], 100);
    const inviteOk = buildResponse(atDevice[0], 200, {
      toTag: 'camtag',
      contentType: 'application/sdp',
      headers: [{ name: 'Contact', value: `<sip:${DEVICE}@192.168.1.64:5060>` }],
      body: Buffer.from(answer),
    });
    const toPlatform = Buffer.concat(
      [...sent(deviceInviteTx.respond(trying, now)), ...sent(deviceInviteTx.respond(inviteOk, now))].map(
        serializeSipMessage,
      ),
    );
    const responses = platformFramer
      .push(toPlatform)
      .flatMap((o) => (o.type === 'message' ? [o.message as SipResponse] : []));
    const forTu = responses.flatMap((r) => delivered(platformTx.push(r, now)));
    expect(forTu.map((m) => m.kind === 'response' && m.status)).toEqual([100, 200]);
    expect(platformTx.state).toBe('accepted');
    expect(parseGbSdp(forTu[1].body).media[0]).toMatchObject({ setup: 'active', port: 15060 });
    const ack = buildAckFor2xx(invite, forTu[1] as SipResponse);
    expect(ack.uri).toBe(`sip:${DEVICE}@192.168.1.64:5060`);
    expect(deviceInviteTx.ackReceived(ack)).toEqual([{ type: 'deliver', message: ack }, { type: 'terminated' }]);

    // --- BYE in the dialog
    const bye = buildRequest({
      method: 'BYE',
      uri: ack.uri,
      from: { uri: `sip:${PLATFORM}@${REALM}`, tag: fromHeader(invite).params.get('tag') },
      to: { uri: `sip:${DEVICE}@${REALM}`, tag: toHeader(forTu[1]).params.get('tag') },
      via: { transport: 'TCP', host: '192.168.1.10', port: 5060 },
      callId: callId(invite),
      cseq: cseqHeader(invite).seq + 1,
    });
    const byeAtDevice = deviceFramer.push(serializeSipMessage(bye));
    expect(byeAtDevice).toHaveLength(1);
    const byeMsg = (byeAtDevice[0] as { message: SipRequest }).message;
    expect([callId(byeMsg), toHeader(byeMsg).params.get('tag')]).toEqual([callId(invite), 'camtag']);
  });
});
