/**
 * API error codes. Where SRS has a code for the same failure we use its number, so SRS tools understand us.
 */
export const API_CODES = {
  SUCCESS: 0,
  /** SRS ERROR_SYSTEM_STREAM_NOT_FOUND-style: the stream id is unknown. */
  STREAM_NOT_FOUND: 2048,
  CLIENT_NOT_FOUND: 2049,
  /** SRS ERROR_HTTP_API_LOGS style codes start at 4000 for request problems. */
  BAD_REQUEST: 4000,
  NOT_FOUND: 4004,
  METHOD_NOT_ALLOWED: 4005,
  UNAUTHORIZED: 4001,
  FORBIDDEN: 4003,
  CONFLICT: 4009,
  INTERNAL: 5000,
} as const;

export type ApiCode = (typeof API_CODES)[keyof typeof API_CODES];

export class ApiError extends Error {
  constructor(
    readonly code: ApiCode,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
