export class Fmp4Error extends Error {
  constructor(
    readonly code: 'FMP4_TRUNCATED' | 'FMP4_BAD_BOX' | 'FMP4_UNSUPPORTED',
    message: string,
  ) {
    super(message);
    this.name = 'Fmp4Error';
  }
}
