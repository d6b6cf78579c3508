// What the colours mean: kinds of code in a graph, the direction and scale of change in a diff.
import { format } from "d3";

const KINDS = [
  ["javascript", "JavaScript (JIT)"],
  ["native", "native"],
  ["kernel", "kernel"],
  ["unsymbolized", "unsymbolised"],
  ["scope", "scope (node, namespace, service, pid)"],
] as const;

export function FlameLegend({ mode, maxAbsDelta }: { mode: "single" | "diff"; maxAbsDelta: number }) {
  if (mode === "diff") {
    const scale = format(".1f")(maxAbsDelta * 100);
    return (
      <div className="flame-legend" data-testid="flame-legend">
        <span>Change in share of samples (normalised by each range's total):</span>
        <span className="flame-legend__item">
          <span className="flame-legend__swatch flame-legend__swatch--better" aria-hidden="true" />
          improvement (−{scale} pp at full green)
        </span>
        <span className="flame-legend__item">
          <span className="flame-legend__swatch flame-legend__swatch--unchanged" aria-hidden="true" />
          unchanged (under 0.5 pp)
        </span>
        <span className="flame-legend__item">
          <span className="flame-legend__swatch flame-legend__swatch--worse" aria-hidden="true" />
          regression (+{scale} pp at full red)
        </span>
        <span className="muted">Width: the mean of the frame's share in both ranges.</span>
      </div>
    );
  }
  return (
    <div className="flame-legend" data-testid="flame-legend">
      {KINDS.map(([kind, label]) => (
        <span key={kind} className="flame-legend__item">
          <span className={`flame-legend__swatch flame-legend__swatch--${kind}`} aria-hidden="true" />
          {label}
        </span>
      ))}
      <span className="muted">Width: share of samples. Click a frame to zoom.</span>
    </div>
  );
}
