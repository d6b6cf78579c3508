// Opens the kernel side (profile.bpf.o through the native addon) and starts
// the profiling loop. Throws naming the failing step when the kernel refuses.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProfileSamples } from "@periscope/proto";
import type { ProcessNames } from "../metadata/process-names.js";
import { loadNativeBinding, type NativeKernelPaths } from "../native/native.js";
import type { ProfileConfig } from "./profile-config.js";
import { Profiler } from "./profiler.js";
import { WorkerSymbolLoader } from "./symbol-loader.js";
import { Symbolizer, type SymbolizerOptions } from "./symbolizer.js";

export function defaultProfileObjectPath(): string {
  return (
    process.env.PERISCOPE_PROFILE_OBJECT ??
    fileURLToPath(new URL("../../../../bpf/build/profile.bpf.o", import.meta.url))
  );
}

export interface StartProfilerOptions extends NativeKernelPaths {
  config: ProfileConfig;
  deliver: (profile: ProfileSamples) => void;
  bpfObjectPath?: string;
  symbolizer?: SymbolizerOptions;
  processNames?: () => ProcessNames;
}

export function startProfiler(options: StartProfilerOptions): Profiler {
  const bpfObjectPath = options.bpfObjectPath ?? defaultProfileObjectPath();
  if (!existsSync(bpfObjectPath)) {
    throw new Error(
      `BPF object not found at ${bpfObjectPath} (build it: make -C bpf; or set PERISCOPE_PROFILE_OBJECT)`,
    );
  }
  const { NativeProfiler } = loadNativeBinding();
  const native = new NativeProfiler({
    bpfObjectPath,
    hz: options.config.hz,
    ...(options.btfPath === undefined ? {} : { btfPath: options.btfPath }),
    ...(options.tracefsPath === undefined ? {} : { tracefsPath: options.tracefsPath }),
  });
  // Symbol files and kallsyms are read on a worker thread, kallsyms from now on, so
  // the first drain has kernel names and no drain waits on a file.
  const symbolizer = new Symbolizer({
    loader: new WorkerSymbolLoader((message) =>
      console.error(`periscope-agent: profiler: symbol worker failed, reading symbols inline: ${message}`),
    ),
    ...options.symbolizer,
  });
  void symbolizer.loadKernelSymbols();
  return new Profiler(native, symbolizer, {
    intervalMs: options.config.intervalMs,
    deliver: options.deliver,
    ...(options.processNames === undefined ? {} : { processNames: options.processNames }),
  });
}
