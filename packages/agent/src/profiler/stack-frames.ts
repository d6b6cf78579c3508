// One drained cell's frames, root first as the collector stores them
// (profile_stacks.frames), and the hash a stack is sent under.

import { createHash } from "node:crypto";
import { FLAG_IDLE, FLAG_KTHREAD, type ProfileCell } from "./drain-layout.js";
import type { FrameName } from "./symbolizer.js";

export const IDLE_FRAME = "[idle]";
export const KERNEL_THREAD_FRAME = "[kernel thread]";
export const NO_FRAME_POINTERS_FRAME = "[no frame pointers]";
export const USER_STACK_LOST_FRAME = "[user stack lost]";
export const KERNEL_SUFFIX = " [k]";
/**
 * A walk that stops after one or two user frames almost always met code
 * built without frame pointers (its caller's frame pointer is garbage), not
 * a thread that is really that shallow: say so instead of showing it as truth.
 */
export const MAX_SUSPECT_USER_FRAMES = 2;
/**
 * The collector refuses a stack with a frame over 1024 characters
 * (collector ingest/profile-rows.ts); a demangled C++ template name can be
 * longer, so names are cut here, whole stack kept.
 */
export const MAX_FRAME_CHARS = 1000;

function bounded(name: string): string {
  return name.length > MAX_FRAME_CHARS ? `${name.slice(0, MAX_FRAME_CHARS - 1)}…` : name;
}

export interface StackFrames {
  frames: string[];
  /** Frames resolved to a name (kernel symbol, ELF symbol, JIT name), and all real frames. */
  symbolized: number;
  total: number;
  /** Every frame's name is settled (no file still loading, kallsyms read): the same addresses name it alike later. */
  final: boolean;
}

/**
 * @param user innermost-first user addresses, undefined when none was taken
 * @param kernel innermost-first kernel addresses, undefined when none was taken
 */
export function stackFrames(
  cell: ProfileCell,
  user: readonly bigint[] | undefined,
  kernel: readonly bigint[] | undefined,
  userFrame: (address: bigint) => FrameName,
  kernelFrame: (address: bigint) => FrameName,
): StackFrames {
  const frames: string[] = [];
  let symbolized = 0;
  let total = 0;
  let final = true;
  if (cell.flags & FLAG_IDLE) frames.push(IDLE_FRAME);
  else if (cell.flags & FLAG_KTHREAD) frames.push(KERNEL_THREAD_FRAME);
  else if (user === undefined || user.length === 0) frames.push(USER_STACK_LOST_FRAME);
  else {
    if (user.length <= MAX_SUSPECT_USER_FRAMES) frames.push(NO_FRAME_POINTERS_FRAME);
    for (let i = user.length - 1; i >= 0; i--) {
      const frame = userFrame(user[i] as bigint);
      frames.push(bounded(frame.name));
      total++;
      if (frame.symbolized) symbolized++;
      if (frame.final !== true) final = false;
    }
  }
  if (kernel !== undefined) {
    for (let i = kernel.length - 1; i >= 0; i--) {
      const frame = kernelFrame(kernel[i] as bigint);
      frames.push(bounded(frame.name) + KERNEL_SUFFIX);
      total++;
      if (frame.symbolized) symbolized++;
      else final = false; // kallsyms still loading
    }
  }
  return { frames, symbolized, total, final };
}

/** First 8 bytes of SHA-1 over the frames joined by newlines (frame names hold no newline). */
export function stackHash(frames: readonly string[]): bigint {
  return createHash("sha1").update(frames.join("\n")).digest().readBigUInt64BE(0);
}
