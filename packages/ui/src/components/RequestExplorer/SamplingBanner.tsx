// Says when the records listed stand for more requests than themselves (the agent's
// record budget kept errors, slow and traced requests first and sampled the rest),
// and by how much, beside the exact counts the metric series hold.
import { formatCount } from "../../format/formatCount";
import type { PageSampling } from "../../requests/requestTypes";

export interface SamplingBannerProps {
  sampling: PageSampling | undefined;
  /** Exact requests and errors in the window from the metric series; undefined while unknown. */
  exact: { requests: number; errors: number; scope: string } | undefined;
}

export function SamplingBanner({ sampling, exact }: SamplingBannerProps) {
  const exactText = exact
    ? `${formatCount(exact.requests)} requests and ${formatCount(exact.errors)} errors in this window for ${exact.scope} (metric series, every request counted).`
    : undefined;
  if (!sampling?.sampled) {
    return exactText ? (
      <p className="sampling-note muted" data-testid="metric-totals">
        {exactText}
      </p>
    ) : null;
  }
  const ratio = sampling.records > 0 ? sampling.estimatedRequests / sampling.records : 1;
  return (
    <div className="sampling-banner" role="status" data-testid="sampling-banner">
      <strong>Sampled records.</strong>{" "}
      <span>
        The first page's {formatCount(sampling.records)} records stand for about{" "}
        {formatCount(Math.round(sampling.estimatedRequests))} requests (≈ 1 in {ratio.toFixed(1)} on average,
        up to 1 in {sampling.maxSampleWeight.toFixed(0)}): the agents kept errors, slow and traced requests
        first. Heatmap cells are estimates from these records.
      </span>{" "}
      {exactText ? <span data-testid="metric-totals">{exactText}</span> : null}
    </div>
  );
}
