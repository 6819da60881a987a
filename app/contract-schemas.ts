import { z } from 'zod';
import type { TallyMethod } from './contract.js';

/**
 * The arguments every contract method accepts, checked at the boundary (IPC and the console's HTTP) before the
 * controller sees them: a caller that sends the wrong shape gets one clear message and changes nothing.
 */
const MAX_ID = 128;
const MAX_NAME = 256;
const MAX_PATH = 4096;

const id = z.string().min(1).max(MAX_ID);
const name = z.string().min(1).max(MAX_NAME);
/** Settings are a JSON object the config schema then checks key by key. */
const settings = z.record(z.string().max(MAX_NAME), z.unknown());
const logFilter = z
  .object({
    cid: z.string().max(MAX_ID).optional(),
    level: z.string().max(16).optional(),
    since: z.number().finite().optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
const none = z.tuple([]);
const destination = z
  .object({
    name: z.string().min(1).max(100),
    url: z.string().min(1).max(MAX_PATH),
    key: z.string().max(512).optional(),
    streams: z.array(z.string().min(1).max(MAX_NAME)).max(100),
    enabled: z.boolean(),
  })
  .strict();

export const CONTRACT_ARGUMENTS: Record<TallyMethod, z.ZodType<unknown[]>> = {
  getStatus: none,
  startServer: none,
  stopServer: none,
  restartServer: none,
  getHealth: none,
  listStreams: none,
  listGbDevices: none,
  getStream: z.tuple([id]),
  kickClient: z.tuple([id]),
  setRecording: z.tuple([name, name, z.boolean()]),
  setRecordAll: z.tuple([z.boolean()]),
  listRecordings: none,
  showRecording: z.tuple([z.string().min(1).max(MAX_PATH)]),
  deleteRecording: z.tuple([z.string().min(1).max(MAX_PATH)]),
  getPushInfo: z.tuple([name, name]),
  // Any text: the answer says what is wrong with it (a name too long is one of the answers).
  checkStreamName: z.tuple([z.string().max(MAX_PATH)]),
  generateSecret: none,
  getSettings: none,
  validateSettings: z.tuple([settings]),
  saveSettings: z.tuple([settings]),
  patchSettings: z.tuple([settings]),
  getLogs: z.tuple([logFilter]).or(none),
  listDestinations: none,
  saveDestination: z.tuple([z.string().min(1).max(100).nullable(), destination]),
  removeDestination: z.tuple([z.string().min(1).max(100)]),
  listVirtualLive: none,
  setVirtualLiveRunning: z.tuple([name, z.boolean()]),
  getTranscode: none,
  getThumbnail: z.tuple([id]),
};

export class ContractArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractArgumentError';
  }
}

/** The arguments, checked; throws ContractArgumentError naming the method and what was wrong. */
export function checkContractArguments(method: TallyMethod, args: unknown): unknown[] {
  const result = CONTRACT_ARGUMENTS[method].safeParse(args);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? ` (argument ${issue.path.join('.')})` : '';
  throw new ContractArgumentError(`${method}: ${issue.message}${where}`);
}
