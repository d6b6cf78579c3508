import "./ApiErrorBanner.css";

export interface ApiErrorBannerProps {
  /** One message per failing query; the banner hides when there are none. */
  errors: string[];
  /** Whether earlier data is still on screen, so the banner can say it is stale. */
  showingStaleData: boolean;
}

export function ApiErrorBanner({ errors, showingStaleData }: ApiErrorBannerProps) {
  if (errors.length === 0) return null;
  return (
    <div className="api-error-banner" role="alert" data-testid="api-error-banner">
      <strong>Cannot reach the Periscope API.</strong>
      <span>
        {showingStaleData ? "Showing the last data received; retrying every 2 s." : "Retrying every 2 s."}{" "}
        Check that the collector is running and that PERISCOPE_API_URL points at it.
      </span>
      <ul>
        {[...new Set(errors)].map((message) => (
          <li key={message} className="mono">
            {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
