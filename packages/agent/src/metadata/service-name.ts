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
const SCRIPT_EXTENSION = /\.(?:[cm]?[jt]s|py|rb|pl|php|jar)$/;
/** Interpreter flags whose value is code to preload, not the program. */
const FLAGS_WITH_VALUE = new Set([
  "-r",
  "--require",
  "--import",
  "--loader",
  "--experimental-loader",
  "-cp",
  "-classpath",
  "-W",
  "-X",
]);
/** Flags whose value names the program itself: `python3 -m http.server`, `java -jar app.jar`. */
const PROGRAM_FLAGS = new Set(["-m", "-jar"]);

export function serviceNameOf(comm: string, argv: readonly string[]): string {
  const argv0 = argv[0] ?? "";
  if (comm.length === TRUNCATED_COMM_LENGTH && argv0.startsWith(comm)) {
    return firstWord(argv0);
  }
  if (INTERPRETERS.has(comm)) {
    const program = programOf(argv.slice(1));
    if (program !== undefined) return `${comm}:${basename(program).replace(SCRIPT_EXTENSION, "")}`;
  }
  return comm;
}

/** The script or module an interpreter runs: its first argument that is not a flag or a flag's value. */
function programOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (PROGRAM_FLAGS.has(arg)) return args[i + 1];
    if (arg === "-e" || arg === "--eval" || arg === "-c" || arg === "-p" || arg === "--print")
      return undefined;
    if (FLAGS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

function firstWord(text: string): string {
  return basename(text.trim().split(/\s+/)[0] ?? text);
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}
