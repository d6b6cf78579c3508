// Executable mappings from /proc/PID/maps: where each loaded file sits in the
// process, to turn a user address into (file, file offset).

export interface Mapping {
  start: number;
  end: number;
  /** File offset of `start`. */
  offset: number;
  /** "" for anonymous memory (JIT code), else the path as the process sees it. */
  path: string;
  inode: number;
}

// 55d4c3a00000-55d4c3a21000 r-xp 00002000 08:01 1234    /usr/bin/foo
const LINE = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) \S+ (\d+)\s*(.*)$/;

export function parseExecutableMappings(text: string): Mapping[] {
  const mappings: Mapping[] = [];
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    if (!match || (match[3] as string)[2] !== "x") continue;
    const start = Number.parseInt(match[1] as string, 16);
    const end = Number.parseInt(match[2] as string, 16);
    // Above 2^53 only on arm64's top-byte-tagged or kernel (vsyscall) ranges: never a file we can read.
    if (!Number.isSafeInteger(end)) continue;
    mappings.push({
      start,
      end,
      offset: Number.parseInt(match[4] as string, 16),
      path: (match[6] as string).trim(),
      inode: Number(match[5]),
    });
  }
  return mappings.sort((a, b) => a.start - b.start);
}

export function findMapping(mappings: readonly Mapping[], address: number): Mapping | undefined {
  let low = 0;
  let high = mappings.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const mapping = mappings[mid] as Mapping;
    if (address < mapping.start) high = mid - 1;
    else if (address >= mapping.end) low = mid + 1;
    else return mapping;
  }
  return undefined;
}
