/**
 * SIP messages as GB/T 28181 cameras and platforms send them (device 34020000001320000001 at 192.168.1.64,
 * platform 34020000002000000001 at 192.168.1.10, domain 3402000000), written for these tests.
 */
const crlf = (lines: string[], body = '') => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');

export const REGISTER = crlf([
  'REGISTER sip:34020000002000000001@3402000000 SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1371463273',
  'From: <sip:34020000001320000001@3402000000>;tag=2043466181',
  'To: <sip:34020000001320000001@3402000000>',
  'Call-ID: 1011047669',
  'CSeq: 1 REGISTER',
  'Contact: <sip:34020000001320000001@192.168.1.64:5060>',
  'Max-Forwards: 70',
  'User-Agent: IP Camera',
  'Expires: 3600',
  'Content-Length: 0',
]);

export const UNAUTHORIZED = crlf([
  'SIP/2.0 401 Unauthorized',
  'Via: SIP/2.0/UDP 192.168.1.64:5060;rport=5060;branch=z9hG4bK1371463273;received=192.168.1.64',
  'From: <sip:34020000001320000001@3402000000>;tag=2043466181',
  'To: <sip:34020000001320000001@3402000000>;tag=7b2a9c',
  'Call-ID: 1011047669',
  'CSeq: 1 REGISTER',
  'WWW-Authenticate: Digest realm="3402000000", nonce="6fe9ba44a76be22a", algorithm=MD5',
  'Content-Length: 0',
]);

export const REGISTER_AUTH = crlf([
  'REGISTER sip:34020000002000000001@3402000000 SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1891327650',
  'From: <sip:34020000001320000001@3402000000>;tag=2043466181',
  'To: <sip:34020000001320000001@3402000000>',
  'Call-ID: 1011047669',
  'CSeq: 2 REGISTER',
  'Contact: <sip:34020000001320000001@192.168.1.64:5060>',
  'Authorization: Digest username="34020000001320000001", realm="3402000000", nonce="6fe9ba44a76be22a", uri="sip:34020000002000000001@3402000000", response="0f1b2c3d4e5f60718293a4b5c6d7e8f9", algorithm=MD5',
  'Max-Forwards: 70',
  'User-Agent: IP Camera',
  'Expires: 3600',
  'Content-Length: 0',
]);

export const KEEPALIVE_BODY =
  '<?xml version="1.0" encoding="GB2312"?>\r\n' +
  '<Notify>\r\n' +
  '<CmdType>Keepalive</CmdType>\r\n' +
  '<SN>43</SN>\r\n' +
  '<DeviceID>34020000001320000001</DeviceID>\r\n' +
  '<Status>OK</Status>\r\n' +
  '<Info>\r\n' +
  '</Info>\r\n' +
  '</Notify>\r\n';

export const KEEPALIVE = crlf(
  [
    'MESSAGE sip:34020000002000000001@3402000000 SIP/2.0',
    'Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1587961340',
    'From: <sip:34020000001320000001@3402000000>;tag=1214233426',
    'To: <sip:34020000002000000001@3402000000>',
    'Call-ID: 1617418785',
    'CSeq: 20 MESSAGE',
    'Content-Type: Application/MANSCDP+xml',
    'Max-Forwards: 70',
    'User-Agent: IP Camera',
    `Content-Length: ${Buffer.byteLength(KEEPALIVE_BODY)}`,
  ],
  KEEPALIVE_BODY,
);

export const INVITE_SDP =
  'v=0\r\n' +
  'o=34020000002000000001 0 0 IN IP4 192.168.1.10\r\n' +
  's=Play\r\n' +
  'c=IN IP4 192.168.1.10\r\n' +
  't=0 0\r\n' +
  'm=video 9000 TCP/RTP/AVP 96\r\n' +
  'a=recvonly\r\n' +
  'a=rtpmap:96 PS/90000\r\n' +
  'a=setup:passive\r\n' +
  'a=connection:new\r\n' +
  'y=0200000001\r\n';

export const INVITE = crlf(
  [
    'INVITE sip:34020000001320000001@3402000000 SIP/2.0',
    'Via: SIP/2.0/TCP 192.168.1.10:5060;rport;branch=z9hG4bK34208805',
    'From: <sip:34020000002000000001@3402000000>;tag=512358805',
    'To: <sip:34020000001320000001@3402000000>',
    'Call-ID: 200008805',
    'CSeq: 20 INVITE',
    'Content-Type: APPLICATION/SDP',
    'Contact: <sip:34020000002000000001@192.168.1.10:5060>',
    'Max-Forwards: 70',
    'Subject: 34020000001320000001:0200000001,34020000002000000001:0',
    `Content-Length: ${Buffer.byteLength(INVITE_SDP)}`,
  ],
  INVITE_SDP,
);

export const OK_SDP =
  'v=0\r\n' +
  'o=34020000001320000001 0 0 IN IP4 192.168.1.64\r\n' +
  's=Play\r\n' +
  'c=IN IP4 192.168.1.64\r\n' +
  't=0 0\r\n' +
  'm=video 15060 TCP/RTP/AVP 96\r\n' +
  'a=sendonly\r\n' +
  'a=rtpmap:96 PS/90000\r\n' +
  'a=setup:active\r\n' +
  'a=connection:new\r\n' +
  'y=0200000001\r\n' +
  'f=\r\n';

export const INVITE_OK = crlf(
  [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/TCP 192.168.1.10:5060;rport=5060;branch=z9hG4bK34208805',
    'From: <sip:34020000002000000001@3402000000>;tag=512358805',
    'To: <sip:34020000001320000001@3402000000>;tag=1837154563',
    'Call-ID: 200008805',
    'CSeq: 20 INVITE',
    'Contact: <sip:34020000001320000001@192.168.1.64:5060>',
    'Content-Type: application/sdp',
    'User-Agent: IP Camera',
    `Content-Length: ${Buffer.byteLength(OK_SDP)}`,
  ],
  OK_SDP,
);

export const ACK = crlf([
  'ACK sip:34020000001320000001@192.168.1.64:5060 SIP/2.0',
  'Via: SIP/2.0/TCP 192.168.1.10:5060;rport;branch=z9hG4bK34208806',
  'From: <sip:34020000002000000001@3402000000>;tag=512358805',
  'To: <sip:34020000001320000001@3402000000>;tag=1837154563',
  'Call-ID: 200008805',
  'CSeq: 20 ACK',
  'Max-Forwards: 70',
  'Content-Length: 0',
]);

/** Compact header forms, as some stacks write them. */
export const BYE_COMPACT = crlf([
  'BYE sip:34020000001320000001@192.168.1.64:5060 SIP/2.0',
  'v: SIP/2.0/TCP 192.168.1.10:5060;rport;branch=z9hG4bK34208807',
  'f: <sip:34020000002000000001@3402000000>;tag=512358805',
  't: <sip:34020000001320000001@3402000000>;tag=1837154563',
  'i: 200008805',
  'CSeq: 21 BYE',
  'Max-Forwards: 70',
  'l: 0',
]);
