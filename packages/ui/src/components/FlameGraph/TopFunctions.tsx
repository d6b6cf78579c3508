// The flame graph as text: the functions with the most self samples, for
// keyboard and screen-reader users and for reading exact numbers.
import { format } from "d3";
import type { FunctionSummary } from "../../flamegraph/frameStats";

const percent = format(".1%");
const count = format(",");

export interface TopFunctionsProps {
  rows: FunctionSummary[];
  totalSamples: number;
  onSandwich?(name: string): void;
  onSearch(name: string): void;
}

export function TopFunctions({ rows, totalSamples, onSandwich, onSearch }: TopFunctionsProps) {
  return (
    <table className="flame-top" data-testid="flame-top-functions">
      <caption>Top functions by self samples, of {count(totalSamples)} samples</caption>
      <thead>
        <tr>
          <th scope="col">Function</th>
          <th scope="col">Self</th>
          <th scope="col">Total</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} data-testid="flame-top-row">
            <th scope="row" className="mono" data-column="name">
              {row.name}
            </th>
            <td data-column="self">
              {count(row.self)}{" "}
              <span className="muted">({percent(totalSamples > 0 ? row.self / totalSamples : 0)})</span>
            </td>
            <td data-column="total">
              {count(row.total)}{" "}
              <span className="muted">({percent(totalSamples > 0 ? row.total / totalSamples : 0)})</span>
            </td>
            <td className="flame-top__actions">
              <button type="button" onClick={() => onSearch(row.name)} aria-label={`Highlight ${row.name}`}>
                Highlight
              </button>
              {onSandwich ? (
                <button
                  type="button"
                  onClick={() => onSandwich(row.name)}
                  aria-label={`Sandwich: callers and callees of ${row.name}`}
                >
                  Sandwich
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
