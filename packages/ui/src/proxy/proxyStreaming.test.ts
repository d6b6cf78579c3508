// The collector's live feed (GET /api/v1/live, text/event-stream) through the UI's
// proxy route, against a small node:http stand-in whose events the test sends one
// at a time.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "../app/api/v1/[...path]/route";
import { proxyRequest } from "./proxyRequest";

interface LiveStream {
  response: ServerResponse;
  headers: IncomingHttpHeaders;
  /** Resolves when the connection to the stand-in closes. */
  closed: Promise<void>;
}

let collector: Server;
let collectorUrl: string;
const liveStreams: LiveStream[] = [];
const hanging: ServerResponse[] = [];
const savedEnv = { url: process.env.PERISCOPE_API_URL, token: process.env.PERISCOPE_API_TOKEN };

beforeAll(async () => {
  collector = createServer((req, res) => {
    if (req.url?.startsWith("/api/v1/live")) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      res.write("event: hello\ndata: 1\n\n");
      const closed = new Promise<void>((resolve) => res.on("close", () => resolve()));
      liveStreams.push({ response: res, headers: req.headers, closed });
    } else {
      hanging.push(res); // never answers
    }
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  process.env.PERISCOPE_API_URL = collectorUrl;
  process.env.PERISCOPE_API_TOKEN = "ui-token-0123456789abcdef";
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  collector.closeAllConnections();
  await new Promise<void>((resolve) => collector.close(() => resolve()));
  process.env.PERISCOPE_API_URL = savedEnv.url;
  process.env.PERISCOPE_API_TOKEN = savedEnv.token;
  if (savedEnv.url === undefined) delete process.env.PERISCOPE_API_URL;
  if (savedEnv.token === undefined) delete process.env.PERISCOPE_API_TOKEN;
});

/** Reads a response body as text, a chunk at a time, up to what the test waits for. */
function textReader(body: ReadableStream<Uint8Array> | null) {
  if (body === null) throw new Error("no body");
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    reader,
    async until(needle: string): Promise<string> {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}"; got ${JSON.stringify(text)}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
  };
}

function openLive(signal?: AbortSignal): Promise<Response> {
  const request = new Request("http://127.0.0.1:3000/api/v1/live?topics=map", {
    headers: { accept: "text/event-stream" },
    signal,
  });
  return GET(request, { params: Promise.resolve({ path: ["live"] }) });
}

describe("the live feed through the proxy route", () => {
  it("relays each event as the collector sends it, while the stream stays open", async () => {
    const browser = new AbortController();
    const response = await openLive(browser.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    // So Next's gzip does not hold events back.
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const upstream = liveStreams.at(-1) as LiveStream;
    expect(upstream.headers.authorization).toBe("Bearer ui-token-0123456789abcdef");

    const body = textReader(response.body);
    expect(await body.until("data: 1\n\n")).toBe("event: hello\ndata: 1\n\n");
    upstream.response.write("event: map\ndata: 2\n\n");
    await body.until("data: 2\n\n");
    upstream.response.write("event: map\ndata: 3\n\n");
    expect(await body.until("data: 3\n\n")).toBe(
      "event: hello\ndata: 1\n\nevent: map\ndata: 2\n\nevent: map\ndata: 3\n\n",
    );
    expect(upstream.response.writableEnded).toBe(false);

    // The browser leaves: the proxy's call to the collector is closed too.
    browser.abort();
    await upstream.closed;
    expect(upstream.response.writableEnded).toBe(false);
  });

  it("closes the collector's stream when the relayed body is cancelled", async () => {
    const response = await openLive();
    const upstream = liveStreams.at(-1) as LiveStream;
    const body = textReader(response.body);
    await body.until("data: 1\n\n");
    await body.reader.cancel();
    await upstream.closed;
    expect(upstream.response.writableEnded).toBe(false);
  });
});

describe("the upstream timeout", () => {
  const shortTimeoutMs = 50;

  it("answers 502 when the collector does not answer in time", async () => {
    const request = new Request("http://127.0.0.1:3000/api/v1/map");
    const response = await proxyRequest(request, ["map"], process.env, fetch, shortTimeoutMs);
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain("timed out");
  });

  it("does not cut an event stream that outlives it", async () => {
    const request = new Request("http://127.0.0.1:3000/api/v1/live");
    const response = await proxyRequest(request, ["live"], process.env, fetch, shortTimeoutMs);
    const upstream = liveStreams.at(-1) as LiveStream;
    const body = textReader(response.body);
    await body.until("data: 1\n\n");
    await new Promise((resolve) => setTimeout(resolve, shortTimeoutMs * 6));
    upstream.response.write("event: map\ndata: late\n\n");
    await body.until("data: late\n\n");
    await body.reader.cancel();
    await upstream.closed;
  });
});
