#!/usr/bin/env bash
# bench/network.sh: networking on a user-defined bridge network, berthd vs Debian's dockerd, in one run.
# A benchmark, not a test. Measures (medians, bounded loops):
#   start   `docker run --rm --network benchnet busybox true`                (N_RUN, default 20)
#   dns     queries/s to the embedded DNS (127.0.0.11) from inside a running container on benchnet,
#           resolving a peer container's name: sequential (1 in flight) and pipelined (32 in flight),
#           DNS_SECONDS each (default 3). The load generator is the host's python3 run inside the
#           container's network namespace (nsenter --net), so no tool is needed in the image and the
#           measure is the DNS server, not process start-up inside the container.
# Both daemons run in network namespaces of their own (btn2-bench-d, btn2-bench-b): their bridges,
# iptables rules and user networks cannot collide with each other or with any daemon on the host.
# Daemons are started the way bench/run.sh starts them (own sockets and state directories).
# Results: a table on stdout and in bench/results/network-<date>.txt. Everything is removed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
N_RUN="${N_RUN:-20}"; DNS_SECONDS="${DNS_SECONDS:-3}"
DOCKER=/usr/local/bin/docker
BERTHD="${BERTHD:-$here/bin/berthd}"   # another launcher of the same daemon may be given (e.g. a private build)
dstate=/run/btn2-bench-docker; droot=/var/lib/btn2-bench-docker
bstate="$(mktemp -d /tmp/btn2-bench.XXXXXX)"
dsock="unix://$dstate/docker.sock"; bsock="unix://$bstate/berth.sock"
mkdir -p "$here/bench/results"
results="$here/bench/results/network-$(date +%Y%m%d-%H%M%S).txt"
dockerd_pid=""; berthd_pid=""
step() { printf '\n==> %s\n' "$*" >&2; }
export DOCKER_CONFIG="$bstate/docker-config"; mkdir -p "$DOCKER_CONFIG"; echo '{}' > "$DOCKER_CONFIG/config.json"

cleanup() {
  set +e
  step "cleanup"
  for host in "$dsock" "$bsock"; do
    ids="$(DOCKER_HOST="$host" timeout 60 "$DOCKER" ps -aq 2>/dev/null)"
    [[ -n "$ids" ]] && echo "$ids" | xargs -r -n 50 env DOCKER_HOST="$host" timeout 300 "$DOCKER" rm -f >/dev/null 2>&1
    DOCKER_HOST="$host" timeout 60 "$DOCKER" network rm benchnet >/dev/null 2>&1
  done
  for pid in "$berthd_pid" "$dockerd_pid"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "$berthd_pid" "$dockerd_pid"; do
    [[ -n "$pid" ]] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  for d in "$droot" "$dstate" "$bstate"; do
    awk -v s="$d/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$d"
  done
  # Deleting the namespaces deletes every link, address, route and rule the daemons made in them.
  ip netns del btn2-bench-d 2>/dev/null; ip netns del btn2-bench-b 2>/dev/null
}
trap cleanup EXIT

now_ns() { date +%s%N; }
median_ms() {
  local n="$1"; shift
  local times=()
  for _ in $(seq 1 "$n"); do
    local t0; t0="$(now_ns)"
    local err
    err="$("$@" 2>&1 >/dev/null)" || { echo "FAILED: $*: $err" >&2; return 1; }
    times+=($(( ($(now_ns) - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'
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

command -v dockerd >/dev/null || { echo "dockerd missing: run bench/run.sh once (it installs docker.io) or apt-get install docker.io"; exit 1; }
[[ -x "$BERTHD" ]] || { echo "build first: scripts/setup.sh"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed for the DNS load generator"; exit 1; }

for ns in btn2-bench-d btn2-bench-b; do
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"; ip -n "$ns" link set lo up
done

step "starting dockerd on $dsock (netns btn2-bench-d)"
mkdir -p "$dstate" "$droot"
nsenter --net=/run/netns/btn2-bench-d dockerd -H "$dsock" --data-root "$droot" --exec-root "$dstate/exec" \
  --pidfile "$dstate/docker.pid" >"$dstate/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_ping "$dstate/docker.sock" "$dockerd_pid" "$dstate/dockerd.log"

step "starting berthd on $bsock (netns btn2-bench-b)"
nsenter --net=/run/netns/btn2-bench-b "$BERTHD" -H "$bsock" --data-root "$bstate/data" --exec-root "$bstate/exec" \
  --pidfile "$bstate/berthd.pid" >"$bstate/berthd.log" 2>&1 &
berthd_pid=$!
wait_ping "$bstate/berth.sock" "$berthd_pid" "$bstate/berthd.log"

step "loading the busybox image into both"
bash "$here/scripts/make-busybox-image.sh" "$bstate/busybox.tar" busybox:latest >/dev/null
DOCKER_HOST="$dsock" "$DOCKER" load -q -i "$bstate/busybox.tar"
DOCKER_HOST="$bsock" "$DOCKER" load -q -i "$bstate/busybox.tar"
d() { DOCKER_HOST="$dsock" "$DOCKER" "$@"; }
b() { DOCKER_HOST="$bsock" "$DOCKER" "$@"; }
# crun 1.8.1 fails on this host's hybrid cgroups; runc is what both daemons use here.
d network create --subnet 10.124.0.0/24 benchnet >/dev/null
b network create --subnet 10.125.0.0/24 benchnet >/dev/null

step "run --rm on a user-defined network (N=$N_RUN)"
d run --rm --network benchnet busybox true >/dev/null; b run --rm --runtime runc --network benchnet busybox true >/dev/null
start_d="$(median_ms "$N_RUN" d run --rm --network benchnet busybox true)"
start_b="$(median_ms "$N_RUN" b run --rm --runtime runc --network benchnet busybox true)"

step "embedded DNS queries/s (${DNS_SECONDS}s each)"
cat > "$bstate/dnsload.py" <<'PY'
import socket, struct, sys, time, random
server, name, seconds, window = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
def query(qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2.0)
s.connect((server, 53))
ok = 0; sent = 0; inflight = 0; end = time.monotonic() + seconds
while time.monotonic() < end:
    while inflight < window:
        s.send(query(sent & 0xFFFF)); sent += 1; inflight += 1
    try:
        r = s.recv(4096)
    except socket.timeout:
        inflight = 0
        continue
    inflight -= 1
    if len(r) > 7 and (r[3] & 0x0F) == 0 and (r[6] << 8 | r[7]) > 0:
        ok += 1
print(int(ok / seconds))
PY
dnsqps() {  # dnsqps <docker function> <window>
  local pid; pid="$("$1" inspect -f '{{.State.Pid}}' bench-client)"
  nsenter --net="/proc/$pid/ns/net" python3 "$bstate/dnsload.py" 127.0.0.11 bench-peer "$DNS_SECONDS" "$2"
}
for e in d b; do
  rt=(); [[ "$e" == b ]] && rt=(--runtime runc)
  "$e" run -d "${rt[@]}" --name bench-peer --network benchnet busybox sleep 3600 >/dev/null
  "$e" run -d "${rt[@]}" --name bench-client --network benchnet busybox sleep 3600 >/dev/null
  "$e" exec bench-client nslookup bench-peer >/dev/null
done
dns1_d="$(dnsqps d 1)"; dns1_b="$(dnsqps b 1)"
dns32_d="$(dnsqps d 32)"; dns32_b="$(dnsqps b 32)"
dns_threads_b="$(ps -L -p "$(cat "$bstate/berthd.pid" 2>/dev/null || echo "$berthd_pid")" -o comm= | grep -c '^berth-dns' || true)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
  echo "# bench/network.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -r), $(nproc) CPUs"
  printf '%-56s %12s %12s %10s\n' "measure" "dockerd" "berthd" "berth/dock"
  printf '%-56s %10sms %10sms %10s\n' "run --rm --network benchnet busybox true (median, N=$N_RUN)" "$start_d" "$start_b" "$(ratio "$start_b" "$start_d")"
  printf '%-56s %10s/s %10s/s %10s\n' "embedded DNS, 1 query in flight" "$dns1_d" "$dns1_b" "$(ratio "$dns1_b" "$dns1_d")"
  printf '%-56s %10s/s %10s/s %10s\n' "embedded DNS, 32 queries in flight" "$dns32_d" "$dns32_b" "$(ratio "$dns32_b" "$dns32_d")"
  echo "berthd DNS serving threads with 2 containers on benchnet: $dns_threads_b (one selector for all containers)"
} | tee "$results"
echo "results written to $results" >&2
