#!/usr/bin/env bash
# The container test (not part of `npm test`: it needs root and podman, and takes minutes).
# Builds the image from the Dockerfile and the files of this checkout, on local Debian bases
# (make-bases.sh; no registry needed), runs it with a fresh data volume, waits for /health,
# registers an app with the CLI inside the container, sends a batch and reads it back through the
# datacube API, fetches the SDK it serves, takes a hot backup, restarts the container (the data
# must persist), restores the backup into a second data directory and reads the batch back from a
# second container on it.
# Prints the figures it measured.
#   scripts/container/test.sh            (root; apt-get install -y podman debootstrap runc curl first)
#   NO_CACHE=1 scripts/container/test.sh (a build from nothing: no layer cache)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/container/podman-env.sh

IMAGE=localhost/miniscope:test
NAME=miniscope-test
VOLUME=miniscope-test-data
PORT=${PORT:-3990}
BASE_URL=http://127.0.0.1:$PORT
APPID=wx0000000000c0ffee
declare -A fig

now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
cli() { podman exec "$NAME" miniscope "$@"; }
# podman 4.3 schedules the image's periodic health check with systemd timers, which this machine
# lacks, and says so on every run, start and stop; `podman healthcheck run` below runs the check.
quiet() { "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
# Until GET /health answers 200; fails at once, with the log, if the container stops.
wait_health() {
  local started
  started=$(now_ms)
  until curl -sf -o /dev/null "$2/health"; do
    [ "$(podman inspect "$1" --format '{{.State.Running}}')" = true ] ||
      { echo "$1 stopped before /health answered:"; podman logs "$1" 2>&1 | tail -20; exit 1; }
    [ $(($(now_ms) - started)) -lt 180000 ] || { echo "no /health from $1 within 180 s"; exit 1; }
    sleep 0.1
  done
}
smoke() { node scripts/container/smoke.mjs "$@"; }
cleanup() {
  podman rm -f "$NAME" "$NAME-restored" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

scripts/container/make-bases.sh

echo "== build"
t=$(now_ms)
podman build --format docker --network host ${NO_CACHE:+--no-cache} \
  --build-arg BASE="$RUN_BASE_IMAGE" --build-arg BUILD_BASE="$BUILD_BASE_IMAGE" -t "$IMAGE" . \
  >"$CONTAINER_WORK/build.log" 2>&1 || { tail -40 "$CONTAINER_WORK/build.log"; exit 1; }
fig[build]=$(secs $(($(now_ms) - t)))
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
fig[size]="$((size / 1000000)) MB (base $(($(podman image inspect "$RUN_BASE_IMAGE" --format '{{.Size}}') / 1000000)) MB)"
fig[healthcheck]=$(podman image inspect "$IMAGE" --format '{{json .Config.Healthcheck.Test}}' | cut -c1-60)…
fig[compressed]="$(($(podman save --format docker-archive "$IMAGE" 2>/dev/null | gzip -1 | wc -c) / 1000000)) MB"

echo "== run"
podman volume create "$VOLUME" >/dev/null
t=$(now_ms)
quiet podman run -d --name "$NAME" --network host -e PORT="$PORT" -v "$VOLUME:/data" "$IMAGE" >/dev/null
wait_health "$NAME" "$BASE_URL"
fig[health]=$(secs $(($(now_ms) - t)))
podman healthcheck run "$NAME" && fig[healthcheck_run]=healthy
fig[user]=$(podman exec "$NAME" id -un):$(podman exec "$NAME" id -u)

echo "== register an app, send a batch, read it back"
cli user add --wechat-id container_admin --name "Container admin" --admin >/dev/null
secret=$(cli app add --appid "$APPID" --name "容器测试" --admin container_admin --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).secret')
smoke send "$BASE_URL" "$APPID"
expected='{"session_cnt":1,"visit_pv":1,"visit_uv":1}'
got=$(smoke read "$BASE_URL" "$APPID" "$secret")
[ "$got" = "$expected" ] || { echo "read back $got, expected $expected"; exit 1; }
fig[readback]=$got
# The SDK the 接入指南 links to, from the image's built copy.
sdk_bytes=$(curl -sf "$BASE_URL/sdk/miniscope.js" | wc -c)
[ "$sdk_bytes" -gt 1000 ] || { echo "GET /sdk/miniscope.js answered $sdk_bytes bytes"; exit 1; }
fig[sdk]="$sdk_bytes bytes"

echo "== hot backup, then restart"
t=$(now_ms)
cli backup --to /data/backups/b1
fig[backup]=$(secs $(($(now_ms) - t)))
t=$(now_ms)
quiet podman stop -t 60 "$NAME" >/dev/null
fig[stop]=$(secs $(($(now_ms) - t)))
code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || { echo "the server exited with $code on SIGTERM"; podman logs "$NAME" | tail -20; exit 1; }
fig[stop]="${fig[stop]}, exit code $code (SIGTERM: queued events written, store closed)"
quiet podman start "$NAME" >/dev/null
wait_health "$NAME" "$BASE_URL"
got=$(smoke read "$BASE_URL" "$APPID" "$secret")
[ "$got" = "$expected" ] || { echo "after a restart: $got, expected $expected"; exit 1; }

echo "== restore into a second data directory, read it from a second container"
t=$(now_ms)
cli restore --from /data/backups/b1 --data-dir /data/restored
fig[restore]=$(secs $(($(now_ms) - t)))
quiet podman run -d --name "$NAME-restored" --network host -e PORT=$((PORT + 1)) -e MINISCOPE_DATA_DIR=/data/restored \
  -v "$VOLUME:/data" "$IMAGE" >/dev/null
wait_health "$NAME-restored" "http://127.0.0.1:$((PORT + 1))"
got=$(smoke read "http://127.0.0.1:$((PORT + 1))" "$APPID" "$secret")
[ "$got" = "$expected" ] || { echo "restored: $got, expected $expected"; exit 1; }

echo
echo "Container test passed ($(podman --version), $(runc --version | head -1))."
printf '  %-16s %s\n' \
  "build" "${fig[build]} ($(grep -c ' Using cache ' "$CONTAINER_WORK/build.log" || true) steps from the layer cache)" \
  "image size" "${fig[size]}; ${fig[compressed]} as a gzip'd archive" \
  "to /health" "${fig[health]} after podman run" \
  "HEALTHCHECK" "${fig[healthcheck_run]:-?} ${fig[healthcheck]}" \
  "runs as" "${fig[user]}" \
  "read back" "${fig[readback]}" \
  "SDK served" "${fig[sdk]}" \
  "hot backup" "${fig[backup]} (miniscope backup in the running container)" \
  "podman stop" "${fig[stop]}" \
  "restore" "${fig[restore]}"
