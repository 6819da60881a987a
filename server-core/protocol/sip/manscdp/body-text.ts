import { SipError } from '../sip-error.js';

/**
 * MANSCDP bodies are declared GB2312 by most devices (GB/T 28181-2016 appendix A) and sometimes UTF-8 while
 * holding GB2312 bytes, or the other way round. We decode GB2312/GBK/GB18030 with the WHATWG gb18030
 * decoder (a superset), valid UTF-8 as UTF-8, and anything else as latin1, so decoding never fails.
 */
export const MAX_MANSCDP_BYTES = 256 * 1024;

const GB_ENCODINGS = /^(gb2312|gbk|gb18030|gb_2312-80|cp936|euc-cn)$/i;

export function declaredEncoding(body: Buffer): string | undefined {
  const head = body.toString('latin1', 0, Math.min(body.length, 200));
  return /<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
}

export function decodeManscdpBody(body: Buffer): string {
  if (body.length > MAX_MANSCDP_BYTES) throw new SipError('SIP_TOO_LARGE', `MANSCDP body of ${body.length} bytes`);
  const declared = declaredEncoding(body);
  const isAscii = body.every((b) => b < 0x80);
  if (isAscii) return body.toString('latin1');
  if (declared && GB_ENCODINGS.test(declared)) {
    const gb = tryDecode('gb18030', body);
    if (gb !== undefined) return gb;
  }
  const utf8 = tryDecode('utf-8', body);
  if (utf8 !== undefined) return utf8;
  return tryDecode('gb18030', body) ?? body.toString('latin1');
}

function tryDecode(encoding: string, body: Buffer): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    return undefined; // not this encoding, or a Node built without ICU
  }
}
