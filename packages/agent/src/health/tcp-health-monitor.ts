// Loads tcp_health.bpf.o and, every interval, reads the kernel's per-socket
// stats in one batch, reports per-connection deltas and frees the entries of
// connections reported closed.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadNativeBinding, type NativeTcpHealth, type SwitchedOffProgram } from "../native/native.js";
import { type ConnectionInterval, IntervalTracker } from "./interval-tracker.js";
import { TCP_HEALTH_DEFAULT_MAX_CONNS } from "./layout.js";
import { decodeTcpSnapshots, type TcpConnSnapshot } from "./snapshot.js";
import { connectionKey, SocketOwnerResolver } from "./socket-owners.js";

export interface TcpHealthOptions {
  bpfObjectPath?: string;
  excludeTgid: number;
  maxConnections?: number;
  /** BTF for CO-RE relocations (PERISCOPE_BTF_PATH); default: the kernel's own. */
  btfPath?: string;
  /** tracefs directory (PERISCOPE_TRACEFS_PATH); default: the usual mount points. */
  tracefsPath?: string;
}

export interface TcpHealthDrops {
  statsMapFull: bigint;
  closedReplaced: bigint;
}

export function defaultTcpHealthObjectPath(): string {
  return (
    process.env.PERISCOPE_TCP_HEALTH_OBJECT ??
    fileURLToPath(new URL("../../../../bpf/build/tcp_health.bpf.o", import.meta.url))
  );
}

export class TcpHealthMonitor {
  private readonly tracker = new IntervalTracker();
  private readonly owners = new SocketOwnerResolver();
  private lastDrops: TcpHealthDrops = { statsMapFull: 0n, closedReplaced: 0n };

  private constructor(private native: NativeTcpHealth | undefined) {}

  /** Throws naming the missing object or the failing kernel step; programs the kernel cannot run are left out (switchedOff). */
  static open(options: TcpHealthOptions): TcpHealthMonitor {
    const maxConnections = options.maxConnections ?? TCP_HEALTH_DEFAULT_MAX_CONNS;
    if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 1 << 22) {
      throw new Error(`tcp health: maxConnections must be an integer in 1..${1 << 22}`);
    }
    const bpfObjectPath = options.bpfObjectPath ?? defaultTcpHealthObjectPath();
    if (!existsSync(bpfObjectPath)) {
      throw new Error(
        `BPF object not found at ${bpfObjectPath} (build it: make -C bpf; or set PERISCOPE_TCP_HEALTH_OBJECT)`,
      );
    }
    const binding = loadNativeBinding();
    return new TcpHealthMonitor(
      new binding.NativeTcpHealth({
        bpfObjectPath,
        excludeTgid: options.excludeTgid,
        maxConnections,
        ...(options.btfPath === undefined ? {} : { btfPath: options.btfPath }),
        ...(options.tracefsPath === undefined ? {} : { tracefsPath: options.tracefsPath }),
      }),
    );
  }

  /** Programs of tcp_health.bpf.o this kernel could not run (a tracepoint or helper missing). */
  switchedOff(): SwitchedOffProgram[] {
    return this.native?.switchedOff() ?? [];
  }

  /** One interval: the connections that changed since the last call. */
  collect(): ConnectionInterval[] {
    if (!this.native) return [];
    const live = this.withOwners(decodeTcpSnapshots(this.native.read()));
    const displaced = this.withOwners(decodeTcpSnapshots(this.native.takeDisplaced()));
    const { intervals, removable } = this.tracker.update(live, displaced);
    if (removable.length > 0) this.native.remove(BigUint64Array.from(removable));
    return intervals;
  }

  /** Connections adopted without a process get theirs from /proc (socket-owners.ts). */
  private withOwners(snapshots: TcpConnSnapshot[]): TcpConnSnapshot[] {
    if (!snapshots.some((s) => s.tgid === 0)) return snapshots;
    const owners = this.owners.resolve(snapshots);
    return snapshots.map((s) => {
      const owner = s.tgid === 0 ? owners.get(connectionKey(s)) : undefined;
      return owner ? { ...s, tgid: owner.pid, comm: owner.comm } : s;
    });
  }

  drops(): TcpHealthDrops {
    if (this.native) this.lastDrops = this.native.readDropCounters();
    return this.lastDrops;
  }

  close(): void {
    if (!this.native) return;
    this.lastDrops = this.native.readDropCounters();
    this.native.close();
    this.native = undefined;
  }
}
