// The diff as text: functions by size of change in their share of samples.
import { format } from "d3";
import { diffKind, type FunctionChange } from "../../flamegraph/diff";
import { exactNameQuery } from "../../flamegraph/search";

const percent = format(".1%");
const points = format("+.1f");

export interface DiffTableProps {
  rows: FunctionChange[];
  baselineSamples: number;
  comparisonSamples: number;
  onSearch(query: string): void;
}

export function DiffTable({ rows, baselineSamples, comparisonSamples, onSearch }: DiffTableProps) {
  const count = format(",");
  return (
    <table className="flame-top" data-testid="flame-diff-table">
      <caption>
        Largest changes by function, as shares of {count(baselineSamples)} baseline and{" "}
        {count(comparisonSamples)} comparison samples
      </caption>
      <thead>
        <tr>
          <th scope="col">Function</th>
          <th scope="col">Baseline</th>
          <th scope="col">Comparison</th>
          <th scope="col">Change</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} data-testid="flame-diff-row">
            <th scope="row" className="mono" data-column="name">
              {row.name}
            </th>
            <td>{percent(row.baselineShare)}</td>
            <td>{percent(row.comparisonShare)}</td>
            <td data-column="change" className={`flame-change flame-change--${diffKind(row.delta)}`}>
              {points(row.delta * 100)} pp · {diffKind(row.delta)}
            </td>
            <td className="flame-top__actions">
              <button type="button" onClick={() => onSearch(exactNameQuery(row.name))}>
                Highlight <span className="visually-hidden">{row.name}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
