import { type AmfObject, type AmfValue, decodeAmf0, encodeAmf0 } from '../../codec/amf/index.js';
import { MSG, RtmpError, type RtmpMessage } from './message.js';

/**
 * A command message (RTMP spec 1.0 7.1.1, 7.2): AMF values name | transaction id | command object | arguments.
 * Type 20 is AMF0; type 17 is one format byte 0x00 followed by the same AMF0 values (which may switch to AMF3).
 */
export interface RtmpCommand {
  name: string;
  transactionId: number;
  commandObject: AmfValue;
  args: AmfValue[];
}

/** Decodes a type 20 or type 17 command. Throws RtmpError('RTMP_BAD_COMMAND') on anything undecodable. */
export function decodeCommand(message: RtmpMessage): RtmpCommand {
  let payload = message.payload;
  if (message.typeId === MSG.COMMAND_AMF3 && payload[0] === 0x00) payload = payload.subarray(1);
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
    transactionId: typeof transactionId === 'number' && Number.isFinite(transactionId) ? transactionId : 0,
    commandObject: commandObject ?? null,
    args,
  };
}

/** Encodes a command as a type 20 message (or type 17 with its format byte). */
export function encodeCommand(
  cmd: RtmpCommand,
  streamId = 0,
  typeId: typeof MSG.COMMAND_AMF0 | typeof MSG.COMMAND_AMF3 = MSG.COMMAND_AMF0,
): RtmpMessage {
  const body = encodeAmf0([cmd.name, cmd.transactionId, cmd.commandObject, ...cmd.args]);
  const payload = typeId === MSG.COMMAND_AMF3 ? Buffer.concat([Buffer.from([0x00]), body]) : body;
  return { typeId, streamId, timestamp: 0, payload };
}

export function command(
  name: string,
  transactionId: number,
  commandObject: AmfValue,
  args: AmfValue[] = [],
  streamId = 0,
): RtmpMessage {
  return encodeCommand({ name, transactionId, commandObject, args }, streamId);
}

export type StatusLevel = 'status' | 'error' | 'warning';

/** The info object of onStatus, _result and _error (7.2.1.1, 7.2.2). */
export function statusInfo(level: StatusLevel, code: string, description: string, extra: AmfObject = {}): AmfObject {
  return { level, code, description, ...extra };
}

/** _result for a transaction. */
export const resultCommand = (transactionId: number, commandObject: AmfValue, ...args: AmfValue[]) =>
  command('_result', transactionId, commandObject, args);

/** _error for a transaction, with an error info object. */
export const errorCommand = (transactionId: number, code: string, description: string) =>
  command('_error', transactionId, null, [statusInfo('error', code, description)]);

/** onStatus on a stream (transaction id 0, null command object, 7.2.2). */
export function onStatus(
  streamId: number,
  level: StatusLevel,
  code: string,
  description: string,
  extra: AmfObject = {},
): RtmpMessage {
  return command('onStatus', 0, null, [statusInfo(level, code, description, extra)], streamId);
}

/** onBWDone: sent after connect; Flash-era clients wait for it before they start measuring bandwidth. */
export const onBWDone = () => command('onBWDone', 0, null, [8192]);

/** An AMF0 data message (type 18), e.g. |RtmpSampleAccess. */
export function dataMessage(streamId: number, values: AmfValue[]): RtmpMessage {
  return { typeId: MSG.DATA_AMF0, streamId, timestamp: 0, payload: encodeAmf0(values) };
}
