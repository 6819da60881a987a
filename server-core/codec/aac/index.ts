export {
  ADTS_HEADER_SIZE,
  type AdtsConfig,
  type AdtsHeader,
  parseAdtsHeader,
  splitAdtsFrames,
  writeAdtsHeader,
} from './adts.js';
export { audioSpecificConfigFromAdts } from './adts-audio-specific-config.js';
export { type AdtsFrame, AdtsStreamSplitter } from './adts-stream.js';
export {
  type AudioSpecificConfig,
  type AudioSpecificConfigInput,
  buildAudioSpecificConfig,
  parseAudioSpecificConfig,
} from './audio-specific-config.js';
export { channelsForConfiguration, configurationForChannels } from './channel-configuration.js';
export { aacCodecString } from './codec-string.js';
export {
  AOT_AAC_LC,
  AOT_AAC_LTP,
  AOT_AAC_MAIN,
  AOT_AAC_SSR,
  AOT_ER_AAC_ELD,
  AOT_ER_AAC_LD,
  AOT_ESCAPE,
  AOT_PS,
  AOT_SBR,
  AOT_USAC,
  aacProfileName,
} from './object-type.js';
export { EXPLICIT_FREQUENCY_INDEX, SAMPLING_FREQUENCIES, samplingFrequencyIndex } from './sampling-frequency.js';
