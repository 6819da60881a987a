export type FlvErrorCode =
  | 'FLV_TRUNCATED'
  | 'FLV_BAD_HEADER'
  | 'FLV_TOO_LARGE'
  | 'FLV_UNSUPPORTED_CODEC'
  | 'FLV_BAD_TAG';

export class FlvError extends Error {
  constructor(
    readonly code: FlvErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FlvError';
  }
}
