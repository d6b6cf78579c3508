// Test support: two network namespaces' worth of path on one host — the
// current namespace and a fresh one joined by a veth pair — with nftables in
// the fresh one, so a test can lose packets (this kernel has no netem).
import { execFileSync } from "node:child_process";

export interface NetnsPair {
  name: string;
  hostIp: string;
  peerIp: string;
  /** Runs a command inside the namespace (argv, no shell). */
  exec(args: string[]): string;
  /** argv prefix to start a long-lived process inside the namespace. */
  prefix: string[];
  dropIncoming(tcpPort: number, oneIn: number): void;
  close(): void;
}

function run(args: string[], input?: string): string {
  const [command, ...rest] = args;
  return execFileSync(command ?? "true", rest, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

/** `index` keeps concurrent pairs (and their 10.213.<index>.0/24 subnet) apart. */
export function createNetnsPair(index: number): NetnsPair {
  const name = `periscope-tcp${index}`;
  const hostLink = `psc${index}a`;
  const peerLink = `psc${index}b`;
  const hostIp = `10.213.${index}.1`;
  const peerIp = `10.213.${index}.2`;
  // A namespace left by an interrupted run would make `ip netns add` fail.
  try {
    execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
  } catch {
    // none left over
  }
  return setUp();

  function setUp(): NetnsPair {
    run(["ip", "netns", "add", name]);
    run(["ip", "link", "add", hostLink, "type", "veth", "peer", "name", peerLink]);
    run(["ip", "link", "set", peerLink, "netns", name]);
    run(["ip", "addr", "add", `${hostIp}/24`, "dev", hostLink]);
    run(["ip", "link", "set", hostLink, "up"]);
    const inNs = (args: string[]) => run(["ip", "netns", "exec", name, ...args]);
    inNs(["ip", "addr", "add", `${peerIp}/24`, "dev", peerLink]);
    inNs(["ip", "link", "set", peerLink, "up"]);
    inNs(["ip", "link", "set", "lo", "up"]);
    return {
      name,
      hostIp,
      peerIp,
      exec: inNs,
      prefix: ["ip", "netns", "exec", name],
      dropIncoming(tcpPort, oneIn) {
        // numgen inc: exactly every oneIn-th matching segment is dropped, the first (the
        // SYN) included. Random drops were a coin toss: on a busy machine the sender's
        // segments grow (TSO autosizing) until a transfer is a few large packets, and
        // "a quarter, at random" of a dozen can be none.
        run(
          ["ip", "netns", "exec", name, "nft", "-f", "-"],
          `table inet periscope_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${tcpPort} numgen inc mod ${oneIn} == 0 drop
  }
}
`,
        );
      },
      close() {
        // Deleting the namespace deletes its veth end and with it the pair.
        try {
          run(["ip", "netns", "del", name]);
        } catch {
          // already gone
        }
      },
    };
  }
}
