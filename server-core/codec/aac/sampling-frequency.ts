/** samplingFrequencyIndex table (ISO/IEC 14496-3 1.6.3.4, Table 1.18); 13 and 14 reserved, 15 = explicit. */
export const SAMPLING_FREQUENCIES: readonly number[] = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

export const EXPLICIT_FREQUENCY_INDEX = 15;

/** The index for a rate in the table, or EXPLICIT_FREQUENCY_INDEX when it has none. */
export function samplingFrequencyIndex(sampleRate: number): number {
  const index = SAMPLING_FREQUENCIES.indexOf(sampleRate);
  return index < 0 ? EXPLICIT_FREQUENCY_INDEX : index;
}
