#!/usr/bin/env bash
# bench/pull.sh: `docker pull` of a ~200 MB 4-layer image from a local registry, berthd vs Debian's
# dockerd, on this machine. A benchmark, not a test.
#
# Generates an image of LAYERS layers of LAYER_MB MB of random bytes each (incompressible, so the
# registry blobs are as large as the layers), serves it from Berth's own registry
# (dev.berth.registry.RegistryMain) on a free loopback port, pushes it there once from berthd, then
# after one untimed warm-up pull on each, runs N rounds of rmi (store empty again) + `docker pull` on
# dockerd then on berthd, timing each pull (alternating, so load from elsewhere hits both alike).
# Prints the median per engine and the ratio berthd/dockerd, with the load average before and after;
# appends to bench/results/pull-<date>.txt.
# Knobs: N (default 3), LAYERS (4), LAYER_MB (50), BERTHD_HOME (tree whose bin/berthd and daemon/target
#        are copied and run; default this one), BERTHD_EXTRA_ARGS, BERTHD_JAVA_OPTS (e.g. a JFR recording).
# The registry and both daemons run in one private network namespace (loopback only there), so the
# daemons' bridges and firewall rules never touch the host's. Everything is cleaned up at the end.
# Note: a pull is bound by SHA-256 (blob digest, diff id) and page-cache writes. berthd streams each
# layer: one pass over the bytes as they arrive hashes the blob, keeps it in ingest (for a resume)
# and unpacks it (diff id hashed once, by the content store). History (2 cores, 4 x 50 MB):
# C1-only JVM 2.8x dockerd; C2 (SHA-NI intrinsic) 1.07-1.19x; streaming unpack ~0.6-0.7x.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N="${N:-3}"; LAYERS="${LAYERS:-4}"; LAYER_MB="${LAYER_MB:-50}"
dstate=/run/bench-pull-docker; droot=/var/lib/bench-pull-docker; bridge=""; bridge_cidr=""
netns_d="bpull-$$"; netns_b="$netns_d"
registry_pid=""
bench_cleanup_extra() { ip netns del "$netns_d" 2>/dev/null; }
bench_setup /tmp/bpull.XXXXXX pull-
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
ip netns del "$netns_d" 2>/dev/null || true
ip netns add "$netns_d"; ip -n "$netns_d" link set lo up
inns() { nsenter --net="/run/netns/$netns_d" "$@"; }

step "checking prerequisites"
bench_install_dockerd
[[ -x "${BERTHD_HOME:-$here}/bin/berthd" ]] || { echo "build first: mvn -B -q -DskipTests package"; exit 1; }
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
nsenter --net="/run/netns/$netns_d" "$JAVA_HOME/bin/java" -cp "$regjar:$(cat "$bstate/registry.cp")" dev.berth.registry.RegistryMain \
  --addr "127.0.0.1:$port" --root "$bstate/registry" >"$bstate/registry.log" 2>&1 &
registry_pid=$!; extra_pids="$registry_pid"
for _ in $(seq 1 100); do inns curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
img="127.0.0.1:$port/bench/big:1"

bench_start_dockerd
bench_start_berthd_copy ${BERTHD_EXTRA_ARGS:-}

step "pushing the image to the registry (from berthd)"
b load -q -i "$bstate/big.tar" >/dev/null
b tag bench/big:1 "$img"
b push "$img" >/dev/null
b rmi -f bench/big:1 "$img" >/dev/null
rm -f "$bstate/big.tar"

# pull_once engine: one cold pull (image removed first), prints its wall time in ms.
pull_once() {
  local e="$1" t0
  "$e" rmi -f "$img" >/dev/null 2>&1 || true
  t0="$(now_ns)"
  "$e" pull -q "$img" >/dev/null || { echo "pull FAILED on $e" >&2; return 1; }
  echo $(( ($(now_ns) - t0) / 1000000 ))
}

# N rounds, each a cold pull on dockerd then one on berthd, so that load from elsewhere on the
# machine hits both alike; a first untimed pull on each warms the daemons up (berthd's JIT).
step "warm-up pull on each engine"
pull_once d >/dev/null; pull_once b >/dev/null
step "pulling, alternating dockerd and berthd (N=$N)"
td=(); tb=()
for _ in $(seq 1 "$N"); do
  td+=("$(pull_once d)"); tb+=("$(pull_once b)")
done
d rmi -f "$img" >/dev/null 2>&1 || true; b rmi -f "$img" >/dev/null 2>&1 || true
echo "dockerd: ${td[*]}; berthd: ${tb[*]}" >&2
pull_d="$(printf '%s\n' "${td[@]}" | median)"
pull_b="$(printf '%s\n' "${tb[@]}" | median)"

{
  echo "bench/pull.sh $(date -u +%FT%TZ): pull of $img ($LAYERS x $LAYER_MB MB random layers), median of $N cold pulls each (alternating, after one warm-up)"
  echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "times (ms) dockerd: ${td[*]}; berthd: ${tb[*]}"
  echo "dockerd: $(dockerd --version 2>/dev/null)"
  printf '%-40s %10sms\n' "dockerd" "$pull_d" "berthd" "$pull_b"
  awk -v b="$pull_b" -v d="$pull_d" 'BEGIN { printf "%-40s %10.2f\n", "ratio berthd/dockerd", b / d }'
} | bench_write_results -a
