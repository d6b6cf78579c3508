// Search: which frames match, and what share of samples they cover. A frame
// nested under another match is highlighted but not counted again — its samples
// are already inside its matching ancestor's (pprof's and Brendan Gregg's
// flamegraph.pl rule), so a recursive function never reads above 100 %.
import type { FlameTree } from "./flameTree";

export type SearchMatcher = { ok: true; test: (name: string) => boolean } | { ok: false; error: string };

/**
 * `/pattern/flags` is a regular expression; anything else is a case-insensitive
 * substring, so typing a function name with dots or brackets just works.
 */
export function compileSearch(query: string): SearchMatcher | undefined {
  const trimmed = query.trim();
  if (trimmed === "") return undefined;
  const regex = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (regex) {
    try {
      // Without "g": RegExp.test with the global flag keeps state between calls.
      const pattern = new RegExp(regex[1] as string, (regex[2] as string).replace("g", ""));
      return { ok: true, test: (name) => pattern.test(name) };
    } catch (error) {
      return { ok: false, error: `invalid regular expression: ${(error as Error).message}` };
    }
  }
  const needle = trimmed.toLowerCase();
  return { ok: true, test: (name) => name.toLowerCase().includes(needle) };
}

export interface SearchResult {
  matched: boolean[];
  matchCount: number;
  /** Samples under matching frames, each sample counted once. */
  matchedValue: number;
  /** matchedValue over the root's samples, 0–1. */
  share: number;
}

export function searchFlameTree(tree: FlameTree, test: (name: string) => boolean): SearchResult {
  const count = tree.names.length;
  const matched = new Array<boolean>(count).fill(false);
  let matchCount = 0;
  let matchedValue = 0;
  // Depth-first order: the frames inside a counted match are the index range up to its end.
  let countedUntil = 0;
  for (let i = 0; i < count; i += 1) {
    if (!test(tree.names[i] as string)) continue;
    matched[i] = true;
    matchCount += 1;
    if (i >= countedUntil) {
      matchedValue += tree.values[i] as number;
      countedUntil = tree.ends[i] as number;
    }
  }
  const total = count === 0 ? 0 : (tree.values[0] as number);
  return { matched, matchCount, matchedValue, share: total > 0 ? matchedValue / total : 0 };
}

/** A query matching exactly one function name (for "highlight this function"). */
export function exactNameQuery(name: string): string {
  return `/^${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$/`;
}
