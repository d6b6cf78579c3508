// Past a budget of visible nodes, the least busy go behind one "N hidden" marker per
// group, which expands on click. Grafana's node graph does the same past its limit; a
// canvas of thousands of boxes is unreadable and slow (ThreatMapper froze at 25k).

export const MAX_VISIBLE_NODES = 300;

/**
 * A service already on the map keeps its place until a hidden one is this many times
 * busier: without it, services near the cut swap places at every poll as their rates
 * wobble, and each swap is nodes removed, placed and drawn again (make bench-ui, 1,000
 * services: most of an update's time).
 */
export const SHOWN_STICKINESS = 2;

export interface Candidate {
  id: string;
  group: string;
  /** Requests into, out of and counted at the node: what ranks it for a place on screen. */
  traffic: number;
}

export interface VisibleChoice {
  visible: Set<string>;
  /** Per group, the ids behind its marker (groups with none are absent). */
  hiddenByGroup: Map<string, string[]>;
}

/**
 * Keeps the `budget` busiest candidates visible (ties by id, so the choice is stable
 * across polls; those in `shownBefore` count SHOWN_STICKINESS times their traffic), plus
 * every id in `alwaysShow` (find matches) and every member of an expanded group; the
 * others are hidden by group.
 */
export function chooseVisible(
  candidates: readonly Candidate[],
  budget: number,
  alwaysShow: ReadonlySet<string>,
  expandedGroups: ReadonlySet<string>,
  shownBefore: ReadonlySet<string> = new Set(),
): VisibleChoice {
  const visible = new Set<string>();
  const hiddenByGroup = new Map<string, string[]>();
  if (candidates.length <= budget) {
    for (const candidate of candidates) visible.add(candidate.id);
    return { visible, hiddenByGroup };
  }
  const weight = (candidate: Candidate) =>
    shownBefore.has(candidate.id) ? candidate.traffic * SHOWN_STICKINESS : candidate.traffic;
  const ranked = [...candidates].sort(
    (a, b) => weight(b) - weight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  let shown = 0;
  for (const candidate of ranked) {
    if (shown < budget || alwaysShow.has(candidate.id) || expandedGroups.has(candidate.group)) {
      visible.add(candidate.id);
      shown++;
    } else {
      const hidden = hiddenByGroup.get(candidate.group) ?? [];
      hidden.push(candidate.id);
      hiddenByGroup.set(candidate.group, hidden);
    }
  }
  return { visible, hiddenByGroup };
}
