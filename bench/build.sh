#!/usr/bin/env bash
# bench/build.sh: the same multi-stage classic build (DOCKER_BUILDKIT=0) against berthd and Debian's
# dockerd, cold (--no-cache: every step runs) and warm (nothing changed: every step a cache hit).
# A benchmark, not a test.
#
# The Dockerfile has two independent stages (each COPYs context files and RUNs some real work),
# a final stage that COPYs --from both, ENV/WORKDIR/CMD steps, and a .dockerignore. berthd builds
# the independent stages in parallel; dockerd's classic builder builds them one after another.
# Both daemons run on their own sockets and state directories (berthd from a private copy of the
# build, like bench/run.sh); the runs alternate (d, b, d, b, …) so machine load hits both alike.
# Prints medians and the berthd/dockerd ratio, and writes bench/results/build-<date>.txt.
# Knobs: N_COLD (default 5), N_WARM (default 11), WORK_MB (MB gzipped per stage RUN, default 24),
#        BERTHD_HOME (another build tree), BERTHD_EXTRA_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export DOCKER_BUILDKIT=0
N_COLD="${N_COLD:-5}"; N_WARM="${N_WARM:-11}"; WORK_MB="${WORK_MB:-24}"
DOCKER=/usr/local/bin/docker
dstate=/run/bbuild-docker; droot=/var/lib/bbuild-docker; bridge=bbuild-dock0
bstate="$(mktemp -d /tmp/bbuild.XXXXXX)"  # short: conmon socket paths must fit in 108 bytes
dsock="unix://$dstate/docker.sock"; bsock="unix://$bstate/berth.sock"
mkdir -p "$here/bench/results"
results="$here/bench/results/build-$(date +%Y%m%d-%H%M%S).txt"
dockerd_pid=""; berthd_pid=""
step() { printf '\n==> %s\n' "$*" >&2; }
export DOCKER_CONFIG="$bstate/docker-config"; mkdir -p "$DOCKER_CONFIG"; echo '{}' > "$DOCKER_CONFIG/config.json"

cleanup() {
  set +e
  step "cleanup"
  for pid in "$berthd_pid" "$dockerd_pid"; do [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; done
  for pid in "$berthd_pid" "$dockerd_pid"; do
    [[ -n "$pid" ]] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  for d in "$droot" "$dstate" "$bstate"; do
    awk -v s="$d/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$d"
  done
  ip link show "$bridge" >/dev/null 2>&1 && ip link del "$bridge"
  for t in filter nat; do
    iptables -t "$t" -S 2>/dev/null | grep -- "$bridge" | sed 's/^-A /-D /' | while read -r rule; do
      eval "iptables -t $t $rule" 2>/dev/null
    done
  done
}
trap cleanup EXIT

d() { DOCKER_HOST="$dsock" "$DOCKER" "$@"; }
b() { DOCKER_HOST="$bsock" "$DOCKER" "$@"; }
now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }
# paired N args...: runs "d args" and "b args" alternately N times; sets pd and pb (medians, ms).
paired() {
  local n="$1"; shift
  local td=() tb=() t0
  for _ in $(seq 1 "$n"); do
    t0="$(now_ns)"; d "$@" >"$bstate/out-d.txt" 2>&1 || { echo "FAILED (dockerd): $*" >&2; tail -20 "$bstate/out-d.txt" >&2; return 1; }
    td+=($(( ($(now_ns) - t0) / 1000000 )))
    t0="$(now_ns)"; b "$@" >"$bstate/out-b.txt" 2>&1 || { echo "FAILED (berthd): $*" >&2; tail -20 "$bstate/out-b.txt" >&2; return 1; }
    tb+=($(( ($(now_ns) - t0) / 1000000 )))
  done
  pd="$(printf '%s\n' "${td[@]}" | median)"; pb="$(printf '%s\n' "${tb[@]}" | median)"
}
wait_ping() {
  local sock="$1" pid="$2" log="$3"
  for _ in $(seq 1 300); do
    curl -s --unix-socket "$sock" http://x/_ping 2>/dev/null | grep -q OK && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "daemon did not answer on $sock"; tail -30 "$log"; return 1
}

step "installing Debian docker.io if missing"
if ! command -v dockerd >/dev/null; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
[[ -x "$here/bin/berthd" ]] || { echo "build first: mvn -B -q -DskipTests install"; exit 1; }

step "starting dockerd on $dsock"
mkdir -p "$dstate" "$droot"
ip link show "$bridge" >/dev/null 2>&1 || { ip link add "$bridge" type bridge; ip addr add 10.124.0.1/24 dev "$bridge"; ip link set "$bridge" up; }
dockerd -H "$dsock" --data-root "$droot" --exec-root "$dstate/exec" --pidfile "$dstate/docker.pid" \
  --bridge "$bridge" >"$dstate/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_ping "$dstate/docker.sock" "$dockerd_pid" "$dstate/dockerd.log"

step "starting berthd on $bsock"
mkdir -p "$bstate/app/bin" "$bstate/app/daemon/target"
bhome="${BERTHD_HOME:-$here}"
cp "$bhome/bin/berthd" "$bstate/app/bin/"
cp -r "$bhome/daemon/target/lib" "$bhome"/daemon/target/berth-daemon-*.jar "$bstate/app/daemon/target/"
rm -f "$bstate"/app/daemon/target/*-tests.jar "$bstate"/app/daemon/target/*-sources.jar
"$bstate/app/bin/berthd" -H "$bsock" --data-root "$bstate/data" --exec-root "$bstate/exec" --pidfile "$bstate/berthd.pid" \
  ${BERTHD_EXTRA_ARGS:-} >"$bstate/berthd.log" 2>&1 &
berthd_pid=$!
wait_ping "$bstate/berth.sock" "$berthd_pid" "$bstate/berthd.log"

step "loading the busybox image into both"
bash "$here/scripts/make-busybox-image.sh" "$bstate/busybox.tar" busybox:latest >/dev/null
d load -q -i "$bstate/busybox.tar"
b load -q -i "$bstate/busybox.tar"

ctx="$bstate/ctx"; mkdir -p "$ctx/src"
for i in $(seq 1 50); do head -c 4096 /dev/urandom | base64 > "$ctx/src/f$i.txt"; done
echo "not sent" > "$ctx/ignored.log"; echo '*.log' > "$ctx/.dockerignore"
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM busybox AS left
COPY src/ /src/
RUN dd if=/dev/urandom bs=1M count=$WORK_MB 2>/dev/null | gzip -1 > /left.gz && cat /src/* | sha256sum > /left.sum

FROM busybox AS right
ARG N=2000
COPY src/ /src/
RUN dd if=/dev/urandom bs=1M count=$WORK_MB 2>/dev/null | gzip -1 > /right.gz && i=0; while [ \$i -lt \$N ]; do i=\$((i+1)); done; echo \$i > /right.n

FROM busybox
ENV APP=/app
WORKDIR /app
COPY --from=left /left.sum ./
COPY --from=right /right.n ./
COPY src/f1.txt ./
CMD ["cat", "left.sum", "right.n"]
DOCKERFILE

step "warm-up (one cold build each; checks the result runs)"
d build -q -t bbuild:1 "$ctx" >/dev/null; b build -q -t bbuild:1 "$ctx" >/dev/null
d run --rm bbuild:1 >/dev/null; b run --rm bbuild:1 >/dev/null

step "cold: build --no-cache (N=$N_COLD, alternating)"
paired "$N_COLD" build --no-cache -t bbuild:1 "$ctx"; cold_d="$pd"; cold_b="$pb"
step "warm: build with nothing changed (N=$N_WARM, alternating)"
paired "$N_WARM" build -t bbuild:1 "$ctx"; warm_d="$pd"; warm_b="$pb"
hits_d="$(grep -c 'Using cache' "$bstate/out-d.txt" || true)"; hits_b="$(grep -c 'Using cache' "$bstate/out-b.txt" || true)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
  echo "Berth build benchmark $(date -Is) on $(uname -r), $(nproc) CPUs (classic builder, DOCKER_BUILDKIT=0)"
  echo "dockerd: $(dockerd --version 2>/dev/null)"
  echo "multi-stage: 2 independent stages (COPY 50 files, RUN ${WORK_MB} MB dd|gzip each) + final stage (ENV, WORKDIR, 3 COPY, CMD)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-44s %10s %10s %10s\n' "measure (median)" "dockerd" "berthd" "berth/dock"
  printf '%-44s %8sms %8sms %10s\n' "cold: build --no-cache (N=$N_COLD)" "$cold_d" "$cold_b" "$(ratio "$cold_b" "$cold_d")"
  printf '%-44s %8sms %8sms %10s\n' "warm: rebuild, nothing changed (N=$N_WARM)" "$warm_d" "$warm_b" "$(ratio "$warm_b" "$warm_d")"
  echo "cache hits in the last warm build: dockerd $hits_d, berthd $hits_b"
} | tee "$results"
echo "results written to $results" >&2
