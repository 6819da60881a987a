export { ChunkReader, type ChunkReaderOptions, DEFAULT_CHUNK_SIZE, MAX_ACCEPTED_CHUNK_SIZE } from './chunk-reader.js';
export { encodeMessageChunks, encodeMessages } from './chunk-writer.js';
export { type RtmpClientEvent, type RtmpClientOptions, RtmpClientSession } from './client-session.js';
export {
  command,
  dataMessage,
  decodeCommand,
  encodeCommand,
  errorCommand,
  onBWDone,
  onStatus,
  type RtmpCommand,
  resultCommand,
  statusInfo,
} from './commands.js';
export * from './control-messages.js';
export { RtmpClientHandshake, RtmpServerHandshake } from './handshake.js';
export { MSG, RtmpError, type RtmpErrorCode, type RtmpMessage } from './message.js';
export { parseRtmpUrl, type RtmpUrl } from './rtmp-url.js';
export { type RtmpServerEvent, RtmpServerSession, type RtmpServerSessionOptions } from './server-session.js';
export { splitQuery } from './split-query.js';
