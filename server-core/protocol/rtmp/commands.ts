import type { AmfObject, AmfValue } from '../../codec/amf/index.js';
import { decodeAmf0, encodeAmf0 } from '../../codec/amf/index.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';

/** A command message (RTMP spec 1.0 7.1.1): name, transaction id, command object, arguments. */
export interface RtmpCommand {
  name: string;
  transactionId: number;
  commandObject: AmfValue;
  args: AmfValue[];
}

/** Decodes an AMF0 (type 20) or AMF3 (type 17: one leading 0x00, then AMF0) command. */
export function decodeCommand(message: RtmpMessage): RtmpCommand {
  const payload = message.typeId === MSG.COMMAND_AMF3 ? message.payload.subarray(1) : message.payload;
  let values: AmfValue[];
  try {
    values = decodeAmf0(payload);
  } catch (error) {
    throw new RtmpError('RTMP_BAD_COMMAND', `undecodable command: ${(error as Error).message}`);
  }
  const [name, transactionId, commandObject, ...args] = values;
  if (typeof name !== 'string') throw new RtmpError('RTMP_BAD_COMMAND', 'command without a name');
  return {
    name,
    transactionId: typeof transactionId === 'number' ? transactionId : 0,
    commandObject: commandObject ?? null,
    args,
  };
}

export function command(
  name: string,
  transactionId: number,
  commandObject: AmfValue,
  args: AmfValue[] = [],
  streamId = 0,
): RtmpMessage {
  return {
    typeId: MSG.COMMAND_AMF0,
    streamId,
    timestamp: 0,
    payload: encodeAmf0([name, transactionId, commandObject, ...args]),
  };
}

export function statusInfo(
  level: 'status' | 'error' | 'warning',
  code: string,
  description: string,
  extra: AmfObject = {},
): AmfObject {
  return { level, code, description, ...extra };
}

/** onStatus on a stream (transaction id 0, null command object). */
export function onStatus(
  streamId: number,
  level: 'status' | 'error' | 'warning',
  code: string,
  description: string,
  extra: AmfObject = {},
): RtmpMessage {
  return command('onStatus', 0, null, [statusInfo(level, code, description, extra)], streamId);
}

export function dataMessage(streamId: number, values: AmfValue[]): RtmpMessage {
  return { typeId: MSG.DATA_AMF0, streamId, timestamp: 0, payload: encodeAmf0(values) };
}
