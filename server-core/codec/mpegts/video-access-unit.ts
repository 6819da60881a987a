import { H264_AUD_NAL, H264_NAL_AUD, H264_NAL_SPS, h264NalType } from '../h264/nal-type.js';
import { HEVC_AUD_NAL, HEVC_NAL_AUD, HEVC_NAL_SPS, hevcNalType } from '../hevc/nal-type.js';

export type TsVideoCodec = 'h264' | 'hevc';

/**
 * The NAL units of one video access unit as an MPEG-TS elementary stream wants them (ISO/IEC 13818-1 2.14 for
 * AVC, 2.17 for HEVC: every access unit starts with an access unit delimiter): the AU's own AUD or a generic
 * one first, then — for a keyframe that carries no SPS — the decoder configuration's parameter sets, then the
 * AU's other NAL units in their order. Each HLS segment thus starts decodable on its own.
 */
export function tsVideoNalUnits(
  codec: TsVideoCodec,
  nals: readonly Buffer[],
  keyframe: boolean,
  parameterSets: readonly Buffer[],
): Buffer[] {
  const type = codec === 'h264' ? h264Type : hevcType;
  const audType = codec === 'h264' ? H264_NAL_AUD : HEVC_NAL_AUD;
  const spsType = codec === 'h264' ? H264_NAL_SPS : HEVC_NAL_SPS;
  const aud = nals.find((n) => type(n) === audType) ?? (codec === 'h264' ? H264_AUD_NAL : HEVC_AUD_NAL);
  const units: Buffer[] = [aud];
  if (keyframe && !nals.some((n) => type(n) === spsType)) units.push(...parameterSets);
  for (const nal of nals) if (type(nal) !== audType) units.push(nal);
  return units;
}

/** NAL unit type, or -1 for a unit too short to have a header (passed through untouched). */
function h264Type(nal: Buffer): number {
  return nal.length >= 1 ? h264NalType(nal) : -1;
}

function hevcType(nal: Buffer): number {
  return nal.length >= 2 ? hevcNalType(nal) : -1;
}
