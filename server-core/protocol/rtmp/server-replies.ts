import type { AmfValue } from '../../codec/amf/index.js';
import { command, dataMessage, errorCommand, onBWDone, onStatus, resultCommand, statusInfo } from './commands.js';
import { streamBegin, streamEof } from './control-messages.js';
import type { RtmpMessage } from './message.js';

/**
 * What a server says back at each step of a NetConnection / NetStream (RTMP spec 1.0 7.2, with the extra
 * messages FMS-compatible servers send and clients have come to expect). Each reply is a list of messages and
 * the chunk stream that carries them: protocol control on 2, NetConnection commands on 3, NetStream status on 5.
 */
export const CSID_CONTROL = 2;
export const CSID_COMMAND = 3;
export const CSID_STREAM = 5;

export interface Reply {
  csid: number;
  message: RtmpMessage;
}

const onCommandStream = (message: RtmpMessage): Reply => ({ csid: CSID_COMMAND, message });
const onControlStream = (message: RtmpMessage): Reply => ({ csid: CSID_CONTROL, message });
const onStatusStream = (message: RtmpMessage): Reply => ({ csid: CSID_STREAM, message });

/** The properties FMS answers connect with; capabilities 127 and mode 1 are what Flash clients check. */
export const SERVER_PROPERTIES = { fmsVer: 'FMS/3,5,3,888', capabilities: 127, mode: 1 };

export function connectSuccess(transactionId: number, objectEncoding: number): Reply[] {
  const info = statusInfo('status', 'NetConnection.Connect.Success', 'Connection succeeded.', { objectEncoding });
  return [onCommandStream(resultCommand(transactionId, SERVER_PROPERTIES, info)), onCommandStream(onBWDone())];
}

export function publishStart(streamId: number, name: string): Reply[] {
  return [
    onCommandStream(command('onFCPublish', 0, null, [statusInfo('status', 'NetStream.Publish.Start', name)])),
    onStatusStream(onStatus(streamId, 'status', 'NetStream.Publish.Start', `${name} is now published.`)),
  ];
}

export function unpublishSuccess(transactionId: number, streamId: number, name: string): Reply[] {
  const replies = [
    onCommandStream(command('onFCUnpublish', 0, null, [statusInfo('status', 'NetStream.Unpublish.Success', name)])),
  ];
  if (transactionId > 0) replies.push(onCommandStream(resultCommand(transactionId, null, undefined)));
  if (streamId > 0) {
    replies.push(
      onStatusStream(onStatus(streamId, 'status', 'NetStream.Unpublish.Success', `${name} is now unpublished.`)),
    );
  }
  return replies;
}

export function playStart(streamId: number, name: string): Reply[] {
  return [
    onControlStream(streamBegin(streamId)),
    onStatusStream(onStatus(streamId, 'status', 'NetStream.Play.Reset', `Playing and resetting ${name}.`)),
    onStatusStream(onStatus(streamId, 'status', 'NetStream.Play.Start', `Started playing ${name}.`)),
    // Lets Flash players read the media (audio and video sample access).
    onStatusStream(dataMessage(streamId, ['|RtmpSampleAccess', true, true])),
    onStatusStream(dataMessage(streamId, ['onStatus', { code: 'NetStream.Data.Start' }])),
  ];
}

export function playEnded(streamId: number, name: string): Reply[] {
  return [
    onControlStream(streamEof(streamId)),
    onStatusStream(onStatus(streamId, 'status', 'NetStream.Play.UnpublishNotify', `${name} is now unpublished.`)),
    onStatusStream(onStatus(streamId, 'status', 'NetStream.Play.Stop', `Stopped playing ${name}.`)),
  ];
}

export function pauseNotify(streamId: number, paused: boolean): Reply[] {
  return paused
    ? [
        onStatusStream(onStatus(streamId, 'status', 'NetStream.Pause.Notify', 'Paused stream.')),
        onControlStream(streamEof(streamId)),
      ]
    : [
        onStatusStream(onStatus(streamId, 'status', 'NetStream.Unpause.Notify', 'Unpaused stream.')),
        onControlStream(streamBegin(streamId)),
      ];
}

export function streamError(streamId: number, code: string, description: string): Reply[] {
  return [onStatusStream(onStatus(streamId, 'error', code, description))];
}

export function commandResult(transactionId: number, ...args: AmfValue[]): Reply[] {
  return [onCommandStream(resultCommand(transactionId, null, ...args))];
}

export function commandError(transactionId: number, code: string, description: string): Reply[] {
  return [onCommandStream(errorCommand(transactionId, code, description))];
}
