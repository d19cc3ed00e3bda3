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
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N="${N:-3}"; LAYERS="${LAYERS:-4}"; LAYER_MB="${LAYER_MB:-50}"
BERTHD="${BERTHD:-$here/bin/berthd}"
dstate=/run/bench-pull-docker; droot=/var/lib/bench-pull-docker; bridge=bench-pull0; bridge_cidr=10.124.0.1/24
registry_pid=""
bench_setup /tmp/bpull.XXXXXX pull-

step "checking prerequisites"
bench_install_dockerd
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
registry_pid=$!; extra_pids="$registry_pid"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
img="127.0.0.1:$port/bench/big:1"

bench_start_dockerd
bench_start_berthd "$BERTHD" ${BERTHD_EXTRA_ARGS:-}

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
} | bench_write_results -a
