// Tooltip text for a frame: self and total in a graph, both ranges and the change in a diff.
import { format } from "d3";
import { type DiffTree, diffKind } from "../../flamegraph/diff";
import type { FlameTree } from "../../flamegraph/flameTree";
import { frameStats } from "../../flamegraph/frameStats";

const percent = format(".1%");
const count = format(",");
const points = format("+.1f");

export interface FrameDescription {
  title: string;
  lines: string[];
}

export function describeFrame(tree: FlameTree, index: number): FrameDescription {
  const stats = frameStats(tree, index);
  return {
    title: stats.name,
    lines: [
      `total ${count(stats.total)} samples (${percent(stats.totalShare)})`,
      `self ${count(stats.self)} samples (${percent(stats.selfShare)})`,
      ...(index > 0 ? [`${percent(stats.parentShare)} of its caller`] : []),
    ],
  };
}

export function describeDiffFrame(diff: DiffTree, index: number): FrameDescription {
  const share = (value: number, of: number) => (of > 0 ? value / of : 0);
  const b = diff.baseline;
  const c = diff.comparison;
  const delta = diff.delta[index] as number;
  const kind = diffKind(delta);
  return {
    title: diff.tree.names[index] as string,
    lines: [
      `baseline: total ${count(b.total[index] as number)} of ${count(diff.baselineSamples)} samples (${percent(share(b.total[index] as number, diff.baselineSamples))}), self ${percent(share(b.self[index] as number, diff.baselineSamples))}`,
      `comparison: total ${count(c.total[index] as number)} of ${count(diff.comparisonSamples)} samples (${percent(share(c.total[index] as number, diff.comparisonSamples))}), self ${percent(share(c.self[index] as number, diff.comparisonSamples))}`,
      `change ${points(delta * 100)} percentage points (${kind})`,
    ],
  };
}
