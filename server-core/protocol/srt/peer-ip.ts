/**
 * The Peer IP Address field of the handshake (draft-sharabayko-srt-01 section 3.2.1): 128 bits holding the
 * address of the packet's receiver as the sender sees it. libsrt writes it as four 32-bit words in host
 * (little-endian) order, so 127.0.0.1 travels as `0100007f 00000000 00000000 00000000`.
 */
export function encodePeerIp(address: string): Buffer {
  const out = Buffer.alloc(16);
  const v4 = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) {
    const parts = v4.split('.').map((p) => Number(p) & 0xff);
    for (let i = 0; i < 4; i++) out[3 - i] = parts[i];
    return out;
  }
  const groups = expandIpv6(address);
  for (let w = 0; w < 4; w++) {
    const word = ((groups[w * 2] << 16) | groups[w * 2 + 1]) >>> 0;
    out.writeUInt32LE(word, w * 4);
  }
  return out;
}

/** The address the field holds: dotted IPv4 when the last 96 bits are zero, IPv6 otherwise. */
export function decodePeerIp(field: Buffer): string {
  const words = [0, 1, 2, 3].map((w) => field.readUInt32LE(w * 4));
  if (words[1] === 0 && words[2] === 0 && words[3] === 0) {
    const w = words[0];
    return `${w >>> 24}.${(w >>> 16) & 0xff}.${(w >>> 8) & 0xff}.${w & 0xff}`;
  }
  const groups: string[] = [];
  for (const w of words) groups.push((w >>> 16).toString(16), (w & 0xffff).toString(16));
  return groups.join(':');
}

function expandIpv6(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].slice(0, 8).map((g) => Number.parseInt(g || '0', 16) & 0xffff);
}
