/** Compact counts for edge labels: 950, 1.2k, 34k, 1.5M. */
export function formatCount(count: number): string {
  if (!Number.isFinite(count) || count < 0) return "—";
  if (count < 1000) return String(Math.round(count));
  if (count < 10_000) return `${trimZero((count / 1000).toFixed(1))}k`;
  if (count < 1_000_000) return `${Math.round(count / 1000)}k`;
  return `${trimZero((count / 1_000_000).toFixed(1))}M`;
}

function trimZero(fixed: string): string {
  return fixed.endsWith(".0") ? fixed.slice(0, -2) : fixed;
}
