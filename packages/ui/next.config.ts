import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

// The workspace root, so that standalone tracing can follow pnpm's symlinks into the
// root node_modules; server.js then lands at .next/standalone/packages/ui/server.js.
const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// No rewrites here: next.config is serialised into the standalone build, so a rewrite
// destination built from PERISCOPE_API_URL would be frozen at build time. The API proxy
// is a route handler (src/app/api/v1/[...path]/route.ts) that reads the variable per request.
const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: workspaceRoot,
  turbopack: { root: workspaceRoot },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
