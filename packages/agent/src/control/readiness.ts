// What GET /v1/ready answers: ready (200) once the BPF programs are attached
// and the exporter has either delivered a batch or is retrying — the agent is
// then doing its job, spooling or counting what the collector does not take,
// and the body says whether the collector answers. 503 with the reason before
// that and while stopping. The chart's readinessProbe reads it.

import type { ExportDelivery } from "../export/exporter-options.js";

type CapturePhase =
  | { state: "loading" }
  | { state: "attached" }
  | { state: "failed"; reason: string }
  | { state: "stopping" };

export interface ReadinessReport {
  ready: boolean;
  /** Why not ready; absent when ready. */
  reason?: string;
  capture: CapturePhase["state"];
  export: {
    state: ExportDelivery["state"];
    batchesSent: number;
    /** Whether the collector answered the last call; absent before the first answer. */
    collector?: "reachable" | "unreachable";
    lastError?: string;
  };
}

export class Readiness {
  private phase: CapturePhase = { state: "loading" };

  constructor(private readonly delivery: () => ExportDelivery) {}

  attached(): void {
    this.phase = { state: "attached" };
  }

  failed(reason: string): void {
    this.phase = { state: "failed", reason };
  }

  stopping(): void {
    this.phase = { state: "stopping" };
  }

  report(): ReadinessReport {
    const delivery = this.delivery();
    const exportState: ReadinessReport["export"] = {
      state: delivery.state,
      batchesSent: delivery.batchesSent,
      ...(delivery.collectorReachable === undefined
        ? {}
        : { collector: delivery.collectorReachable ? "reachable" : "unreachable" }),
      ...(delivery.lastError === undefined ? {} : { lastError: delivery.lastError }),
    };
    const notReady = (reason: string): ReadinessReport => ({
      ready: false,
      reason,
      capture: this.phase.state,
      export: exportState,
    });
    switch (this.phase.state) {
      case "loading":
        return notReady("loading and attaching the BPF programs");
      case "failed":
        return notReady(`capture failed: ${this.phase.reason}`);
      case "stopping":
        return notReady("stopping");
      case "attached":
        if (delivery.state === "starting") return notReady("waiting for the collector's first answer");
        return { ready: true, capture: "attached", export: exportState };
    }
  }
}
