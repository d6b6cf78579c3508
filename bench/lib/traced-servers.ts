// The servers the overhead benchmark loads: Debian's nginx with a fixed
// keep-alive response, and a Node http server. Each listens on 127.0.0.1.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface TracedServer {
  name: string;
  url: string;
  stop(): void;
}

/** Installs bench-only Debian packages when missing (root); a no-op otherwise. */
export function ensureDebianPackages(packages: string[]): void {
  const missing = packages.filter(
    (name) =>
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not JS
      spawnSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8" }).stdout !==
      "install ok installed",
  );
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(" ")}`);
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (install.status !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed`);
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 10 s`);
}

/** @param accessLog a file nginx writes one line per request to (the truth a bench counts against); off when absent */
export async function startNginx(dir: string, port: number, accessLog?: string): Promise<TracedServer> {
  mkdirSync(path.join(dir, "logs"), { recursive: true });
  const conf = path.join(dir, "nginx.conf");
  // One worker: the machine has two cores shared by wrk, the server and the agent.
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  ${accessLog === undefined ? "access_log off;" : `access_log ${accessLog};`}
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "hello world\\n"; }
  }
}
`,
  );
  const child = spawn("nginx", ["-p", dir, "-c", conf], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url);
  return { name: "nginx", url, stop: () => child.kill("SIGQUIT") };
}

const NODE_SERVER = `
require("node:http").createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("hello world\\n");
}).listen(Number(process.argv[1]), "127.0.0.1");
`;

export async function startNodeServer(port: number): Promise<TracedServer> {
  const child: ChildProcess = spawn(process.execPath, ["-e", NODE_SERVER, String(port)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url);
  return { name: "node", url, stop: () => child.kill() };
}
