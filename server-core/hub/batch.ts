/** What one flush hands every live reader: one shared Buffer (byte streams) or one shared list (packets). */
export type Batch = Buffer | readonly Buffer[];

export function batchSize(batch: Batch): number {
  if (Buffer.isBuffer(batch)) return batch.length;
  let n = 0;
  for (const p of batch) n += p.length;
  return n;
}
