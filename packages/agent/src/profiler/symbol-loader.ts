// Where symbol files and kallsyms are read. The agent reads them on a worker
// thread, so a cache miss costs the drain nothing: the frame is named
// module+offset until the answer arrives, and named properly from then on.
// Tests read them inline (the answer is there when load returns).
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { SymbolTable } from "./elf-reader.js";
import {
  BuildIdsRead,
  type KernelSymbolsResult,
  loadKernelSymbols,
  loadSymbolFile,
  type SymbolFileRequest,
  type SymbolFileResult,
} from "./symbol-file-loader.js";

export type WorkerRequest =
  | { id: number; kind: "file"; request: SymbolFileRequest }
  | { id: number; kind: "kernel"; path: string };

export type WorkerReply =
  | { id: number; kind: "file"; result: SymbolFileResult }
  | { id: number; kind: "kernel"; result: KernelSymbolsResult }
  | { id: number; kind: "error"; message: string };

export interface SymbolLoader {
  /** Calls done once with the file's symbols or why there are none; inline loaders before returning. */
  loadFile(request: SymbolFileRequest, done: (result: SymbolFileResult) => void): void;
  loadKernel(path: string, done: (result: KernelSymbolsResult) => void): void;
  /** Loads asked for and not answered yet. */
  readonly pending: number;
  close(): void;
}

export class InlineSymbolLoader implements SymbolLoader {
  readonly pending = 0;
  private readonly read = new BuildIdsRead();

  loadFile(request: SymbolFileRequest, done: (result: SymbolFileResult) => void): void {
    done(loadSymbolFile(request, this.read));
  }

  loadKernel(path: string, done: (result: KernelSymbolsResult) => void): void {
    done(loadKernelSymbols(path));
  }

  close(): void {}
}

/** Structured clone turns a Buffer into a plain Uint8Array: symbol names are decoded from Buffers. */
function asBuffers(table: SymbolTable): SymbolTable {
  return {
    ...table,
    strings: table.strings.map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  };
}

function rewrapped(result: SymbolFileResult): SymbolFileResult {
  return result.ok === true
    ? { ...result, symbols: { ...result.symbols, symbols: asBuffers(result.symbols.symbols) } }
    : result;
}

/** tsx's ESM register API (its CommonJS twin cannot register ESM hooks from an ESM worker). */
function tsxEsmApi(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    // A runner without import.meta.resolve: the ESM entry sits beside the CommonJS one.
    return pathToFileURL(
      createRequire(import.meta.url)
        .resolve("tsx/esm/api")
        .replace(/\.cjs$/, ".mjs"),
    ).href;
  }
}

function startWorker(): Worker {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith(".ts")) return new Worker(new URL("./symbol-worker.js", import.meta.url));
  // Run from source (tsx, vitest): the worker registers tsx's loader before importing the module.
  const tsx = tsxEsmApi();
  const module = new URL("./symbol-worker.ts", import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(module)}); });`,
    { eval: true },
  );
}

export class WorkerSymbolLoader implements SymbolLoader {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: WorkerReply) => void>();
  /** Set when the worker failed: loads then run inline, the old way, and the failure is counted. */
  private failed = false;
  private readonly inline = new InlineSymbolLoader();

  constructor(private readonly onFailure: (message: string) => void = () => {}) {}

  get pending(): number {
    return this.waiting.size;
  }

  loadFile(request: SymbolFileRequest, done: (result: SymbolFileResult) => void): void {
    if (this.failed) {
      this.inline.loadFile(request, done);
      return;
    }
    this.post({ id: this.nextId++, kind: "file", request }, (reply) => {
      if (reply.kind === "file") done(rewrapped(reply.result));
      else {
        // The worker failed: read inline, the slow way, counted with each load.
        this.inline.loadFile(request, (result) =>
          done({ ...result, skips: [...result.skips, "symbol_worker_failed"] }),
        );
      }
    });
  }

  loadKernel(path: string, done: (result: KernelSymbolsResult) => void): void {
    if (this.failed) {
      this.inline.loadKernel(path, done);
      return;
    }
    this.post({ id: this.nextId++, kind: "kernel", path }, (reply) => {
      if (reply.kind === "kernel") done(reply.result);
      else {
        this.inline.loadKernel(path, (result) =>
          done({ ...result, skips: [...result.skips, ["symbol_worker_failed", 1]] }),
        );
      }
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private post(message: WorkerRequest, answer: (reply: WorkerReply) => void): void {
    const worker = this.ensureWorker();
    this.waiting.set(message.id, answer);
    worker.postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = startWorker();
    worker.unref(); // symbol loads never keep the agent from exiting
    worker.on("message", (reply: WorkerReply) => {
      const answer = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      answer?.(reply);
    });
    const fail = (message: string) => {
      if (this.failed) return;
      this.failed = true;
      this.worker = undefined;
      this.onFailure(message);
      // What was asked is answered as failed; later loads run inline.
      const waiting = [...this.waiting.values()];
      this.waiting.clear();
      for (const answer of waiting) answer({ id: -1, kind: "error", message });
    };
    worker.on("error", (error) => fail(error.message));
    worker.on("exit", (code) => {
      if (this.worker === worker && code !== 0) fail(`symbol worker exited with ${code}`);
    });
    this.worker = worker;
    return worker;
  }
}
