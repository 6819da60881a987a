export { type AudioTagInput, type FlvAudioTag, parseAudioTagBody, writeAudioTagBody } from './audio-tag.js';
export { FlvError } from './flv-error.js';
export { FLV_HEADER_SIZE, parseFlvHeader, writeFlvHeader } from './header.js';
export { readScriptName, stripSetDataFrame } from './script-tag.js';
export { FlvStreamReader, type FlvTag } from './tag-reader.js';
export { writeFlvTag } from './tag-writer.js';
export { type FlvVideoTag, parseVideoTagBody, type VideoTagInput, writeVideoTagBody } from './video-tag.js';
