import { describe, expect, it } from "vitest";
import { serviceNameOf } from "./service-name.js";

describe("serviceNameOf", () => {
  it("is the process's own name when it has one", () => {
    expect(serviceNameOf("demo-users", ["demo-users"])).toBe("demo-users");
    expect(serviceNameOf("postgres", ["/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/pg"])).toBe(
      "postgres",
    );
    expect(serviceNameOf("nginx", ["nginx: worker process"])).toBe("nginx");
  });

  it("recovers a title the kernel cut at 15 bytes from argv[0]", () => {
    expect(serviceNameOf("next-server (v1", ["next-server (v16.4.6)"])).toBe("next-server");
    expect(serviceNameOf("a-very-long-ser", ["a-very-long-service-name"])).toBe("a-very-long-service-name");
  });

  it("keeps a 15-byte comm when argv[0] is something else", () => {
    expect(serviceNameOf("kworker/u4:1-ev", [])).toBe("kworker/u4:1-ev");
    expect(serviceNameOf("exactly15chars!", ["/usr/bin/other"])).toBe("exactly15chars!");
  });

  it("names interpreter processes by the script they run", () => {
    expect(serviceNameOf("node", ["node", "--import", "tsx", "scripts/stack.ts"])).toBe("node:stack");
    expect(serviceNameOf("node", ["/usr/bin/node", "/srv/app/dist/server.js"])).toBe("node:server");
    expect(serviceNameOf("python3", ["python3", "-u", "/opt/worker.py"])).toBe("python3:worker");
    expect(serviceNameOf("java", ["java", "-Xmx1g", "-jar", "billing.jar"])).toBe("java:billing");
    expect(serviceNameOf("python3", ["python3", "-m", "http.server", "8000"])).toBe("python3:http.server");
  });

  it("skips code an interpreter preloads (tsx's hooks) to find the program", () => {
    const tsx = "/repo/node_modules/tsx/dist";
    const argv = [
      "node",
      "--require",
      `${tsx}/preflight.cjs`,
      "--import",
      `file://${tsx}/loader.mjs`,
      "bench/run.ts",
    ];
    expect(serviceNameOf("node", argv)).toBe("node:run");
  });

  it("leaves an interpreter with no script file (a REPL, -e code) as itself", () => {
    expect(serviceNameOf("node", ["node", "-e", "console.log(1)"])).toBe("node");
    expect(serviceNameOf("python3", ["python3"])).toBe("python3");
    expect(serviceNameOf("python3", ["python3", "-c", "import this"])).toBe("python3");
  });
});
