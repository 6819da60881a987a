import { BitReader } from '../bits/bit-reader.js';
import { BitWriter } from '../bits/bit-writer.js';
import { BitstreamError } from '../bits/bitstream-error.js';
import { channelsForConfiguration, configurationForChannels } from './channel-configuration.js';
import { AOT_AAC_LC, AOT_ESCAPE, AOT_PS, AOT_SBR, aacProfileName, GA_OBJECT_TYPES } from './object-type.js';
import { type ProgramConfigElement, readProgramConfigElement } from './program-config-element.js';
import { EXPLICIT_FREQUENCY_INDEX, SAMPLING_FREQUENCIES, samplingFrequencyIndex } from './sampling-frequency.js';

export interface AudioSpecificConfig {
  /** The object type to report: 29 with PS, 5 with SBR (explicit or backward-compatible), else the core type. */
  objectType: number;
  /** Of the core coder: 15 when the rate is explicit. */
  samplingFrequencyIndex: number;
  /** Of the core coder (what ADTS and the AAC decoder run at); see outputSampleRate. */
  sampleRate: number;
  channelConfiguration: number;
  /** Output channels: from the configuration, the PCE for configuration 0, 2 for parametric stereo. */
  channels: number;
  profileName: string;
  /** Object type of the core coder (2 for HE-AAC). */
  coreObjectType: number;
  /** Decoded sample rate: the SBR extension rate when SBR is signalled, else sampleRate. */
  outputSampleRate: number;
  sbr: boolean;
  ps: boolean;
  /**
   * Channel configuration 0: the program_config_element as a raw_data_block element (ID_PCE first, byte aligned),
   * which ADTS must carry ahead of each frame's audio since its header cannot describe the layout.
   */
  programConfigElement?: Buffer;
}

export interface AudioSpecificConfigInput {
  /** 1..4 for plain AAC, 5 (HE-AAC) or 29 (HE-AAC v2), signalled explicitly over an LC core. */
  objectType: number;
  /** Core sample rate; for 5 and 29 the SBR output runs at twice this. */
  sampleRate: number;
  channels: number;
}

const SYNC_EXTENSION_SBR = 0x2b7;
const SYNC_EXTENSION_PS = 0x548;
const MAX_EXPLICIT_FREQUENCY = 2 ** 24 - 1;
const BUILDABLE_OBJECT_TYPES = new Set([1, 2, 3, 4, AOT_SBR, AOT_PS]);

/**
 * AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1):
 *
 *   audioObjectType u5 (31: 32 + u6) | samplingFrequencyIndex u4 (15: samplingFrequency u24)
 *   channelConfiguration u4
 *   [aot 5/29: extensionSamplingFrequencyIndex u4 (15: u24) | audioObjectType u5 (core)]
 *   GASpecificConfig: frameLengthFlag u1 | dependsOnCoreCoder u1 (coreCoderDelay u14) | extensionFlag u1
 *     [channelConfiguration 0: program_config_element] ...
 *   [backward-compatible: syncExtensionType u11 = 0x2b7 | aot u5 = 5 | sbrPresentFlag u1
 *     (extension frequency) | syncExtensionType u11 = 0x548 | psPresentFlag u1]
 *
 * Fields after the part we need (ER epConfig, extension payloads) are not read.
 */
export function parseAudioSpecificConfig(buf: Buffer): AudioSpecificConfig {
  try {
    return readAudioSpecificConfig(buf);
  } catch (err) {
    if (err instanceof BitstreamError && err.code === 'BITSTREAM_OVERRUN') {
      const size = buf.length === 1 ? '1 byte' : `${buf.length} bytes`;
      throw new BitstreamError('BITSTREAM_TRUNCATED', `${size} end before the fields they announce (${err.message})`);
    }
    throw err;
  }
}

function readAudioSpecificConfig(buf: Buffer): AudioSpecificConfig {
  const r = new BitReader(buf);
  let objectType = readObjectType(r);
  const frequencyIndex = r.readBits(4);
  const sampleRate = readFrequency(r, frequencyIndex);
  const channelConfiguration = r.readBits(4);
  let sbr = false;
  let ps = false;
  let outputSampleRate = sampleRate;
  if (objectType === AOT_SBR || objectType === AOT_PS) {
    sbr = true;
    ps = objectType === AOT_PS;
    outputSampleRate = readFrequency(r, r.readBits(4));
    objectType = readObjectType(r);
    if (objectType === 22) r.skipBits(4); // extensionChannelConfiguration (ER BSAC)
  }
  const coreObjectType = objectType;

  let channels = channelsForConfiguration(channelConfiguration);
  let pce: ProgramConfigElement | undefined;
  if (GA_OBJECT_TYPES.has(coreObjectType)) {
    r.skipBits(1); // frameLengthFlag
    if (r.readFlag()) r.skipBits(14); // coreCoderDelay
    const extensionFlag = r.readFlag();
    if (channelConfiguration === 0) {
      pce = readPce(r);
      channels = pce.channels;
    }
    if (coreObjectType === 6 || coreObjectType === 20) r.skipBits(3); // layerNr
    if (extensionFlag) {
      if (coreObjectType === 22) r.skipBits(5 + 11); // numOfSubFrame, layer_length
      if (coreObjectType === 17 || coreObjectType === 19 || coreObjectType === 20 || coreObjectType === 23)
        r.skipBits(3);
      r.skipBits(1); // extensionFlag3
    }
    if (!sbr) {
      const ext = readSyncExtension(r);
      sbr = ext.sbr;
      ps = ext.ps;
      if (ext.sbrSampleRate !== undefined) outputSampleRate = ext.sbrSampleRate;
    }
  }
  if (channels === undefined) {
    if (channelConfiguration !== 0) {
      throw new BitstreamError('BITSTREAM_INVALID', `reserved channelConfiguration ${channelConfiguration}`);
    }
    channels = 0; // defined in a PCE we do not read for this object type
  }
  if (ps && channels === 1) channels = 2;
  const reported = ps ? AOT_PS : sbr ? AOT_SBR : coreObjectType;
  return {
    objectType: reported,
    samplingFrequencyIndex: frequencyIndex,
    sampleRate,
    channelConfiguration,
    channels,
    profileName: aacProfileName(reported),
    coreObjectType,
    outputSampleRate,
    sbr,
    ps,
    ...(pce ? { programConfigElement: pce.rawDataBlockElement } : {}),
  };
}

/** Channel configuration 0 takes its layout from the PCE that must follow: without a whole one there is none. */
function readPce(r: BitReader): ProgramConfigElement {
  try {
    return readProgramConfigElement(r);
  } catch (err) {
    if (err instanceof BitstreamError && err.code === 'BITSTREAM_OVERRUN') {
      throw new BitstreamError(
        'BITSTREAM_TRUNCATED',
        'channel configuration 0 needs a program_config_element, and it is cut short',
      );
    }
    throw err;
  }
}

/** GetAudioObjectType() (1.6.2.1.1). */
function readObjectType(r: BitReader): number {
  const type = r.readBits(5);
  return type === AOT_ESCAPE ? 32 + r.readBits(6) : type;
}

function readFrequency(r: BitReader, index: number): number {
  if (index === EXPLICIT_FREQUENCY_INDEX) {
    const rate = r.readBits(24);
    if (rate === 0) throw new BitstreamError('BITSTREAM_INVALID', 'samplingFrequency 0');
    return rate;
  }
  const rate = SAMPLING_FREQUENCIES[index];
  if (rate === undefined) throw new BitstreamError('BITSTREAM_INVALID', `reserved samplingFrequencyIndex ${index}`);
  return rate;
}

/** Backward-compatible SBR/PS signalling after the specific config; trailing bytes that do not match are ignored. */
function readSyncExtension(r: BitReader): { sbr: boolean; ps: boolean; sbrSampleRate?: number } {
  const none = { sbr: false, ps: false };
  try {
    if (r.bitsLeft < 16 || r.readBits(11) !== SYNC_EXTENSION_SBR) return none;
    if (readObjectType(r) !== AOT_SBR || !r.readFlag()) return none;
    const sbrSampleRate = readFrequency(r, r.readBits(4));
    const ps = r.bitsLeft >= 12 && r.readBits(11) === SYNC_EXTENSION_PS && r.readFlag();
    return { sbr: true, ps, sbrSampleRate };
  } catch (err) {
    if (err instanceof BitstreamError) return none;
    throw err;
  }
}

/**
 * Builds an AudioSpecificConfig with a plain GASpecificConfig (1024-sample frames, no core coder, no
 * extensions). HE-AAC (5) and HE-AAC v2 (29) use explicit hierarchical signalling over an LC core; v2
 * codes one core channel for its stereo output.
 */
export function buildAudioSpecificConfig(input: AudioSpecificConfigInput): Buffer {
  const { objectType, sampleRate, channels } = input;
  if (!BUILDABLE_OBJECT_TYPES.has(objectType)) {
    throw new BitstreamError('BITSTREAM_UNSUPPORTED', `cannot build a config for object type ${objectType}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > MAX_EXPLICIT_FREQUENCY) {
    throw new BitstreamError('BITSTREAM_INVALID', `sample rate ${sampleRate}`);
  }
  if (objectType === AOT_PS && channels !== 2) throw new BitstreamError('BITSTREAM_INVALID', 'HE-AAC v2 is stereo');
  const channelConfiguration = objectType === AOT_PS ? 1 : configurationForChannels(channels);
  if (channelConfiguration === undefined) {
    throw new BitstreamError('BITSTREAM_UNSUPPORTED', `no channelConfiguration for ${channels} channels`);
  }
  const w = new BitWriter();
  w.writeBits(5, objectType);
  writeFrequency(w, sampleRate);
  w.writeBits(4, channelConfiguration);
  if (objectType === AOT_SBR || objectType === AOT_PS) {
    if (2 * sampleRate > MAX_EXPLICIT_FREQUENCY)
      throw new BitstreamError('BITSTREAM_INVALID', `sample rate ${sampleRate}`);
    writeFrequency(w, 2 * sampleRate);
    w.writeBits(5, AOT_AAC_LC);
  }
  w.writeBits(3, 0); // frameLengthFlag, dependsOnCoreCoder, extensionFlag
  return w.toBuffer();
}

function writeFrequency(w: BitWriter, sampleRate: number): void {
  const index = samplingFrequencyIndex(sampleRate);
  w.writeBits(4, index);
  if (index === EXPLICIT_FREQUENCY_INDEX) w.writeBits(24, sampleRate);
}
