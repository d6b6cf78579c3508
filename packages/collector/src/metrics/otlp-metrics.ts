// The OTLP export's counters on /metrics: what left, what was dropped and why,
// what waits, and how often the receiver had to be asked again.
import { Counter, Gauge, type Registry } from "prom-client";
import type { OtlpExporter } from "../otlp/otlp-exporter.js";

export function registerOtlpMetrics(registry: Registry, exporter: Pick<OtlpExporter, "counters">): void {
  const registers = [registry];
  const each = (visit: (signal: string, counters: OtlpExporter["counters"]["traces"]) => void) => {
    for (const [signal, counters] of Object.entries(exporter.counters)) visit(signal, counters);
  };
  new Counter({
    name: "periscope_otlp_exported_total",
    help: "Spans (traces) and series (metrics) the OTLP receiver accepted",
    labelNames: ["signal"],
    registers,
    collect() {
      this.reset();
      each((signal, counters) => this.inc({ signal }, counters.exported));
    },
  });
  new Counter({
    name: "periscope_otlp_dropped_total",
    help: "Spans and series not exported: queue_full (PERISCOPE_OTLP_QUEUE_ITEMS reached while the receiver was slow or down), rejected (the receiver refused them)",
    labelNames: ["signal", "reason"],
    registers,
    collect() {
      this.reset();
      each((signal, counters) => {
        for (const [reason, dropped] of Object.entries(counters.dropped))
          this.inc({ signal, reason }, dropped);
      });
    },
  });
  new Counter({
    name: "periscope_otlp_retries_total",
    help: "OTLP requests that failed in a retryable way (network, 429, 502, 503, 504) and were sent again",
    labelNames: ["signal"],
    registers,
    collect() {
      this.reset();
      each((signal, counters) => this.inc({ signal }, counters.retries));
    },
  });
  new Gauge({
    name: "periscope_otlp_queued",
    help: "Spans and series waiting for the OTLP receiver",
    labelNames: ["signal"],
    registers,
    collect() {
      this.reset();
      each((signal, counters) => this.set({ signal }, counters.queued));
    },
  });
}
