# syntax=docker/dockerfile:1
# One image for the web and the worker (and the one-shot migration): the command picks the role.
#   web:     node node_modules/next/dist/bin/next start -p 3000   (default CMD)
#   worker:  node --conditions=react-server dist/worker/main.mjs   (react-server: 'server-only' modules load)
#   migrate: node --import tsx scripts/migrate.ts
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx prisma generate \
 && npx next build \
 && node --import tsx scripts/build-worker.ts \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund tsx@4

FROM ${NODE_IMAGE} AS runtime
# MALLOC_MMAP_THRESHOLD_: large blocks mapped and unmapped whole (scripts/build-worker.ts, WORKER_PROCESS_ENV).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    KASTOR_WORKER_HTTP_PORT=9464 \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
# Only what runs: dependencies, the web build, the worker's bundle, and the TypeScript the migrations run from.
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/package.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/app ./app
COPY --from=build --chown=node:node /app/components ./components
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/scripts/migrate.ts ./scripts/migrate.ts
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/proxy.ts ./proxy.ts
USER node
EXPOSE 3000 9464
CMD ["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]
