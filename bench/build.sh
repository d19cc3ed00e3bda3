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
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export DOCKER_BUILDKIT=0
N_COLD="${N_COLD:-5}"; N_WARM="${N_WARM:-11}"; WORK_MB="${WORK_MB:-24}"
dstate=/run/bbuild-docker; droot=/var/lib/bbuild-docker; bridge=bbuild-dock0; bridge_cidr=10.124.0.1/24
bench_setup /tmp/bbuild.XXXXXX build-

step "installing Debian docker.io if missing"
bench_install_dockerd
[[ -x "$here/bin/berthd" ]] || { echo "build first: mvn -B -q -DskipTests install"; exit 1; }

bench_start_dockerd
bench_start_berthd_copy ${BERTHD_EXTRA_ARGS:-}
bench_load_busybox

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

{
  echo "Berth build benchmark $(date -Is) on $(uname -r), $(nproc) CPUs (classic builder, DOCKER_BUILDKIT=0)"
  echo "dockerd: $(dockerd --version 2>/dev/null)"
  echo "multi-stage: 2 independent stages (COPY 50 files, RUN ${WORK_MB} MB dd|gzip each) + final stage (ENV, WORKDIR, 3 COPY, CMD)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-44s %10s %10s %10s\n' "measure (median)" "dockerd" "berthd" "berth/dock"
  printf '%-44s %8sms %8sms %10s\n' "cold: build --no-cache (N=$N_COLD)" "$cold_d" "$cold_b" "$(ratio "$cold_b" "$cold_d")"
  printf '%-44s %8sms %8sms %10s\n' "warm: rebuild, nothing changed (N=$N_WARM)" "$warm_d" "$warm_b" "$(ratio "$warm_b" "$warm_d")"
  echo "cache hits in the last warm build: dockerd $hits_d, berthd $hits_b"
} | bench_write_results
