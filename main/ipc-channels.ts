/** IPC channel names shared by the main process and the preload (the only two sides of the bridge). */
export const CHANNEL_CALL = 'tally:call';
export const CHANNEL_EVENT = 'tally:event';
