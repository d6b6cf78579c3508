// The small HTTP plumbing the demo services share: a keep-alive client (real
// services reuse connections, and the tracer must follow them) and a JSON server.
import http from "node:http";

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });

export interface JsonResponse {
  status: number;
  body: unknown;
}

export function getJson(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: keepAlive, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
    });
    request.setTimeout(5_000, () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on("error", reject);
  });
}

export type Route = (url: URL, request: http.IncomingMessage) => Promise<JsonResponse>;

export function serveJson(name: string, port: number, route: Route): http.Server {
  process.title = name;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    route(url, request)
      .catch((error: unknown) => ({ status: 502, body: { error: String(error) } }))
      .then(({ status, body }) => {
        const text = JSON.stringify(body);
        response.writeHead(status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
        });
        response.end(text);
      });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(port, "127.0.0.1", () => console.log(`${name} listening on 127.0.0.1:${port}`));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.close();
      keepAlive.destroy();
      server.closeAllConnections();
    });
  }
  return server;
}

export function portFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a TCP port (1-65535), got ${process.env[name]}`);
    process.exit(2);
  }
  return value;
}
