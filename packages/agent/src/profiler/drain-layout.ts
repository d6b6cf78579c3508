// Decodes NativeProfiler.drain()'s buffers: struct profile_key + struct
// profile_value (bpf/common/profile.h) per cell, and [i32 id][u32 depth]
// [u64 address × depth] per stack. Little-endian: the agent reads its own
// kernel's maps.

/** sizeof(struct profile_key) + sizeof(struct profile_value). */
export const CELL_BYTES = 16 + 32;
export const FLAG_KTHREAD = 1;
export const FLAG_IDLE = 2;
/** PROFILE_NO_STACK: no stack taken (the reason is in the drop counters). */
export const NO_STACK = -1;

export interface ProfileCell {
  /** Thread id (kernel pid). */
  tid: number;
  /** Process id (kernel tgid); 0 for the idle task. */
  pid: number;
  userStackId: number;
  kernelStackId: number;
  count: number;
  /** Thread name when the cell was created. */
  comm: string;
  flags: number;
}

export function decodeCells(buffer: Buffer): ProfileCell[] {
  if (buffer.length % CELL_BYTES !== 0)
    throw new Error(`profile cells: ${buffer.length} bytes is not a multiple of ${CELL_BYTES}`);
  const cells: ProfileCell[] = [];
  for (let at = 0; at < buffer.length; at += CELL_BYTES) {
    const commEnd = buffer.indexOf(0, at + 24);
    const commStop = commEnd === -1 || commEnd > at + 40 ? at + 40 : commEnd;
    cells.push({
      tid: buffer.readUInt32LE(at),
      pid: buffer.readUInt32LE(at + 4),
      userStackId: buffer.readInt32LE(at + 8),
      kernelStackId: buffer.readInt32LE(at + 12),
      count: Number(buffer.readBigUInt64LE(at + 16)),
      comm: buffer.toString("utf8", at + 24, commStop),
      flags: buffer.readUInt32LE(at + 40),
    });
  }
  return cells;
}

/** Where one stack's addresses lie in the drained buffer. */
export interface StackSpan {
  at: number;
  depth: number;
}

/** Stack id → where its addresses are: decoded only for stacks not known already. */
export function indexStacks(buffer: Buffer): Map<number, StackSpan> {
  const stacks = new Map<number, StackSpan>();
  let at = 0;
  while (at + 8 <= buffer.length) {
    const id = buffer.readInt32LE(at);
    const depth = buffer.readUInt32LE(at + 4);
    at += 8;
    if (at + depth * 8 > buffer.length)
      throw new Error(`profile stack ${id}: ${depth} frames past the buffer's end`);
    stacks.set(id, { at, depth });
    at += depth * 8;
  }
  return stacks;
}

/** A stack's addresses, innermost first (kernel addresses need 64 bits: bigint). */
export function stackAddresses(buffer: Buffer, span: StackSpan): bigint[] {
  const addresses: bigint[] = new Array(span.depth);
  for (let i = 0; i < span.depth; i++) addresses[i] = buffer.readBigUInt64LE(span.at + i * 8);
  return addresses;
}

/** The stack's bytes as a string: the same addresses give the same key in any drain. */
export function stackKey(buffer: Buffer, span: StackSpan | undefined): string {
  return span === undefined ? "" : buffer.toString("latin1", span.at, span.at + span.depth * 8);
}

/** Stack id → addresses, innermost first. */
export function decodeStacks(buffer: Buffer): Map<number, bigint[]> {
  const stacks = new Map<number, bigint[]>();
  for (const [id, span] of indexStacks(buffer)) stacks.set(id, stackAddresses(buffer, span));
  return stacks;
}
