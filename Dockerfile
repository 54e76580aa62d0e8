# syntax=docker/dockerfile:1
# MinisPod's image: built in one stage, run from the build output with production
# dependencies only, as a non-root user, on Node 20 Alpine. It holds no embedded
# PostgreSQL (a development dependency), no stand-ins, no tests: it runs with DATABASE_URL,
# a Kubernetes cluster (in-cluster or KUBECONFIG) and Midtrans keys. `node scripts/start.js`
# boots as `npm start` does (migrations under the advisory lock) without building anything.
#
# Size (issue 14, under 250 MB): the build output is plain JavaScript, so it is built on
# Debian (where the dev dependencies' install scripts run) and runs on Alpine, whose Node 20
# image is about 60 MB smaller than node:20-slim. Production dependencies are installed on
# Alpine, so npm picks the musl build of @node-rs/argon2 (both are in the lockfile), and are
# pruned of what nothing loads at run time: type declarations, source maps and READMEs.
# kubernetes-models (used by the catalog preview) is a dev dependency that Vite bundles, so
# only the models MinisPod imports ship. tests/integration/container-image.test.ts prints the
# size of what the image adds to the base (node_modules + build).
ARG BUILD_IMAGE=node:20-slim
ARG NODE_IMAGE=node:20-alpine

# 1. Build the app (needs the dev dependencies: Vite, SvelteKit, Svelte, Tailwind).
FROM ${BUILD_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only. Install scripts are not needed by any of them.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
	# TypeScript comes along only as tRPC's (type-level) peer; nothing loads it at run time.
	&& rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver \
	&& find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' \) -delete \
	# The receipt font's package holds 17 faces and coverage tables (12 MB); receipts embed two
	# (src/lib/server/receipts/font.ts), which ship with the licence.
	&& find node_modules/dejavu-fonts-ttf -type f ! -name DejaVuSans.ttf ! -name DejaVuSans-Bold.ttf ! -name LICENSE ! -name package.json -delete \
	&& npm cache clean --force

# 3. What runs.
FROM ${NODE_IMAGE}
# NODE_OPTIONS: the heap budget, as `npm start` sets it (README, "Memory"); a pod that wants
# another sets NODE_OPTIONS itself.
ENV NODE_ENV=production \
	NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=24" \
	HOST=0.0.0.0 \
	PORT=3000 \
	MINISPOD_METRICS_PORT=9464 \
	MINISPOD_DATA_DIR=/data
WORKDIR /app
# The server starts with `node`, so npm and yarn are not needed in the image.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
	&& mkdir -p /data && chown node:node /data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json ./
COPY drizzle ./drizzle
COPY scripts/start.js scripts/build-if-stale.js scripts/standins.js ./scripts/
COPY src/lib/server/config.js ./src/lib/server/config.js
COPY src/lib/money.js ./src/lib/money.js
# The `node` user of the base image (uid 1000); Kubernetes runs it with runAsNonRoot.
USER 1000:1000
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "scripts/start.js"]
