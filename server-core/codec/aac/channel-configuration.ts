/**
 * Output channels per channelConfiguration (ISO/IEC 14496-3 1.6.3.5, Table 1.19, with the 23003-3 additions
 * 11..14). 0 means "defined by a program_config_element"; 8..10 and 15 are reserved.
 */
const CHANNELS: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 8, 11: 7, 12: 8, 13: 24, 14: 8 };

/** Channel count for a configuration, undefined when reserved (or 0: see the PCE). */
export function channelsForConfiguration(channelConfiguration: number): number | undefined {
  return CHANNELS[channelConfiguration];
}

/** The configuration that carries a plain channel count (the classic 1..6 and 8 -> 7). */
export function configurationForChannels(channels: number): number | undefined {
  if (channels >= 1 && channels <= 6) return channels;
  if (channels === 8) return 7;
  if (channels === 7) return 11;
  return undefined;
}
