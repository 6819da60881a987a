export { parseAudioTagBody, writeAudioTagBody, type FlvAudioTag, type AudioTagInput } from './audio-tag.js';
export { FlvError } from './flv-error.js';
export { FLV_HEADER_SIZE, parseFlvHeader, writeFlvHeader } from './header.js';
export { readScriptName, stripSetDataFrame } from './script-tag.js';
export { type FlvTag, FlvStreamReader } from './tag-reader.js';
export { writeFlvTag } from './tag-writer.js';
export { parseVideoTagBody, writeVideoTagBody, type FlvVideoTag, type VideoTagInput } from './video-tag.js';
