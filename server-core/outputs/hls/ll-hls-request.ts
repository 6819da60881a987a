/** What a playlist request asks for (RFC 8216bis 6.2.5): a blocking reload and/or a delta update. */
export interface LlHlsRequest {
  /** `_HLS_msn`: hold the answer until this segment (or, with `part`, this part of it) exists. */
  msn?: number;
  part?: number;
  /** `_HLS_skip=YES` (or `v2`): the client wants a delta update. */
  skip: boolean;
}

/** Parses the query of a playlist request; a malformed one is the client's error (400). Pure. */
export function parseLlHlsRequest(query: URLSearchParams): LlHlsRequest | { error: string } {
  const msn = query.get('_HLS_msn');
  const part = query.get('_HLS_part');
  const skip = query.get('_HLS_skip');
  const request: LlHlsRequest = { skip: skip === 'YES' || skip === 'v2' };
  if (msn !== null) {
    if (!/^\d{1,15}$/.test(msn)) return { error: '_HLS_msn must be a decimal integer' };
    request.msn = Number(msn);
  }
  if (part !== null) {
    if (request.msn === undefined) return { error: '_HLS_part needs _HLS_msn' };
    if (!/^\d{1,9}$/.test(part)) return { error: '_HLS_part must be a decimal integer' };
    request.part = Number(part);
  }
  return request;
}
