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
# Daemons are started by bench/lib.sh, as for bench/run.sh (own sockets and state directories).
# Results: a table on stdout and in bench/results/network-<date>.txt. Everything is removed at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N_RUN="${N_RUN:-20}"; DNS_SECONDS="${DNS_SECONDS:-3}"
BERTHD="${BERTHD:-$here/bin/berthd}"   # another launcher of the same daemon may be given (e.g. a private build)
dstate=/run/btn2-bench-docker; droot=/var/lib/btn2-bench-docker
bridge=""   # dockerd makes its default bridge inside its own network namespace
netns_d=btn2-bench-d; netns_b=btn2-bench-b
bench_setup /tmp/btn2-bench.XXXXXX network-

bench_cleanup_engine() { DOCKER_HOST="$1" timeout 60 "$DOCKER" network rm benchnet >/dev/null 2>&1; }
# Deleting the namespaces deletes every link, address, route and rule the daemons made in them.
bench_cleanup_extra() { ip netns del "$netns_d" 2>/dev/null; ip netns del "$netns_b" 2>/dev/null; }

command -v dockerd >/dev/null || { echo "dockerd missing: run bench/run.sh once (it installs docker.io) or apt-get install docker.io"; exit 1; }
[[ -x "$BERTHD" ]] || { echo "build first: scripts/setup.sh"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed for the DNS load generator"; exit 1; }

for ns in "$netns_d" "$netns_b"; do
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"; ip -n "$ns" link set lo up
done

bench_start_dockerd
bench_start_berthd "$BERTHD"
bench_load_busybox
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

{
  echo "# bench/network.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -r), $(nproc) CPUs"
  printf '%-56s %12s %12s %10s\n' "measure" "dockerd" "berthd" "berth/dock"
  printf '%-56s %10sms %10sms %10s\n' "run --rm --network benchnet busybox true (median, N=$N_RUN)" "$start_d" "$start_b" "$(ratio "$start_b" "$start_d")"
  printf '%-56s %10s/s %10s/s %10s\n' "embedded DNS, 1 query in flight" "$dns1_d" "$dns1_b" "$(ratio "$dns1_b" "$dns1_d")"
  printf '%-56s %10s/s %10s/s %10s\n' "embedded DNS, 32 queries in flight" "$dns32_d" "$dns32_b" "$(ratio "$dns32_b" "$dns32_d")"
  echo "berthd DNS serving threads with 2 containers on benchnet: $dns_threads_b (one selector for all containers)"
} | bench_write_results
