#!/usr/bin/env bash
# bench/pull.sh: `docker pull` of a ~200 MB 4-layer image from a local registry, berthd vs Debian's
# dockerd, on this machine. A benchmark, not a test.
#
# Generates an image of LAYERS layers of LAYER_MB MB of random bytes each (incompressible, so the
# registry blobs are as large as the layers), serves it from Berth's own registry
# (dev.berth.registry.RegistryMain) on a free loopback port, pushes it there once from berthd, then
# for each engine runs N times: rmi (store empty again) + `docker pull`, timing the pull.
# Prints the median per engine and the ratio berthd/dockerd; appends to bench/results/pull-<date>.txt.
# Knobs: N (default 3), LAYERS (4), LAYER_MB (50), BERTHD (launcher, default bin/berthd),
#        BERTHD_EXTRA_ARGS, BERTHD_JAVA_OPTS. Everything is cleaned up at the end.
# Note: a pull is SHA-256 bound (blob verify, diff id, content store). bin/berthd runs C1 only
# (-XX:TieredStopAtLevel=1), which has no SHA-256 intrinsic: measured 2026-11-30 on this 2-core VM,
# 4x50 MB: dockerd 1.6 s, berthd 4.6 s (ratio 2.8); with BERTHD_JAVA_OPTS=-XX:TieredStopAtLevel=4
# (C2, SHA-NI intrinsic) dockerd 1.37 s, berthd 1.46 s (ratio 1.07).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
N="${N:-3}"; LAYERS="${LAYERS:-4}"; LAYER_MB="${LAYER_MB:-50}"
BERTHD="${BERTHD:-$here/bin/berthd}"
DOCKER=/usr/local/bin/docker
dstate=/run/bench-pull-docker; droot=/var/lib/bench-pull-docker
bstate="$(mktemp -d /tmp/bpull.XXXXXX)"   # short: conmon socket paths must fit in 108 bytes
dsock="unix://$dstate/docker.sock"; bsock="unix://$bstate/berth.sock"
mkdir -p "$here/bench/results"
results="$here/bench/results/pull-$(date +%Y%m%d-%H%M%S).txt"
dockerd_pid=""; berthd_pid=""; registry_pid=""
step() { printf '\n==> %s\n' "$*" >&2; }
export DOCKER_CONFIG="$bstate/docker-config"; mkdir -p "$DOCKER_CONFIG"; echo '{}' > "$DOCKER_CONFIG/config.json"

cleanup() {
  set +e
  step "cleanup"
  for pid in "$berthd_pid" "$dockerd_pid" "$registry_pid"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "$berthd_pid" "$dockerd_pid" "$registry_pid"; do
    [[ -n "$pid" ]] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  for d in "$droot" "$dstate" "$bstate"; do
    awk -v s="$d/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf --one-file-system "$d"
  done
  ip link show bench-pull0 >/dev/null 2>&1 && ip link del bench-pull0
}
trap cleanup EXIT

now_ns() { date +%s%N; }
wait_ping() {
  local sock="$1" pid="$2" log="$3"
  for _ in $(seq 1 300); do
    curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "daemon exited:"; tail -30 "$log"; return 1; }
    sleep 0.2
  done
  echo "daemon did not answer on $sock"; tail -30 "$log"; return 1
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }

step "checking prerequisites"
if ! command -v dockerd >/dev/null; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
[[ -x "$BERTHD" ]] || { echo "build first: mvn -B -q -DskipTests package"; exit 1; }
regjar="$(ls "$here"/registry/target/berth-registry-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)"
[[ -n "$regjar" ]] || regjar="$HOME/.m2/repository/dev/berth/berth-registry/0.1.0-SNAPSHOT/berth-registry-0.1.0-SNAPSHOT.jar"
(cd "$here" && mvn -B -q -o dependency:build-classpath -pl registry -Dmdep.outputFile="$bstate/registry.cp" >/dev/null)

step "generating a $LAYERS-layer image of $LAYER_MB MB random layers"
python3 - "$bstate/big.tar" "$LAYERS" "$LAYER_MB" <<'PY'
import hashlib, io, json, os, sys, tarfile
out, layers, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
diff_ids, entries = [], []
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as archive:
    for i in range(layers):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
            data = os.urandom(mb << 20)
            info = tarfile.TarInfo(f"data/layer{i}.bin"); info.size = len(data); info.mtime = 0; info.mode = 0o644
            d = tarfile.TarInfo("data"); d.type = tarfile.DIRTYPE; d.mode = 0o755; d.mtime = 0
            t.addfile(d); t.addfile(info, io.BytesIO(data))
        raw = buf.getvalue()
        h = hashlib.sha256(raw).hexdigest()
        diff_ids.append("sha256:" + h)
        info = tarfile.TarInfo(f"{h}/layer.tar"); info.size = len(raw); info.mtime = 0
        archive.addfile(info, io.BytesIO(raw)); entries.append(f"{h}/layer.tar")
    config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
                         "config": {"Cmd": ["/bin/true"]},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "history": [{"created": "2024-01-01T00:00:00Z", "created_by": f"layer {i}"} for i in range(layers)]},
                        separators=(",", ":")).encode()
    ch = hashlib.sha256(config).hexdigest()
    for name, body in ((f"{ch}.json", config),
                       ("manifest.json", json.dumps([{"Config": f"{ch}.json", "RepoTags": ["bench/big:1"], "Layers": entries}]).encode())):
        info = tarfile.TarInfo(name); info.size = len(body); info.mtime = 0
        archive.addfile(info, io.BytesIO(body))
PY

step "starting Berth's registry"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$JAVA_HOME/bin/java" -cp "$regjar:$(cat "$bstate/registry.cp")" dev.berth.registry.RegistryMain \
  --addr "127.0.0.1:$port" --root "$bstate/registry" >"$bstate/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
img="127.0.0.1:$port/bench/big:1"

step "starting dockerd on $dsock"
mkdir -p "$dstate" "$droot"
ip link show bench-pull0 >/dev/null 2>&1 || { ip link add bench-pull0 type bridge; ip addr add 10.124.0.1/24 dev bench-pull0; ip link set bench-pull0 up; }
dockerd -H "$dsock" --data-root "$droot" --exec-root "$dstate/exec" --pidfile "$dstate/docker.pid" \
  --bridge bench-pull0 >"$dstate/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_ping "$dstate/docker.sock" "$dockerd_pid" "$dstate/dockerd.log"

step "starting berthd on $bsock"
"$BERTHD" -H "$bsock" --data-root "$bstate/data" --exec-root "$bstate/exec" --pidfile "$bstate/berthd.pid" \
  ${BERTHD_EXTRA_ARGS:-} >"$bstate/berthd.log" 2>&1 &
berthd_pid=$!
wait_ping "$bstate/berth.sock" "$berthd_pid" "$bstate/berthd.log"

d() { DOCKER_HOST="$dsock" "$DOCKER" "$@"; }
b() { DOCKER_HOST="$bsock" "$DOCKER" "$@"; }

step "pushing the image to the registry (from berthd)"
b load -q -i "$bstate/big.tar" >/dev/null
b tag bench/big:1 "$img"
b push "$img" >/dev/null
b rmi -f bench/big:1 "$img" >/dev/null
rm -f "$bstate/big.tar"

# time_pulls engine: N cold pulls (image removed before each), prints the median ms.
time_pulls() {
  local e="$1" times=()
  for _ in $(seq 1 "$N"); do
    "$e" rmi -f "$img" >/dev/null 2>&1 || true
    local t0; t0="$(now_ns)"
    "$e" pull -q "$img" >/dev/null || { echo "pull FAILED on $e" >&2; return 1; }
    times+=($(( ($(now_ns) - t0) / 1000000 )))
  done
  "$e" rmi -f "$img" >/dev/null 2>&1 || true
  echo "${times[*]}" >&2
  printf '%s\n' "${times[@]}" | median
}

step "pulling with dockerd (N=$N)"
pull_d="$(time_pulls d)"
step "pulling with berthd (N=$N)"
pull_b="$(time_pulls b)"

{
  echo "bench/pull.sh $(date -u +%FT%TZ): pull of $img ($LAYERS x $LAYER_MB MB random layers), median of $N cold pulls"
  echo "dockerd: $(dockerd --version 2>/dev/null)"
  printf '%-40s %10sms\n' "dockerd" "$pull_d" "berthd" "$pull_b"
  awk -v b="$pull_b" -v d="$pull_d" 'BEGIN { printf "%-40s %10.2f\n", "ratio berthd/dockerd", b / d }'
} | tee -a "$results"
