export { buildOpusHead, type OpusHead, type OpusHeadInput, parseOpusHead } from './opus-head.js';
