// The worker thread that reads symbol files (symbol-loader.ts starts it): a
// library's symbol table took up to 0.8 s to read on a loaded machine
// (bench/results/profiler.json slowestFileReadMs), time the agent's event
// loop, which drains the socket tracer, must never wait for.
import { parentPort } from "node:worker_threads";
import { BuildIdsRead, loadKernelSymbols, loadSymbolFile } from "./symbol-file-loader.js";
import type { WorkerReply, WorkerRequest } from "./symbol-loader.js";

const read = new BuildIdsRead();

parentPort?.on("message", (message: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply =
      message.kind === "file"
        ? { id: message.id, kind: "file", result: loadSymbolFile(message.request, read) }
        : { id: message.id, kind: "kernel", result: loadKernelSymbols(message.path) };
  } catch (error) {
    reply = {
      id: message.id,
      kind: "error",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
