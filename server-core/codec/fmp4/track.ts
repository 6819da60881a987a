/** One track of a fragmented MP4 (init segment and fragments). */
export interface Fmp4Track {
  id: number;
  kind: 'video' | 'audio';
  codec: 'h264' | 'hevc' | 'av1' | 'aac' | 'opus' | 'mp3';
  timescale: number;
  /** avcC / hvcC / av1C record bytes, AudioSpecificConfig, or OpusHead. */
  config?: Buffer;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
}

export interface Fmp4Sample {
  /** In the track's timescale. */
  duration: number;
  size: number;
  data: Buffer;
  keyframe: boolean;
  /** pts - dts in the track's timescale; negative values use trun version 1. */
  compositionOffset: number;
}

export interface Fmp4Fragment {
  trackId: number;
  baseMediaDecodeTime: number;
  samples: Fmp4Sample[];
}
