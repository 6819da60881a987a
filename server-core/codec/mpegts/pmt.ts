import { TABLE_ID_PMT } from './constants.js';
import { type Descriptor, parseDescriptors, writeDescriptors } from './descriptor.js';
import { parsePsiSection, writePsiSection } from './psi-section.js';
import { TsError } from './ts-error.js';

/**
 * Program map table (ISO/IEC 13818-1 2.4.4.8), the body of a long-form PSI section with table_id 2 and
 * table_id_extension = program_number:
 *
 *   reserved 3 | PCR_PID u13 | reserved 4 | program_info_length u12 | descriptors |
 *   { stream_type u8 | reserved 3 | elementary_PID u13 | reserved 4 | ES_info_length u12 | descriptors }*
 */
export interface PmtStream {
  streamType: number;
  pid: number;
  descriptors: Descriptor[];
}

export interface Pmt {
  programNumber: number;
  version: number;
  pcrPid: number;
  programDescriptors: Descriptor[];
  streams: PmtStream[];
}

const PROGRAM_HEADER_SIZE = 4;
const STREAM_HEADER_SIZE = 5;
/** program_info_length and ES_info_length have their two top bits '00'. */
const MAX_INFO_LENGTH = 0x3ff;

export function writePmt(pmt: Pmt): Buffer {
  const parts: Buffer[] = [];
  const programInfo = writeDescriptors(pmt.programDescriptors);
  parts.push(infoHeader(0xe000 | (pmt.pcrPid & 0x1fff), programInfo.length), programInfo);
  for (const stream of pmt.streams) {
    const esInfo = writeDescriptors(stream.descriptors);
    const head = Buffer.alloc(STREAM_HEADER_SIZE);
    head[0] = stream.streamType;
    head.writeUInt16BE(0xe000 | (stream.pid & 0x1fff), 1);
    head.writeUInt16BE(0xf000 | checkInfoLength(esInfo.length), 3);
    parts.push(head, esInfo);
  }
  return writePsiSection({
    tableId: TABLE_ID_PMT,
    tableIdExtension: pmt.programNumber,
    version: pmt.version,
    body: Buffer.concat(parts),
  });
}

/** Parses a PMT section starting at its table_id. */
export function parsePmt(buf: Buffer): Pmt {
  const section = parsePsiSection(buf);
  if (section.tableId !== TABLE_ID_PMT) throw new TsError('TS_INVALID', `table_id ${section.tableId} is not a PMT`);
  const { body } = section;
  if (body.length < PROGRAM_HEADER_SIZE) throw new TsError('TS_TRUNCATED', `PMT body of ${body.length} bytes`);
  const pcrPid = body.readUInt16BE(0) & 0x1fff;
  const programInfoLength = body.readUInt16BE(2) & 0x0fff;
  let at = PROGRAM_HEADER_SIZE + programInfoLength;
  if (at > body.length) throw new TsError('TS_TRUNCATED', `program_info_length ${programInfoLength} overruns`);
  const programDescriptors = parseDescriptors(body.subarray(PROGRAM_HEADER_SIZE, at));
  const streams: PmtStream[] = [];
  while (at < body.length) {
    if (body.length - at < STREAM_HEADER_SIZE) throw new TsError('TS_TRUNCATED', 'PMT stream entry cut short');
    const esInfoLength = body.readUInt16BE(at + 3) & 0x0fff;
    const end = at + STREAM_HEADER_SIZE + esInfoLength;
    if (end > body.length) throw new TsError('TS_TRUNCATED', `ES_info_length ${esInfoLength} overruns`);
    streams.push({
      streamType: body[at],
      pid: body.readUInt16BE(at + 1) & 0x1fff,
      descriptors: parseDescriptors(body.subarray(at + STREAM_HEADER_SIZE, end)),
    });
    at = end;
  }
  return { programNumber: section.tableIdExtension, version: section.version, pcrPid, programDescriptors, streams };
}

function infoHeader(pidWord: number, infoLength: number): Buffer {
  const head = Buffer.alloc(PROGRAM_HEADER_SIZE);
  head.writeUInt16BE(pidWord, 0);
  head.writeUInt16BE(0xf000 | checkInfoLength(infoLength), 2);
  return head;
}

function checkInfoLength(length: number): number {
  if (length > MAX_INFO_LENGTH) throw new TsError('TS_TOO_LARGE', `descriptor loop of ${length} bytes`);
  return length;
}
