// Two processes on the host, an HTTP server and a client calling it every 200 ms on paths
// under a unique prefix: what an agent in a container must see. Plain Node, so nothing
// here depends on Periscope's own code.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

export interface HostTraffic {
  prefix: string;
  serverPort: number;
  serverPid: number;
  clientPid: number;
  stop(): Promise<void>;
}

const serverScript = `
const server = require("node:http").createServer((request, response) => response.end("ok " + request.url));
server.listen(Number(process.argv[1]), "127.0.0.1", () => console.log("listening"));`;

const clientScript = `
const [port, prefix] = process.argv.slice(1);
let n = 0;
setInterval(() => {
  require("node:http")
    .get({ host: "127.0.0.1", port: Number(port), path: prefix + "/" + n++, agent: false }, (response) => response.resume())
    .on("error", () => {});
}, 200);`;

export async function startHostTraffic(serverPort: number, label: string): Promise<HostTraffic> {
  const prefix = `/${label}-${process.pid}-${Date.now()}`;
  const children: ChildProcess[] = [];
  const server = spawn(process.execPath, ["-e", serverScript, String(serverPort)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(server);
  await once(server.stdout as NodeJS.ReadableStream, "data");
  const client = spawn(process.execPath, ["-e", clientScript, String(serverPort), prefix], {
    stdio: "inherit",
  });
  children.push(client);
  return {
    prefix,
    serverPort,
    serverPid: server.pid ?? 0,
    clientPid: client.pid ?? 0,
    async stop() {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          await once(child, "exit");
        }
      }
    },
  };
}
