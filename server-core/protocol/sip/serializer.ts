import { SIP_VERSION, type SipMessage } from './message.js';

/**
 * Writes a message (RFC 3261 7): start line, headers in order with Content-Length set to the body's
 * size (replacing any given one, added last when absent), empty line, body.
 */
export function serializeSipMessage(message: SipMessage): Buffer {
  const lines: string[] = [
    message.kind === 'request'
      ? `${message.method} ${message.uri} ${SIP_VERSION}`
      : `${SIP_VERSION} ${message.status} ${message.reason}`,
  ];
  let wroteLength = false;
  for (const h of message.headers) {
    if (h.name === 'Content-Length') {
      if (wroteLength) continue;
      wroteLength = true;
      lines.push(`Content-Length: ${message.body.length}`);
    } else {
      lines.push(`${h.name}: ${h.value}`);
    }
  }
  if (!wroteLength) lines.push(`Content-Length: ${message.body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return message.body.length > 0 ? Buffer.concat([head, message.body]) : head;
}
