import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  firstLineOf,
  type KernelCapture,
  runNodeScript,
  startKernelCapture,
  startNodeScript,
} from "../testing/kernel-capture.js";
import { http2Definition } from "./http2-definition.js";

// gRPC between two real node processes on loopback (@grpc/grpc-js at both
// ends), seen through the real eBPF socket tracer and the pipeline restricted
// to HTTP/2: the kernel's inference tags the connection, the parser follows it
// from the preface.

const SERVICE = `
const grpc = require("@grpc/grpc-js");
const identity = (bytes) => bytes;
const method = (name, requestStream, responseStream) => ({
  path: "/periscope.test.v1.Echo/" + name, requestStream, responseStream,
  requestSerialize: identity, requestDeserialize: identity,
  responseSerialize: identity, responseDeserialize: identity,
});
const definition = {
  unary: method("Unary", false, false),
  serverStream: method("ServerStream", false, true),
  clientStream: method("ClientStream", true, false),
  fail: method("Fail", false, false),
};
`;

const SERVER_SCRIPT = `${SERVICE}
process.title = "pscope-grpc-srv";
const server = new grpc.Server();
server.addService(definition, {
  unary: (call, callback) => callback(null, Buffer.from("pong")),
  serverStream: (call) => { for (let i = 0; i < 3; i++) call.write(Buffer.from("item " + i)); call.end(); },
  clientStream: (call, callback) => { let n = 0; call.on("data", () => n++); call.on("end", () => callback(null, Buffer.from(String(n)))); },
  fail: (call, callback) => callback({ code: grpc.status.NOT_FOUND, details: "missing" }),
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => console.log(port));
`;

const CLIENT_SCRIPT = `${SERVICE}
process.title = "pscope-grpc-cli";
const Client = grpc.makeGenericClientConstructor(definition, "Echo");
const client = new Client("127.0.0.1:" + process.argv[1], grpc.credentials.createInsecure());
const metadata = () => { const m = new grpc.Metadata(); m.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"); return m; };
const unary = (name) => new Promise((resolve) => client[name](Buffer.from("ping"), metadata(), () => resolve()));
(async () => {
  await unary("unary");
  await new Promise((resolve) => { const s = client.serverStream(Buffer.from("go"), metadata()); s.on("data", () => {}); s.on("end", resolve); s.on("error", resolve); });
  await new Promise((resolve) => { const c = client.clientStream(metadata(), () => resolve()); for (let i = 0; i < 4; i++) c.write(Buffer.from("m" + i)); c.end(); });
  await unary("fail");
  client.close();
})();
`;

let server: ChildProcess;
let serverPort: number;
let capture: KernelCapture;

beforeAll(async () => {
  capture = startKernelCapture([http2Definition]);
  server = startNodeScript(SERVER_SCRIPT);
  serverPort = Number(await firstLineOf(server));
});

afterAll(() => {
  capture?.close();
  server?.kill();
});

describe("gRPC behind the real socket tracer", () => {
  it("records unary, streaming and failing calls from both ends", async () => {
    await runNodeScript(CLIENT_SCRIPT, [String(serverPort)]);
    const ours = () => capture.records.filter((record) => record.server.port === serverPort);
    await expect.poll(() => ours().length, { timeout: 10_000 }).toBe(8);
    const seen = ours()
      .map((record) => ({
        side: record.side,
        protocol: record.protocol,
        operation: record.operation,
        status: record.status,
        error: record.error,
        client: record.client.service,
        server: record.server.service,
        requestMessages: record.attributes["grpc.request_messages"],
        responseMessages: record.attributes["grpc.response_messages"],
        traceId: record.traceId,
        joined: record.attributes["http2.joined_mid_connection"],
      }))
      .sort((a, b) => `${a.operation}${a.side}`.localeCompare(`${b.operation}${b.side}`));
    const common = {
      protocol: "grpc",
      client: "pscope-grpc-cli",
      server: "pscope-grpc-srv",
      traceId: "0af7651916cd43dd8448eb211c80319c",
      joined: undefined,
    };
    const call = (method: string, status: number, requestMessages: string, responseMessages: string) =>
      (["client", "server"] as const).map((side) => ({
        ...common,
        side,
        operation: `/periscope.test.v1.Echo/${method}`,
        status,
        error: status !== 0,
        requestMessages,
        responseMessages,
      }));
    expect(seen).toEqual([
      ...call("ClientStream", 0, "4", "1"),
      ...call("Fail", 5, "1", "0"),
      ...call("ServerStream", 0, "1", "3"),
      ...call("Unary", 0, "1", "1"),
    ]);
  });
});
