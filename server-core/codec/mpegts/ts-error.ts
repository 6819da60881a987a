export class TsError extends Error {
  constructor(
    readonly code: 'TS_BAD_INPUT' | 'TS_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'TsError';
  }
}
