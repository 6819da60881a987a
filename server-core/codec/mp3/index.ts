export {
  MP3_FRAME_HEADER_SIZE,
  type Mp3FrameHeader,
  type MpegAudioVersion,
  parseMp3FrameHeader,
} from './frame-header.js';
