// CLI entry: `node dist/server.js`. Configuration comes from PERISCOPE_*
// environment variables (see config.ts); this file only wires the runtime.
import { startCollector } from "./collector.js";
import { ConfigError, describeEnvironment, loadConfig } from "./config.js";

// What /proc shows (comm is cut to "periscope-colle"; argv[0] holds the whole
// name): agents name the service from it and leave Periscope's own processes out of capture.
process.title = "periscope-collector";

function printHelp(): void {
  console.log("periscope collector — environment variables:");
  for (const variable of describeEnvironment()) {
    console.log(`  ${variable.name} (default "${variable.defaultValue}"): ${variable.description}`);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    printHelp();
    return;
  }
  const config = loadConfig();
  const collector = await startCollector({ ...config, logger: { level: config.logLevel } });
  console.log(`periscope collector: http ${collector.httpUrl} grpc ${collector.grpcAddress}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`periscope collector: ${signal}, shutting down`);
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("periscope collector: shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`periscope collector: ${error instanceof ConfigError ? error.message : String(error)}`);
  if (!(error instanceof ConfigError) && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
