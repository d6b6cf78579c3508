// Redis as the demo's services use it: the local server that
// scripts/setup/services.sh starts on 6379. The RESP protocol has no place for a
// trace context, so Redis calls join a trace only through the timing of the
// request that made them.
import { Redis } from "ioredis";
import type { ServiceRuntime } from "./service-runtime.js";

export function connectRedis(runtime: ServiceRuntime): Redis {
  const redis = new Redis({
    host: process.env.DEMO_REDIS_HOST ?? "127.0.0.1",
    port: Number(process.env.DEMO_REDIS_PORT ?? 6379),
    connectionName: runtime.title,
    // CLIENT SETINFO is Redis 7.2+; Debian 12's 7.0 answers it with an error,
    // which would colour every demo edge to Redis red at each connection.
    disableClientInfo: true,
    // Fail a command fast while Redis is away instead of queueing it for ever.
    maxRetriesPerRequest: 1,
  });
  redis.on("error", (error: Error) => console.error(`${runtime.title}: redis: ${error.message}`));
  runtime.onStop(() => {
    redis.disconnect();
  });
  return redis;
}
