# bench/lib.sh: infrastructure shared by the engine benchmarks (bench/run.sh, network.sh, build.sh,
# pull.sh). Sourced, not run. Each script sources it, sets its own names, calls bench_setup, starts the
# daemons with bench_start_dockerd / bench_start_berthd* and keeps only its own measurements.
#
# On source it sets:
#   here            the repository root (parent of bench/)
#   JAVA_HOME       exported; default /usr/lib/jvm/temurin-25-jdk-amd64
#   DOCKER          the docker CLI used for both engines (/usr/local/bin/docker; DOCKER_HOST picks one)
#   dockerd_pid, berthd_pid, extra_pids   empty; set by the start functions (extra_pids: a script's
#                   own background processes, space separated, e.g. pull.sh's registry)
#
# Variables the script sets BEFORE calling bench_setup:
#   dstate, droot   dockerd's exec/state dir (socket, pidfile, log) and data root, e.g. /run/bench-docker
#   bridge          bridge dockerd uses (created by bench_start_dockerd, deleted with its iptables rules
#                   by the clean-up); empty: dockerd makes its default bridge (only sane in a netns)
#   bridge_cidr     address of that bridge, e.g. 10.123.0.1/24
#   netns_d, netns_b  optional: names of network namespaces (under /run/netns, created by the script)
#                   that dockerd / berthd are started in with nsenter; empty or unset: the host's
#
# Functions:
#   step MSG...              prints "==> MSG" to stderr
#   bench_setup TEMPLATE RESULTS_PREFIX
#                            creates bstate (mktemp -d TEMPLATE; keep it short: conmon socket paths must
#                            fit in 108 bytes), sets dsock/bsock (unix:// URLs of both sockets) and
#                            results (bench/results/<RESULTS_PREFIX><date>.txt), sets up an empty
#                            DOCKER_CONFIG under bstate, and installs bench_cleanup as the EXIT trap
#   bench_cleanup            (EXIT trap) removes all containers on both engines, TERMs then KILLs
#                            berthd, dockerd and extra_pids (20 s grace each), unmounts and deletes
#                            droot, dstate and bstate, deletes $bridge and dockerd's iptables rules
#                            that name it (filter and nat). Calls two hooks a script may redefine:
#                              bench_cleanup_engine DOCKER_HOST_URL  per engine, after its containers
#                                                                    are removed (e.g. test networks)
#                              bench_cleanup_extra                   at the very end (e.g. netns)
#   bench_install_dockerd    installs Debian's docker.io if dockerd is missing (without letting the
#                            package start a system dockerd)
#   wait_ping SOCK PID LOG   waits (up to 60 s) for /_ping on the unix socket SOCK; fails with the
#                            tail of LOG if PID exits or the daemon does not answer
#   bench_start_dockerd      starts Debian's dockerd on $dsock with data root $droot, exec root
#                            $dstate/exec and $bridge (created if missing), in $netns_d if set; sets
#                            dockerd_pid; waits for /_ping
#   bench_start_berthd LAUNCHER [ARGS...]
#                            starts berthd (LAUNCHER, e.g. bin/berthd) on $bsock with data root
#                            $bstate/data and exec root $bstate/exec, extra ARGS, in $netns_b if set;
#                            sets berthd_pid; waits for /_ping
#   bench_start_berthd_copy [ARGS...]
#                            the same from a private copy in $bstate/app of ${BERTHD_HOME:-$here}
#                            (bin/berthd, daemon/target/{lib,berth-daemon-*.jar,berthd.jsa}), so a
#                            concurrent `mvn package` cannot swap classes under the running daemon
#   bench_load_busybox       builds the busybox image (scripts/make-busybox-image.sh) and loads it
#                            into both engines
#   d ARGS..., b ARGS...     the docker CLI against dockerd / berthd
#   now_ns                   wall clock in ns
#   median                   median of the numbers on stdin (one a line)
#   median_ms N CMD...       runs CMD N times, prints the median wall time in ms (fails on a failure)
#   paired N ARGS...         runs "d ARGS" and "b ARGS" alternately N times (so machine load hits both
#                            alike); sets pd and pb (median ms). The last outputs are kept in
#                            $bstate/out-d.txt and $bstate/out-b.txt (their tail is shown on failure)
#   ratio A B                prints A/B with 2 decimals ("n/a" if B is 0)
#   bench_write_results [-a] tees stdin (the result table) to $results (-a: append), then says where

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DOCKER=/usr/local/bin/docker
dockerd_pid=""; berthd_pid=""; extra_pids=""

step() { printf '\n==> %s\n' "$*" >&2; }

bench_setup() {
  local template="$1" prefix="$2"
  bstate="$(mktemp -d "$template")"
  dsock="unix://$dstate/docker.sock"; bsock="unix://$bstate/berth.sock"
  mkdir -p "$here/bench/results"
  results="$here/bench/results/${prefix}$(date +%Y%m%d-%H%M%S).txt"
  export DOCKER_CONFIG="$bstate/docker-config"; mkdir -p "$DOCKER_CONFIG"; echo '{}' > "$DOCKER_CONFIG/config.json"
  trap bench_cleanup EXIT
}

bench_cleanup_engine() { :; }
bench_cleanup_extra() { :; }

bench_cleanup() {
  set +e
  step "cleanup"
  local host ids pid d t rule
  for host in "$dsock" "$bsock"; do
    ids="$(DOCKER_HOST="$host" timeout 60 "$DOCKER" ps -aq 2>/dev/null)"
    [[ -n "$ids" ]] && echo "$ids" | xargs -r -n 50 env DOCKER_HOST="$host" timeout 300 "$DOCKER" rm -f >/dev/null 2>&1
    bench_cleanup_engine "$host"
  done
  for pid in "$berthd_pid" "$dockerd_pid" $extra_pids; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "$berthd_pid" "$dockerd_pid" $extra_pids; do
    [[ -n "$pid" ]] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  for d in "$droot" "$dstate" "$bstate"; do
    [[ -n "$d" ]] || continue
    awk -v s="$d/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$d"
  done
  if [[ -n "${bridge:-}" ]]; then
    ip link show "$bridge" >/dev/null 2>&1 && ip link del "$bridge"
    # dockerd leaves its iptables rules behind; remove only the ones for this run's bridge
    for t in filter nat; do
      iptables -t "$t" -S 2>/dev/null | grep -- "$bridge" | sed 's/^-A /-D /' | while read -r rule; do
        eval "iptables -t $t $rule" 2>/dev/null
      done
    done
  fi
  bench_cleanup_extra
}

bench_install_dockerd() {
  if ! command -v dockerd >/dev/null; then
    # Do not let the package start a system dockerd: the benchmarks run their own.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    rm -f /usr/sbin/policy-rc.d
  fi
}

wait_ping() {
  local sock="$1" pid="$2" log="$3"
  for _ in $(seq 1 300); do
    curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "daemon exited:"; tail -30 "$log"; return 1; }
    sleep 0.2
  done
  echo "daemon did not answer on $sock"; tail -30 "$log"; return 1
}

# _bench_in_netns NAME CMD...: runs CMD in network namespace NAME (or here if NAME is empty), via exec
# so that the caller's $! is the command's pid.
_bench_in_netns() {
  local ns="$1"; shift
  if [[ -n "$ns" ]]; then exec nsenter --net="/run/netns/$ns" "$@"; else exec "$@"; fi
}

bench_start_dockerd() {
  step "starting dockerd on $dsock${netns_d:+ (netns $netns_d)}"
  mkdir -p "$dstate" "$droot"
  local bridge_args=()
  if [[ -n "${bridge:-}" ]]; then
    ip link show "$bridge" >/dev/null 2>&1 || { ip link add "$bridge" type bridge; ip addr add "$bridge_cidr" dev "$bridge"; ip link set "$bridge" up; }
    bridge_args=(--bridge "$bridge")
  fi
  (_bench_in_netns "${netns_d:-}" dockerd -H "$dsock" --data-root "$droot" --exec-root "$dstate/exec" \
    --pidfile "$dstate/docker.pid" "${bridge_args[@]}") >"$dstate/dockerd.log" 2>&1 &
  dockerd_pid=$!
  wait_ping "$dstate/docker.sock" "$dockerd_pid" "$dstate/dockerd.log"
}

bench_start_berthd() {
  local launcher="$1"; shift
  step "starting berthd on $bsock${netns_b:+ (netns $netns_b)}"
  (_bench_in_netns "${netns_b:-}" "$launcher" -H "$bsock" --data-root "$bstate/data" --exec-root "$bstate/exec" \
    --pidfile "$bstate/berthd.pid" "$@") >"$bstate/berthd.log" 2>&1 &
  berthd_pid=$!
  wait_ping "$bstate/berth.sock" "$berthd_pid" "$bstate/berthd.log"
}

bench_start_berthd_copy() {
  local bhome="${BERTHD_HOME:-$here}"   # a tree (or copy) holding bin/berthd and daemon/target/{lib,berth-daemon-*.jar}
  mkdir -p "$bstate/app/bin" "$bstate/app/daemon/target"
  cp "$bhome/bin/berthd" "$bstate/app/bin/"
  cp -r "$bhome/daemon/target/lib" "$bhome"/daemon/target/berth-daemon-*.jar "$bstate/app/daemon/target/"
  rm -f "$bstate"/app/daemon/target/*-tests.jar "$bstate"/app/daemon/target/*-sources.jar
  [[ -f "$bhome/daemon/target/berthd.jsa" ]] && cp "$bhome/daemon/target/berthd.jsa" "$bstate/app/daemon/target/"
  bench_start_berthd "$bstate/app/bin/berthd" "$@"
}

bench_load_busybox() {
  step "loading the busybox image into both"
  bash "$here/scripts/make-busybox-image.sh" "$bstate/busybox.tar" busybox:latest >/dev/null
  DOCKER_HOST="$dsock" "$DOCKER" load -q -i "$bstate/busybox.tar"
  DOCKER_HOST="$bsock" "$DOCKER" load -q -i "$bstate/busybox.tar"
}

d() { DOCKER_HOST="$dsock" "$DOCKER" "$@"; }
b() { DOCKER_HOST="$bsock" "$DOCKER" "$@"; }

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }

median_ms() {
  local n="$1"; shift
  local times=() t0 err
  for _ in $(seq 1 "$n"); do
    t0="$(now_ns)"
    err="$("$@" 2>&1 >/dev/null)" || { echo "FAILED: $*: $err" >&2; return 1; }
    times+=($(( ($(now_ns) - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | median
}

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

# blocks ROUNDS N CMD...: ROUNDS rounds of N runs of CMD on dockerd, then N on berthd, each block
# after a pause of BLOCK_PAUSE seconds (default 2.5); sets pd/pb to the medians over all runs.
# For commands whose speed depends on host-wide kernel state that one engine's work changes for
# the other: berthd keeps the cgroup v1 migration fast path open for 2 s after an exec or create
# (runtime CgroupAttachWarmup), which made dockerd's runc execs faster too when the two alternated
# run by run. In blocks each engine meets the kernel as it would alone, and the rounds still spread
# load from the rest of the machine over both.
blocks() {
  local rounds="$1" n="$2"; shift 2
  local td=() tb=() t0
  for _ in $(seq 1 "$rounds"); do
    sleep "${BLOCK_PAUSE:-2.5}"
    for _ in $(seq 1 "$n"); do
      t0="$(now_ns)"; d "$@" >"$bstate/out-d.txt" 2>&1 || { echo "FAILED (dockerd): $*" >&2; tail -20 "$bstate/out-d.txt" >&2; return 1; }
      td+=($(( ($(now_ns) - t0) / 1000000 )))
    done
    sleep "${BLOCK_PAUSE:-2.5}"
    for _ in $(seq 1 "$n"); do
      t0="$(now_ns)"; b "$@" >"$bstate/out-b.txt" 2>&1 || { echo "FAILED (berthd): $*" >&2; tail -20 "$bstate/out-b.txt" >&2; return 1; }
      tb+=($(( ($(now_ns) - t0) / 1000000 )))
    done
  done
  pd="$(printf '%s\n' "${td[@]}" | median)"; pb="$(printf '%s\n' "${tb[@]}" | median)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

bench_write_results() {
  local mode=()
  [[ "${1:-}" == -a ]] && mode=(-a)
  tee "${mode[@]}" "$results"
  echo "results written to $results" >&2
}
