import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { datagramBytes, encodeControl, type SrtDatagram } from './connection-outputs.js';
import { type ControlPacket, encodeControlPacket, parseControlPacket } from './control-packet.js';
import { encodeDataPacket, KeyFlag } from './data-packet.js';
import { decodeKeyMaterial, encodeKeyMaterial, KmState } from './key-material.js';
import { PayloadCipher } from './payload-cipher.js';
import { SrtReceiver } from './receiver.js';
import { type StreamKeys, wrapStreamKeys } from './stream-keys.js';

const PASSPHRASE = 'refresh-secret-42';
const START = 50_000;
const salt = randomBytes(16);
const evenKey = randomBytes(16);
const oddKey = randomBytes(16);
const kmBody = (keys: Omit<StreamKeys, 'salt' | 'keyLength'>, passphrase = PASSPHRASE) =>
  encodeKeyMaterial(wrapStreamKeys({ salt, keyLength: 16, ...keys }, passphrase));

describe('KMREQ / KMRSP control packets (user-defined type 0x7FFF, subtypes 3 and 4)', () => {
  it('encodes a KMREQ as libsrt sends it and parses it back to the same key material', () => {
    const km = kmBody({ even: evenKey, odd: oddKey });
    const wire = encodeControlPacket({ type: 'kmreq', keyMaterial: km, timestamp: 1234, destSocketId: 77 });
    expect(wire.readUInt32BE(0)).toBe(0xffff0003);
    expect(wire.subarray(16)).toEqual(km);
    const back = parseControlPacket(wire);
    expect(back).toEqual({ type: 'kmreq', keyMaterial: km, timestamp: 1234, destSocketId: 77 });
    expect(decodeKeyMaterial(km).keyFlags).toBe(3);
  });

  it('encodes a KMRSP with subtype 4, and keeps other user-defined subtypes opaque', () => {
    const wire = encodeControlPacket({ type: 'kmrsp', body: Buffer.alloc(4, 1), timestamp: 0, destSocketId: 5 });
    expect(wire.readUInt32BE(0)).toBe(0xffff0004);
    expect(parseControlPacket(wire)).toMatchObject({ type: 'kmrsp', body: Buffer.alloc(4, 1) });
    const other = Buffer.from(wire);
    other.writeUInt32BE(0xffff0009, 0);
    expect(parseControlPacket(other)).toMatchObject({ type: 'other', controlType: 0x7fff, subtype: 9 });
  });
});

describe('SrtReceiver through a key refresh', () => {
  const sender = new PayloadCipher({ salt, keyLength: 16, even: evenKey, odd: oddKey });
  const packet = (seq: number, keyFlag: KeyFlag) =>
    encodeDataPacket({
      type: 'data',
      seq,
      position: 3,
      inOrder: false,
      keyFlag,
      retransmitted: false,
      messageNumber: seq,
      timestamp: (seq - 100) * 1000,
      destSocketId: 1,
      payload: sender.apply(Buffer.from(`payload ${seq}`), seq, keyFlag),
    });
  const kmreq = (body: Buffer, atMs: number) => encodeControl({ type: 'kmreq', keyMaterial: body }, atMs, START, 1);
  const receiver = (passphrase: string | undefined) =>
    new SrtReceiver({
      socketId: 1,
      peerSocketId: 2,
      initialSeq: 100,
      latencyMs: 50,
      peerTimestampUs: 0,
      startMs: START,
      cipher: new PayloadCipher({ salt, keyLength: 16, even: evenKey }),
      passphrase,
    });
  const kmrsps = (sent: SrtDatagram[]) =>
    sent
      .map((d) => parseControlPacket(datagramBytes(d)))
      .filter((c): c is ControlPacket & { type: 'kmrsp' } => c.type === 'kmrsp');

  it('answers the pre-announce with its echo, decrypts both keys by KK, and survives the retirement', () => {
    const r = receiver(PASSPHRASE);
    const plain: string[] = [];
    const take = (out: ReturnType<SrtReceiver['poll']>) => {
      for (const p of out.payloads) plain.push(p.payload.toString());
      return out;
    };
    for (let seq = 100; seq < 110; seq++) take(r.push(packet(seq, KeyFlag.EVEN), START + seq - 100));
    const announce = kmBody({ even: evenKey, odd: oddKey });
    const answered = kmrsps(take(r.push(kmreq(announce, START + 10), START + 10)).send);
    expect(answered).toHaveLength(1);
    expect(answered[0].body).toEqual(announce);
    for (let seq = 110; seq < 115; seq++) take(r.push(packet(seq, KeyFlag.EVEN), START + seq - 100));
    for (let seq = 115; seq < 125; seq++) take(r.push(packet(seq, KeyFlag.ODD), START + seq - 100));
    const retire = kmBody({ odd: oddKey });
    expect(kmrsps(take(r.push(kmreq(retire, START + 25), START + 25)).send)[0].body).toEqual(retire);
    for (let seq = 125; seq < 130; seq++) take(r.push(packet(seq, KeyFlag.ODD), START + seq - 100));
    take(r.poll(START + 500));
    expect(plain).toEqual(Array.from({ length: 30 }, (_, i) => `payload ${100 + i}`));
    expect(r.stats).toMatchObject({ kmRequests: 2, keySwitches: 1, undecryptable: 0, delivered: 30 });
  });

  it('a refresh wrapped with another passphrase is answered BADSECRET and installs nothing', () => {
    const r = receiver(PASSPHRASE);
    const out = r.push(kmreq(kmBody({ even: evenKey, odd: oddKey }, 'another-passphrase'), START), START);
    expect(kmrsps(out.send)[0].body.readUInt32BE(0)).toBe(KmState.BADSECRET);
    r.push(packet(100, KeyFlag.ODD), START + 1);
    expect(r.stats).toMatchObject({ kmRequests: 0, undecryptable: 1 });
  });

  it('a refresh on a listener without a passphrase is answered NOSECRET', () => {
    const out = receiver(undefined).push(kmreq(kmBody({ odd: oddKey }), START), START);
    expect(kmrsps(out.send)[0].body.readUInt32BE(0)).toBe(KmState.NOSECRET);
  });
});
