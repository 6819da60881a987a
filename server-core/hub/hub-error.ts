/** Typed errors of the hub. Codes are stable: the API and the logs report them as they are. */
export type HubErrorCode = 'STREAM_BUSY' | 'STREAM_NOT_FOUND' | 'INVALID_STREAM_NAME' | 'HUB_CLOSED';

export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}
