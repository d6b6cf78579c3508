// What a record says about a command: its name and the first key it touches.
// Key positions follow the command table's key specs (redis.io/docs/latest/commands,
// "first key" of each command's key_specs); only the exceptions to "the first
// argument is the key" are listed.

/** Commands whose first argument is a subcommand: the operation is both words ("CLIENT SETNAME"). */
const CONTAINER_COMMANDS = new Set([
  "ACL",
  "CLIENT",
  "CLUSTER",
  "COMMAND",
  "CONFIG",
  "DEBUG",
  "FUNCTION",
  "LATENCY",
  "MEMORY",
  "MODULE",
  "OBJECT",
  "PUBSUB",
  "SCRIPT",
  "SLOWLOG",
  "XGROUP",
  "XINFO",
]);

/** Container subcommands that name a key right after the subcommand. */
const KEYED_SUBCOMMANDS = new Set([
  "MEMORY USAGE",
  "OBJECT ENCODING",
  "OBJECT FREQ",
  "OBJECT IDLETIME",
  "OBJECT REFCOUNT",
  "XGROUP CREATE",
  "XGROUP CREATECONSUMER",
  "XGROUP DELCONSUMER",
  "XGROUP DESTROY",
  "XGROUP SETID",
  "XINFO CONSUMERS",
  "XINFO GROUPS",
  "XINFO STREAM",
]);

/** Commands that touch no key (connection, server and transaction commands). */
const KEYLESS_COMMANDS = new Set([
  "AUTH",
  "BGREWRITEAOF",
  "BGSAVE",
  "DBSIZE",
  "DISCARD",
  "ECHO",
  "EXEC",
  "FAILOVER",
  "FLUSHALL",
  "FLUSHDB",
  "HELLO",
  "INFO",
  "KEYS",
  "LASTSAVE",
  "MONITOR",
  "MULTI",
  "PING",
  "QUIT",
  "RANDOMKEY",
  "READONLY",
  "READWRITE",
  "REPLICAOF",
  "RESET",
  "ROLE",
  "SAVE",
  "SCAN",
  "SELECT",
  "SHUTDOWN",
  "SLAVEOF",
  "SWAPDB",
  "SYNC",
  "PSYNC",
  "TIME",
  "UNWATCH",
  "WAIT",
  "WAITAOF",
]);

/** Scripts name their keys after the script and a key count: EVAL script numkeys key [key ...]. */
const NUMKEYS_AT_2 = new Set(["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"]);

/**
 * Commands whose arguments must never be stored: AUTH's password, and HELLO's
 * optional "AUTH username password" (only its protocol version is kept).
 */
export function keepMoreArguments(elements: readonly string[]): boolean {
  const command = elements[0]?.toUpperCase();
  if (command === "AUTH") return false;
  if (command === "HELLO") return elements.length < 2;
  // MIGRATE host port key db timeout ... AUTH password: the key is the third argument.
  if (command === "MIGRATE") return elements.length < 4;
  return true;
}

export interface CommandSummary {
  operation: string;
  /** The first key, or the channel of a pub/sub command; "" when the command has none. */
  target: string;
}

export function summarizeCommand(elements: readonly string[]): CommandSummary {
  const command = (elements[0] ?? "").toUpperCase();
  if (CONTAINER_COMMANDS.has(command) && elements[1] !== undefined) {
    const operation = `${command} ${elements[1].toUpperCase()}`;
    return { operation, target: KEYED_SUBCOMMANDS.has(operation) ? (elements[2] ?? "") : "" };
  }
  if (KEYLESS_COMMANDS.has(command)) return { operation: command, target: "" };
  if (NUMKEYS_AT_2.has(command)) {
    return { operation: command, target: Number(elements[2]) > 0 ? (elements[3] ?? "") : "" };
  }
  if (command === "XREAD" || command === "XREADGROUP") {
    const streams = elements.findIndex((element) => element.toUpperCase() === "STREAMS");
    return { operation: command, target: streams > 0 ? (elements[streams + 1] ?? "") : "" };
  }
  if (command === "MIGRATE") return { operation: command, target: elements[3] ?? "" };
  return { operation: command, target: elements[1] ?? "" };
}

/** Pub/sub confirmations, each answering one channel of a (P|S)(UN)SUBSCRIBE. */
export const SUBSCRIPTION_REPLIES = new Set([
  "subscribe",
  "unsubscribe",
  "psubscribe",
  "punsubscribe",
  "ssubscribe",
  "sunsubscribe",
]);

/** Messages a subscribed connection receives without asking (RESP2 arrays, RESP3 pushes). */
export const PUBSUB_MESSAGES = new Set(["message", "pmessage", "smessage"]);
