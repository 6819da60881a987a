import { TABLE_ID_PAT } from './constants.js';
import { parsePsiSection, writePsiSection } from './psi-section.js';
import { TsError } from './ts-error.js';

/**
 * Program association table (ISO/IEC 13818-1 2.4.4.3), the body of a long-form PSI section with table_id 0
 * and table_id_extension = transport_stream_id:
 *
 *   { program_number u16 | reserved 3 | PID u13 }*      (program_number 0: PID is the network PID)
 */
export interface PatProgram {
  programNumber: number;
  /** program_map_PID, or network_PID for program 0. */
  pid: number;
}

export interface Pat {
  transportStreamId: number;
  version: number;
  programs: PatProgram[];
}

const PROGRAM_ENTRY_SIZE = 4;

export function writePat(pat: Pat): Buffer {
  const body = Buffer.alloc(pat.programs.length * PROGRAM_ENTRY_SIZE);
  pat.programs.forEach((program, i) => {
    body.writeUInt16BE(program.programNumber, i * PROGRAM_ENTRY_SIZE);
    body.writeUInt16BE(0xe000 | (program.pid & 0x1fff), i * PROGRAM_ENTRY_SIZE + 2);
  });
  return writePsiSection({
    tableId: TABLE_ID_PAT,
    tableIdExtension: pat.transportStreamId,
    version: pat.version,
    body,
  });
}

/** Parses a PAT section starting at its table_id. */
export function parsePat(buf: Buffer): Pat {
  const section = parsePsiSection(buf);
  if (section.tableId !== TABLE_ID_PAT) throw new TsError('TS_INVALID', `table_id ${section.tableId} is not a PAT`);
  const { body } = section;
  if (body.length % PROGRAM_ENTRY_SIZE !== 0) throw new TsError('TS_INVALID', `PAT body of ${body.length} bytes`);
  const programs: PatProgram[] = [];
  for (let at = 0; at < body.length; at += PROGRAM_ENTRY_SIZE) {
    programs.push({ programNumber: body.readUInt16BE(at), pid: body.readUInt16BE(at + 2) & 0x1fff });
  }
  return { transportStreamId: section.tableIdExtension, version: section.version, programs };
}
