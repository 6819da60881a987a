/** Size limits of SIP parsing. GB/T 28181 messages are small; a Catalog response is split per item set. */

/** Start line plus headers, up to and including the empty line. */
export const MAX_SIP_HEADER_BYTES = 16 * 1024;
/** Body (Content-Length). Catalog responses with many items stay well below. */
export const MAX_SIP_BODY_BYTES = 256 * 1024;
/** Header fields in one message. */
export const MAX_SIP_HEADERS = 128;
/** A UDP datagram cannot be bigger (RFC 768 length field). */
export const MAX_SIP_DATAGRAM_BYTES = 65_535;
