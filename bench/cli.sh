#!/usr/bin/env bash
# bench/cli.sh: wall time of the berth CLI next to the docker CLI, both against the SAME engine.
# Measures `version`, `ps` and `run --rm busybox true` (alternating berth, docker, berth, …;
# bounded loops), prints medians and the berth/docker ratio. A benchmark, not a test.
#   ENGINE_HOST   engine to use (default: start a private berthd from this tree on a temp socket)
#   N             iterations per command (default 20; run uses N/2)
# Target (issue): berth version ≤ 150 ms wall; berth version/ps not slower than docker's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
N="${N:-20}"
DOCKER=/usr/local/bin/docker
BERTH="$here/bin/berth"
state=""; berthd_pid=""
cleanup() {
  set +e
  if [[ -n "$berthd_pid" ]]; then
    kill -TERM "$berthd_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$berthd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$berthd_pid" 2>/dev/null
  fi
  if [[ -n "$state" ]]; then
    awk -v s="$state/" '$2 ~ "^"s {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$state" "/run/bcli-$$"
  fi
}
trap cleanup EXIT
if [[ -z "${ENGINE_HOST:-}" ]]; then
  state="$(mktemp -d /tmp/bcli.XXXXXX)"
  # private copy of the daemon build, so a concurrent `mvn package` cannot swap classes under it
  mkdir -p "$state/snap/daemon/target"
  cp -r "$here/bin" "$state/snap/"
  cp -r "$here/daemon/target/lib" "$here"/daemon/target/berth-daemon-*.jar "$state/snap/daemon/target/"
  "$state/snap/bin/berthd" -H "unix://$state/d.sock" --data-root "$state/dr" --exec-root "/run/bcli-$$" \
      >"$state/berthd.log" 2>&1 &
  berthd_pid=$!
  for _ in $(seq 1 300); do [[ -S "$state/d.sock" ]] && break; sleep 0.1; done
  ENGINE_HOST="unix://$state/d.sock"
  bash "$here/scripts/make-busybox-image.sh" "$state/bb.tar" >/dev/null 2>&1
  DOCKER_HOST="$ENGINE_HOST" "$DOCKER" load -i "$state/bb.tar" >/dev/null
fi
export DOCKER_HOST="$ENGINE_HOST" BERTH_HOST="$ENGINE_HOST"
export DOCKER_CONFIG="${state:-/tmp}/bcli-docker-config"; mkdir -p "$DOCKER_CONFIG"
"$BERTH" version >/dev/null 2>&1 || true   # builds the AOT cache on first use

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-28s %10s %10s %8s\n' "command (N)" "berth ms" "docker ms" "ratio"
bench() {
  local label="$1" n="$2"; shift 2
  local b=() d=()
  for _ in $(seq 1 "$n"); do
    b+=("$(ms "$BERTH" "$@")"); d+=("$(ms "$DOCKER" "$@")")
  done
  local bm dm
  bm=$(printf '%s\n' "${b[@]}" | median); dm=$(printf '%s\n' "${d[@]}" | median)
  printf '%-28s %10s %10s %8s\n' "$label ($n)" "$bm" "$dm" "$(awk -v b="$bm" -v d="$dm" 'BEGIN {printf "%.2f", (d > 0 ? b / d : 0)}')"
}
bench "version" "$N" version
bench "ps" "$N" ps
bench "ps -a" "$N" ps -a
bench "run --rm busybox true" "$(( (N + 1) / 2 ))" run --rm busybox true
