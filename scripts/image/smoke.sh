#!/usr/bin/env bash
# The image's smoke test, run by scripts/image-test.sh inside a private mount namespace (unshare
# --mount): the mounted image (ROOT) is bind-mounted read-only, with /proc, /dev, a writable /data
# (DATA, owned by the image's user) and, after the first check, a tmpfs /tmp; commands run through
# chroot as the image's user with only the image's env, from its working dir.
# Env from image-test.sh: ROOT DATA WORK IMAGE_USER WORKDIR DEMO_TIMEOUT_S ENTRYPOINT_LINES
# IMAGE_ENV_LINES HEALTHCHECK_LINES (one item a line).
set -euo pipefail

fail() {
  echo "smoke test FAILED: $*" >&2
  exit 1
}
mapfile -t ENTRYPOINT <<<"$ENTRYPOINT_LINES"
mapfile -t IMAGE_ENV <<<"$IMAGE_ENV_LINES"
mapfile -t HEALTHCHECK <<<"$HEALTHCHECK_LINES"

RUN="$WORK/run-root"
mkdir -p "$RUN"
DEMO_PID=""
cleanup() {
  if [ -n "$DEMO_PID" ] && kill -0 "$DEMO_PID" 2>/dev/null; then
    kill -TERM "$DEMO_PID" 2>/dev/null || true
    sleep 5
    kill -KILL "$DEMO_PID" 2>/dev/null || true
  fi
  umount -R "$RUN" 2>/dev/null || true
}
trap cleanup EXIT

mount --bind "$ROOT" "$RUN"
mount -o remount,bind,ro "$RUN"
mount -t proc proc "$RUN/proc"
mount --bind /dev "$RUN/dev"
mount --bind "$DATA" "$RUN/data"

# in_image CMD…: CMD as the image's user, with the image's env, in its working dir.
# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
in_image() {
  env -i "${IMAGE_ENV[@]}" chroot --userspec="$IMAGE_USER" "$RUN" /bin/sh -c 'cd "$0" && exec "$@"' "$WORKDIR" "$@"
}
operator() { in_image "${ENTRYPOINT[@]}" "$@"; }

echo "== the user, the read-only root, the volume"
[ "$(in_image id -u):$(in_image id -g)" = "$IMAGE_USER" ] || fail "not running as $IMAGE_USER"
if in_image sh -c 'touch /app/probe' 2>/dev/null; then fail "the root filesystem is writable"; fi
in_image sh -c 'touch /data/probe && rm /data/probe' || fail "/data is not writable by $IMAGE_USER"

echo "== operator --help (read-only /tmp: no tmpfs yet)"
help=$(operator --help) || fail "operator --help exited with $?"
grep -q "^Usage: operator" <<<"$help" || fail "operator --help printed no usage"
echo "$help" | head -n 3
operator --version || fail "operator --version failed"

mount -t tmpfs -o mode=1777,size=256m tmpfs "$RUN/tmp"

echo "== operator devnet --demo --data-dir /data/demo (the devnet on loopback; init, keys, wallet, registration, exit)"
LOG="$WORK/demo.log"
: >"$LOG" # emptied before the start: the wait below must not read a previous run's log
# exec: $! is the CLI's own process (env, chroot and sh exec into it), as PID 1 of a container is.
# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
(exec env -i "${IMAGE_ENV[@]}" chroot --userspec="$IMAGE_USER" "$RUN" /bin/sh -c 'cd "$0" && exec "$@"' \
  "$WORKDIR" "${ENTRYPOINT[@]}" devnet --demo --data-dir /data/demo) >"$LOG" 2>&1 &
DEMO_PID=$!
deadline=$(($(date +%s) + DEMO_TIMEOUT_S))
until grep -q "^Done in " "$LOG"; do
  kill -0 "$DEMO_PID" 2>/dev/null || {
    tail -n 40 "$LOG" >&2
    fail "operator devnet --demo exited before its end (log: $LOG)"
  }
  [ "$(date +%s)" -lt "$deadline" ] || {
    tail -n 40 "$LOG" >&2
    fail "operator devnet --demo did not end in ${DEMO_TIMEOUT_S} s (log: $LOG)"
  }
  sleep 1
done
grep -q "\[start/registration\] validators registered count=1" "$LOG" || fail "start logged no registration (log: $LOG)"
grep "Devnet is up\|validators registered\|registered one 0x02\|^Done in" "$LOG" | sed 's/^/   /'

echo "== the image's HEALTHCHECK against the demo's start"
port=$(sed -n 's|.*curl -s http://127.0.0.1:\([0-9]*\)/health.*|\1|p' "$LOG" | head -n 1)
[ -n "$port" ] || fail "the demo printed no /health URL"
IMAGE_ENV+=("METRICS_PORT=$port")
in_image "${HEALTHCHECK[@]}" || fail "the HEALTHCHECK command failed against /health on port $port"
echo "   healthy (port $port)"

echo "== SIGTERM (docker stop): start and the devnet stop"
kill -TERM "$DEMO_PID"
code=0
wait "$DEMO_PID" || code=$?
DEMO_PID=""
[ "$code" = 0 ] || fail "operator devnet --demo exited with $code on SIGTERM"
grep -q "^Devnet stopped." "$LOG" || fail "the devnet did not say it stopped"

bad_owner=$(find "$DATA" ! -user "${IMAGE_USER%%:*}" -print -quit)
[ -z "$bad_owner" ] || fail "$bad_owner is not owned by the image's user"
echo "   files written under /data: $(find "$DATA" -type f | wc -l), all owned by $IMAGE_USER"
echo "smoke test passed"
