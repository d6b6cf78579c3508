import { sparklinePath } from "../../serviceMap/panelData";

const WIDTH = 120;
const HEIGHT = 28;

interface SparklineProps {
  label: string;
  values: number[];
  /** The latest or total figure, already formatted. */
  summary: string;
  color: string;
}

export function Sparkline({ label, values, summary, color }: SparklineProps) {
  const path = sparklinePath(values, WIDTH, HEIGHT);
  return (
    <div className="sparkline" data-testid="panel-sparkline">
      <span className="sparkline__label">{label}</span>
      <svg width={WIDTH} height={HEIGHT} role="img" aria-label={`${label} over the range: ${summary}`}>
        {path ? <path d={path} fill="none" stroke={color} strokeWidth={1.5} /> : null}
      </svg>
      <span className="sparkline__value">{summary}</span>
    </div>
  );
}
