// The agent's view of kernel capture: loads bpf/build/socket_trace.bpf.o
// through the native addon and delivers decoded events in batches.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  loadNativeBinding,
  type NativeCaptureControls,
  type NativeTracer,
  type SwitchedOffProgram,
} from "../native/native.js";
import { assertCanCapture } from "../preflight/preflight.js";
import { BatchDecoder, type DecoderCounters } from "./decoder.js";
import type { ConnId, KernelDropCounters, KernelEvent } from "./events.js";
import { DEFAULT_CAPTURE_BYTES, MAX_CAPTURE_BYTES, SYSCALL_SLOTS } from "./layout.js";

export interface SocketTracerOptions {
  /** Default: PERISCOPE_BPF_OBJECT, else bpf/build/socket_trace.bpf.o of this checkout. */
  bpfObjectPath?: string;
  /** Payload bytes captured per syscall (0..MAX_CAPTURE_BYTES); default 4096. */
  captureBytes?: number;
  /** Process never traced; default this process, so the agent skips its own exports. */
  excludeTgid?: number;
  /** BTF for CO-RE relocations (PERISCOPE_BTF_PATH); default: the kernel's own. */
  btfPath?: string;
  /** tracefs directory (PERISCOPE_TRACEFS_PATH); default: /sys/kernel/tracing, mounted when missing. */
  tracefsPath?: string;
}

/** The BPF object path used when the options name none. */
export function defaultBpfObjectPath(): string {
  // src/capture/ and dist/capture/ are both four levels below the repository root.
  return (
    process.env.PERISCOPE_BPF_OBJECT ??
    fileURLToPath(new URL("../../../../bpf/build/socket_trace.bpf.o", import.meta.url))
  );
}

function validateCaptureBytes(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_CAPTURE_BYTES) {
    throw new RangeError(`captureBytes must be an integer from 0 to ${MAX_CAPTURE_BYTES}, got ${n}`);
  }
  return n;
}

export class SocketTracer {
  private readonly decoder = new BatchDecoder();
  private closed = false;

  private constructor(private readonly native: NativeTracer) {}

  /**
   * Loads and attaches the tracer. Throws an Error naming everything missing
   * (privileges, BTF, tracefs, the .bpf.o, the addon: preflight/) or which
   * kernel step failed. Programs this kernel cannot run are left out:
   * switchedOff() lists them.
   */
  static open(options: SocketTracerOptions, onBatch: (events: KernelEvent[]) => void): SocketTracer {
    const captureBytes = validateCaptureBytes(options.captureBytes ?? DEFAULT_CAPTURE_BYTES);
    const excludeTgid = options.excludeTgid ?? process.pid;
    if (!Number.isInteger(excludeTgid) || excludeTgid < 0 || excludeTgid > 0xffffffff) {
      throw new RangeError(`excludeTgid must be a process id, got ${excludeTgid}`);
    }
    const bpfObjectPath = options.bpfObjectPath ?? defaultBpfObjectPath();
    if (!existsSync(bpfObjectPath)) {
      throw new Error(
        `BPF object not found at ${bpfObjectPath} (build it: make -C bpf; or set PERISCOPE_BPF_OBJECT)`,
      );
    }
    const paths = {
      ...(options.btfPath === undefined ? {} : { btfPath: options.btfPath }),
      ...(options.tracefsPath === undefined ? {} : { tracefsPath: options.tracefsPath }),
    };
    assertCanCapture({ ...paths, socketTraceObject: bpfObjectPath });

    const binding = loadNativeBinding();
    let tracer: SocketTracer | undefined;
    const native = new binding.NativeTracer(
      { bpfObjectPath, excludeTgid, captureBytes, ...paths },
      (batch) => {
        // Batches already queued when close() ran still arrive; nobody wants them.
        if (!tracer || tracer.closed) return;
        const events = tracer.decoder.decode(batch);
        if (events.length > 0) onBatch(events);
      },
    );
    tracer = new SocketTracer(native);
    return tracer;
  }

  /** Programs of socket_trace.bpf.o this kernel could not run (a helper or tracepoint missing). */
  switchedOff(): SwitchedOffProgram[] {
    return this.native.switchedOff();
  }

  /** Changes the capture cap for every syscall from now on. */
  setCaptureBytes(n: number): void {
    this.native.setCaptureBytes(validateCaptureBytes(n));
  }

  /**
   * Rewrites the kernel's run-time controls. Callers validate first
   * (control/runtime-config.ts); this only guards the kernel's hard limits.
   */
  setControls(controls: NativeCaptureControls): void {
    if (controls.captureBytes.length !== SYSCALL_SLOTS) {
      throw new RangeError(
        `captureBytes needs ${SYSCALL_SLOTS} entries, got ${controls.captureBytes.length}`,
      );
    }
    controls.captureBytes.forEach(validateCaptureBytes);
    this.native.setControls(controls);
  }

  /** Makes the kernel's pid or cgroup filter map hold exactly these [key, FilterMark bits] rows. */
  replaceFilter(which: "pid" | "cgroup", entries: Array<[bigint, number]>): void {
    this.native.replaceFilter(which, entries);
  }

  /** The kernel stops copying this connection's payload (sizes still come). */
  disableConnection(conn: ConnId): void {
    this.native.disableConnection(conn.tgid, conn.fd, conn.generation);
  }

  /** What the kernel still holds for a process: all zero/false once it exited. */
  processState(tgid: number): { connections: number; disabled: number; traced: boolean } {
    return this.native.processState(tgid);
  }

  dropCounters(): KernelDropCounters {
    return this.native.readDropCounters();
  }

  /** TLS plaintext from this binary or library (see tls/tls-attacher.ts); returns the probe count. */
  attachTls(path: string): number {
    return this.native.attachTls(path);
  }

  tlsDropCounters(): { callsFull: bigint; noSocket: bigint } {
    return this.native.readTlsDropCounters();
  }

  /** Records the decoder skipped as malformed (should stay zero). */
  decoderCounters(): Readonly<DecoderCounters> {
    return { ...this.decoder.counters };
  }

  ref(): void {
    this.native.ref();
  }

  unref(): void {
    this.native.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
  }
}
