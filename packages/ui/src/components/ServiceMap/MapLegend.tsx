import { type ColorMode, legendFor, TONE_CSS_VARIABLES } from "../../serviceMap/colorScale";
import type { LabelMode } from "../../serviceMap/mapView";

const LABEL_TITLES: Record<LabelMode, string> = {
  rate: "Edge labels: requests per second",
  errors: "Edge labels: error %",
  p99: "Edge labels: p99 latency",
};

/** Says which colour mode is active and what its thresholds are (users could not tell in Pixie, #294). */
export function MapLegend({ colorMode, labelMode }: { colorMode: ColorMode; labelMode: LabelMode }) {
  const legend = legendFor(colorMode);
  return (
    <div className="service-map__legend" data-testid="map-legend">
      <span className="service-map__legend-title">{legend.title}</span>
      <ul aria-label={legend.title}>
        {legend.entries.map(({ tone, label }) => (
          <li key={tone}>
            <span
              className="service-map__swatch"
              style={{ background: `var(${TONE_CSS_VARIABLES[tone]})` }}
            />
            {label}
          </li>
        ))}
      </ul>
      <span className="service-map__legend-title">{LABEL_TITLES[labelMode]}</span>
    </div>
  );
}
