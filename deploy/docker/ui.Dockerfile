# syntax=docker/dockerfile:1
# periscope-ui: the Next.js app, served by its standalone server on port 3000.
# Build with the repository root as context:
#   docker build -f deploy/docker/ui.Dockerfile -t periscope-ui .

FROM node:20-bookworm-slim AS build
# pnpm from npm: corepack cannot verify the registry's signatures here (docs: STACK.md).
RUN npm install --global pnpm@10.34.9
ENV CI=true NEXT_TELEMETRY_DISABLED=1
WORKDIR /src
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --frozen-lockfile --filter periscope --filter "@periscope/ui..." \
 && pnpm --filter "@periscope/ui..." run build
# output: "standalone" traces only server code; static assets and public/ are copied
# beside server.js by hand (https://nextjs.org/docs/app/api-reference/config/next-config-js/output).
RUN cd packages/ui \
 && cp -r .next/static .next/standalone/packages/ui/.next/static \
 && if [ -d public ]; then cp -r public .next/standalone/packages/ui/public; fi

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /src/packages/ui/.next/standalone packages/ui/.next/standalone
# The only place the server writes (image and fetch cache).
RUN mkdir -p packages/ui/.next/standalone/packages/ui/.next/cache \
 && chown node:node packages/ui/.next/standalone/packages/ui/.next/cache
USER node
EXPOSE 3000
CMD ["node", "packages/ui/.next/standalone/packages/ui/server.js"]
