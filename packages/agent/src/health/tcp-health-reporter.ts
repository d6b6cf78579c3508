// The agent's TCP health loop: every interval, one batch read of the kernel
// map, its connections handed to the exporter as ConnectionStats.
import type { ConnectionStats } from "@periscope/proto";
import type { SwitchedOffProgram } from "../native/native.js";
import type { TcpHealthConfig } from "./health-config.js";
import { type TcpHealthDrops, TcpHealthMonitor } from "./tcp-health-monitor.js";
import { toProtoConnection } from "./to-proto.js";

export class TcpHealthReporter {
  private readonly timer: NodeJS.Timeout;
  private lastReportNs = wallClockNs();

  private constructor(
    private readonly monitor: TcpHealthMonitor,
    private readonly deliver: (stats: ConnectionStats[]) => void,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.report(), intervalMs);
    this.timer.unref();
  }

  /** Throws with the failing step (BPF load or attach) when the kernel refuses. */
  static start(
    config: TcpHealthConfig,
    excludeTgid: number,
    deliver: (stats: ConnectionStats[]) => void,
    kernel: { bpfObjectPath?: string; btfPath?: string; tracefsPath?: string } = {},
  ): TcpHealthReporter {
    const monitor = TcpHealthMonitor.open({ excludeTgid, maxConnections: config.maxConnections, ...kernel });
    return new TcpHealthReporter(monitor, deliver, config.intervalMs);
  }

  report(): void {
    const now = wallClockNs();
    const intervals = this.monitor.collect();
    const length = now - this.lastReportNs;
    this.lastReportNs = now;
    if (intervals.length > 0)
      this.deliver(intervals.map((interval) => toProtoConnection(interval, now, length)));
  }

  drops(): TcpHealthDrops {
    return this.monitor.drops();
  }

  switchedOff(): SwitchedOffProgram[] {
    return this.monitor.switchedOff();
  }

  /** Reports the last partial interval, then unloads. */
  stop(): void {
    clearInterval(this.timer);
    this.report();
    this.monitor.close();
  }
}

function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
