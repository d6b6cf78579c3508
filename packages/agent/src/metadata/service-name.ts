// A process's service name on a host without Kubernetes, from what /proc says.
//
// comm is the start: it is what `process.title`, prctl(PR_SET_NAME) and exec set.
// Two cases need the command line too:
// - comm is cut at 15 bytes (TASK_COMM_LEN - 1): "next-server (v16.4.6)" reads as
//   "next-server (v1"; argv[0] holds the whole title.
// - interpreters: every Node or Python program is "node" or "python3"; the
//   script it runs tells them apart ("node:stack" for `node scripts/stack.ts`).

const TRUNCATED_COMM_LENGTH = 15;
const INTERPRETERS = new Set(["node", "python", "python3", "ruby", "perl", "php", "java", "bun", "deno"]);
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|py|rb|pl|php|jar)$/;

export function serviceNameOf(comm: string, argv: readonly string[]): string {
  const argv0 = argv[0] ?? "";
  if (comm.length === TRUNCATED_COMM_LENGTH && argv0.startsWith(comm)) {
    return firstWord(argv0);
  }
  if (INTERPRETERS.has(comm)) {
    const script = argv.slice(1).find((arg) => !arg.startsWith("-") && SCRIPT_FILE.test(arg));
    if (script !== undefined) return `${comm}:${basename(script).replace(SCRIPT_FILE, "")}`;
  }
  return comm;
}

function firstWord(text: string): string {
  return basename(text.trim().split(/\s+/)[0] ?? text);
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}
